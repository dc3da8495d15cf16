// Content editors: while a form has unsaved changes, closing the tab, reloading or leaving the
// console asks first (the browser shows its own wording). Navigation inside the console is guarded
// by Blazor's NavigationLock with a localized dialog.
let dirty = false;
const warn = (event) => {
    if (!dirty) {
        return;
    }
    event.preventDefault();
    event.returnValue = '';
};
window.addEventListener('beforeunload', warn);

export function setDirty(value) {
    dirty = value === true;
}
