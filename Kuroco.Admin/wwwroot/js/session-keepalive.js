// Work inside the interactive console travels over the circuit, not as HTTP requests, so it would
// not renew the sign-in cookie's last use: on a reload after the idle timeout the user would be
// signed out although they were busy. While the user clicks or types, this asks the server for
// /account/keepalive at most once a minute, which renews the cookie. An idle tab sends nothing.
(() => {
    const interval = 60 * 1000;
    let last = Date.now();
    const touch = () => {
        const now = Date.now();
        if (now - last < interval) {
            return;
        }
        last = now;
        fetch('account/keepalive', { credentials: 'same-origin', redirect: 'manual', cache: 'no-store' }).catch(() => { });
    };
    for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) {
        document.addEventListener(type, touch, { passive: true, capture: true });
    }
})();
