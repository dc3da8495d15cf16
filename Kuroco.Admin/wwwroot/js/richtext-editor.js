// The rich-text field's editor (RichTextEditor.razor): Tiptap/ProseMirror from ../lib/tiptap/tiptap.js
// (built by scripts/build-richtext.sh), configured for what the console stores and the server-side
// sanitizer keeps: headings 2-4, bold, italic, strike, inline code, lists, quotes, links (http, https,
// mailto, relative), images from the media library, tables with a header row, code blocks, rules.
//
// - The toolbar is rendered by Blazor (localized labels); this module wires its buttons to editor
//   commands, keeps aria-pressed / disabled in step with the selection and makes it one tab stop
//   with arrow-key navigation (WAI-ARIA toolbar). Alt+F10 goes from the text to the toolbar, Escape back.
// - Changes go to .NET debounced (and at once on blur, so before the click on Save that caused it), numbered so
//   that a late one never overwrites a newer one; documents too large for one circuit message go in parts.
// - Pasted HTML (Word, Google Docs, web pages) goes through cleanPastedHtml, then through the editor's
//   schema, which keeps only the elements above: styles, classes, fonts, spans and Office tags are dropped.
// - No eval, no inline script, no injected <style> (the CSS is in css/richtext-editor.css).
import { Editor, Extension, StarterKit, Image, Link, Table, TableRow, TableCell, TableHeader, Placeholder } from '../lib/tiptap/tiptap.js';

const DEBOUNCE_MS = 250;
// Circuit messages from the browser are limited to 32 KB: a larger document goes in parts of this many characters
// (at most 3 bytes each in UTF-8). Parts are ordinary calls, so they reach .NET in order and before a later click.
const PART_CHARS = 4000;

/** Links the console accepts: http(s) and mailto addresses and paths on the site (/, ./, ../, #, ?). Same rule as RichTextLinks.cs. */
export function isAllowedHref(value) {
    if (typeof value !== 'string') {
        return false;
    }
    const href = value.trim();
    if (href.length === 0 || /[\s\u0000-\u001f\u007f]/.test(href)) {
        return false;
    }
    if (/^https?:\/\/[^/?#]/i.test(href) || /^mailto:./i.test(href)) {
        return true;
    }
    return /^(\/(?!\/)|\.\.?\/|#|\?)/.test(href) || href === '/';
}

/** Image sources kept when HTML is loaded: http(s) and paths on this site (the media library's /media/{id}). */
function isAllowedImageSrc(src) {
    return typeof src === 'string' && (/^https?:\/\/[^/?#]/i.test(src) || /^\/(?!\/)/.test(src));
}

/** Word list paragraphs (mso-list) become real lists; Office tags, styles and blank paragraphs go; h1 becomes h2, h5/h6 h4. */
export function cleanPastedHtml(html) {
    // A <template> parses without a browsing context: nothing loads or runs, and inline handlers are not even compiled.
    const template = document.createElement('template');
    template.innerHTML = withoutInlineHandlers(html);
    const body = template.content;
    const doc = template.content.ownerDocument;
    body.querySelectorAll('style, script, meta, link, title, xml, template, iframe, object, embed').forEach(e => e.remove());
    for (const element of [...body.querySelectorAll('*')]) {
        if (element.localName === 'o:p') {
            element.remove(); // Word's empty-paragraph filler (&nbsp;)
            continue;
        }
        for (const name of element.getAttributeNames()) {
            if (name.toLowerCase().startsWith('on')) {
                element.removeAttribute(name);
            }
        }
    }
    convertWordLists(doc, body);
    // Images: only ones from this console's media library survive a paste (Word's file:/// and other sites' pictures would be broken or tracking).
    for (const img of [...body.querySelectorAll('img')]) {
        const src = img.getAttribute('src') ?? '';
        const local = src.startsWith(location.origin + '/') ? src.slice(location.origin.length) : src;
        if (/^\/media\/[0-9a-f-]{36}$/i.test(local)) {
            img.setAttribute('src', local);
        } else {
            img.remove();
        }
    }
    renameHeadings(doc, body, 'h1', 'h2');
    renameHeadings(doc, body, 'h5', 'h4');
    renameHeadings(doc, body, 'h6', 'h4');
    for (const p of [...body.querySelectorAll('p')]) {
        if (p.textContent.trim() === '' && !p.querySelector('img, br')) {
            p.remove();
        }
    }
    return template.innerHTML;
}

// on*="..." attributes inside tags go before parsing: parsing one into this page would be blocked by the CSP, but noisily.
// Whatever this misses is blocked all the same, removed below and dropped by the editor's schema.
function withoutInlineHandlers(html) {
    return html.replace(/<[a-zA-Z][^>]*>/g, tag => tag.replace(/\s+on[a-z-]+\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]*)/gi, ''));
}

function renameHeadings(doc, root, from, to) {
    for (const heading of [...root.querySelectorAll(from)]) {
        const replacement = doc.createElement(to);
        replacement.append(...heading.childNodes);
        heading.replaceWith(replacement);
    }
}

function wordListLevel(p) {
    const style = p.getAttribute('style') ?? '';
    if (!/mso-list\s*:\s*l\d/i.test(style)) {
        return 0;
    }
    const level = /level(\d+)/i.exec(style);
    return level ? Number(level[1]) : 1;
}

/** Word marks list items as paragraphs with mso-list styles and a typed bullet/number in an mso-list:Ignore span. */
function convertWordLists(doc, root) {
    const items = [...root.querySelectorAll('p')].filter(p => wordListLevel(p) > 0);
    const done = new Set();
    for (const first of items) {
        if (done.has(first)) {
            continue;
        }
        const group = [first];
        for (let next = first.nextElementSibling; next && next.localName === 'p' && wordListLevel(next) > 0; next = next.nextElementSibling) {
            group.push(next);
        }
        group.forEach(p => done.add(p));
        const stack = [];
        for (const p of group) {
            const level = wordListLevel(p);
            const marker = [...p.querySelectorAll('span[style]')].find(span => /mso-list\s*:\s*ignore/i.test(span.getAttribute('style')));
            const ordered = marker ? /^\s*([0-9]+|[a-z]{1,4}|[ivxlc]+)[.)]/i.test(marker.textContent) : false;
            marker?.remove();
            while (stack.length && stack.at(-1).level > level) {
                stack.pop();
            }
            if (!stack.length || stack.at(-1).level < level) {
                const list = doc.createElement(ordered ? 'ol' : 'ul');
                if (stack.length) {
                    const parent = stack.at(-1).list;
                    (parent.lastElementChild ?? parent.appendChild(doc.createElement('li'))).append(list);
                } else {
                    first.before(list);
                }
                stack.push({ level, list });
            }
            const li = doc.createElement('li');
            li.append(...p.childNodes);
            stack.at(-1).list.append(li);
            p.remove();
        }
    }
}

// Block elements that get their children on lines of their own, so that the history's line diff reads well.
const CONTAINERS = new Set(['ul', 'ol', 'blockquote', 'table', 'thead', 'tbody', 'tr']);

function pretty(node) {
    if (node.nodeType !== Node.ELEMENT_NODE) {
        return node.nodeType === Node.TEXT_NODE ? escapeText(node.data) : '';
    }
    const container = CONTAINERS.has(node.localName)
        || (node.localName === 'li' && [...node.children].some(c => c.localName === 'ul' || c.localName === 'ol'));
    if (!container) {
        return node.outerHTML;
    }
    const shell = node.cloneNode(false).outerHTML;
    const close = `</${node.localName}>`;
    const open = shell.slice(0, shell.length - close.length);
    return open + '\n' + [...node.childNodes].map(pretty).filter(s => s !== '').join('\n') + '\n' + close;
}

function escapeText(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\u00a0/g, '&nbsp;');
}

/** The stored form: the editor's HTML with the header row in <thead>, without the editing-only table styles, one block per line. */
export function serializeHtml(editorHtml) {
    const template = document.createElement('template');
    template.innerHTML = editorHtml;
    const root = template.content;
    for (const table of root.querySelectorAll('table')) {
        table.querySelectorAll(':scope > colgroup').forEach(c => c.remove());
        const body = table.querySelector(':scope > tbody');
        if (body && !table.querySelector(':scope > thead')) {
            const headerRows = [];
            for (const row of body.children) {
                if (row.children.length > 0 && [...row.children].every(cell => cell.localName === 'th')) {
                    headerRows.push(row);
                } else {
                    break;
                }
            }
            if (headerRows.length > 0) {
                const head = document.createElement('thead');
                head.append(...headerRows);
                table.insertBefore(head, body);
                if (body.children.length === 0) {
                    body.remove();
                }
            }
        }
    }
    root.querySelectorAll('[style]').forEach(e => e.removeAttribute('style'));
    // The empty paragraph the editor keeps after a final table or image (to type after it) is not content.
    while (root.lastChild && (root.lastChild.nodeType === Node.TEXT_NODE ? root.lastChild.data.trim() === ''
        : root.lastChild.localName === 'p' && root.lastChild.childNodes.length === 0)) {
        root.lastChild.remove();
    }
    return [...root.childNodes].map(pretty).filter(s => s !== '').join('\n');
}

// Editing-only attributes of table cells: kept in the document model (the table commands use them) but never written out.
const unrendered = { default: null, parseHTML: () => null, renderHTML: () => ({}) };

function extensions(options) {
    return [
        StarterKit.configure({
            heading: { levels: [2, 3, 4] },
            link: false,
            underline: false,
        }),
        Link.extend({
            // Only the address: pasted target, rel, class and title attributes are dropped.
            addAttributes() {
                return { href: { default: null, parseHTML: element => element.getAttribute('href') } };
            },
        }).configure({
            openOnClick: false,
            autolink: true,
            linkOnPaste: true,
            defaultProtocol: 'https',
            HTMLAttributes: { target: null, rel: null, class: null },
            isAllowedUri: url => isAllowedHref(url),
        }),
        Image.extend({
            addAttributes() {
                return {
                    src: { default: null },
                    alt: { default: null },
                    title: { default: null },
                    width: { default: null },
                    height: { default: null },
                };
            },
            parseHTML() {
                return [{ tag: 'img[src]', getAttrs: element => (isAllowedImageSrc(element.getAttribute('src')) ? null : false) }];
            },
        }).configure({ inline: false, allowBase64: false }),
        Table.configure({ resizable: false }),
        TableRow,
        TableHeader.extend({ addAttributes() { return { ...this.parent?.(), colwidth: unrendered, align: unrendered }; } }),
        TableCell.extend({ addAttributes() { return { ...this.parent?.(), colwidth: unrendered, align: unrendered }; } }),
        Placeholder.configure({ placeholder: options.placeholder ?? '' }),
        Extension.create({
            name: 'kurocoShortcuts',
            addKeyboardShortcuts() {
                return {
                    'Mod-k': () => { options.onLinkShortcut(); return true; },
                    'Alt-F10': () => { options.onToolbarShortcut(); return true; },
                };
            },
        }),
    ];
}

// Toolbar commands: data-command on a button names one of these.
const COMMANDS = {
    undo: { run: c => c.undo() },
    redo: { run: c => c.redo() },
    h2: { run: c => c.toggleHeading({ level: 2 }), active: e => e.isActive('heading', { level: 2 }) },
    h3: { run: c => c.toggleHeading({ level: 3 }), active: e => e.isActive('heading', { level: 3 }) },
    h4: { run: c => c.toggleHeading({ level: 4 }), active: e => e.isActive('heading', { level: 4 }) },
    bold: { run: c => c.toggleBold(), active: e => e.isActive('bold') },
    italic: { run: c => c.toggleItalic(), active: e => e.isActive('italic') },
    strike: { run: c => c.toggleStrike(), active: e => e.isActive('strike') },
    code: { run: c => c.toggleCode(), active: e => e.isActive('code') },
    bulletList: { run: c => c.toggleBulletList(), active: e => e.isActive('bulletList') },
    orderedList: { run: c => c.toggleOrderedList(), active: e => e.isActive('orderedList') },
    blockquote: { run: c => c.toggleBlockquote(), active: e => e.isActive('blockquote') },
    link: { dialog: 'link', active: e => e.isActive('link') },
    unlink: { run: c => c.extendMarkRange('link').unsetLink(), enabled: e => e.isActive('link') },
    image: { dialog: 'image' },
    table: { run: c => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }) },
    addRow: { run: c => c.addRowAfter() },
    deleteRow: { run: c => c.deleteRow() },
    addColumn: { run: c => c.addColumnAfter() },
    deleteColumn: { run: c => c.deleteColumn() },
    deleteTable: { run: c => c.deleteTable() },
};

class RichTextEditor {
    constructor(host, toolbar, dotnet, options) {
        this.host = host;
        this.toolbar = toolbar;
        this.dotnet = dotnet;
        this.options = options;
        this.sequence = 0;
        this.timer = null;
        this.pending = false;
        this.sourceMode = false;
        this.disposed = false;
        this.reported = null; // the stored form of what .NET has: a change that leaves it as it is is not reported
        this.dialogOpen = false;
        this.current = null; // the toolbar button that has the tab stop

        this.editor = new Editor({
            element: host,
            injectCSS: false,
            content: options.html ?? '',
            extensions: extensions({
                placeholder: options.placeholder,
                onLinkShortcut: () => this.editLink(),
                onToolbarShortcut: () => this.focusToolbar(),
            }),
            editorProps: {
                attributes: this.attributes(),
                transformPastedHTML: cleanPastedHtml,
            },
            onUpdate: () => this.schedule(),
            onTransaction: () => this.refresh(),
            onBlur: () => this.flush(),
        });

        this.onToolbarClick = event => this.toolbarClick(event);
        this.onToolbarKeydown = event => this.toolbarKeydown(event);
        this.onToolbarMousedown = event => {
            // Keep the text's selection and focus while a button is pressed.
            if (event.target.closest('button[data-command]')) {
                event.preventDefault();
            }
        };
        this.onToolbarFocusin = event => {
            const button = event.target.closest('button');
            if (button) {
                this.current = button;
                this.updateTabStops();
            }
        };
        this.reported = this.html();
        toolbar.addEventListener('click', this.onToolbarClick);
        toolbar.addEventListener('keydown', this.onToolbarKeydown);
        toolbar.addEventListener('mousedown', this.onToolbarMousedown);
        toolbar.addEventListener('focusin', this.onToolbarFocusin);
        this.refresh();
    }

    attributes() {
        const o = this.options;
        const attributes = {
            role: 'textbox',
            'aria-multiline': 'true',
            'aria-label': o.label ?? '',
            class: 'kuroco-richtext-content',
            spellcheck: 'true',
        };
        if (o.lang) attributes.lang = o.lang;
        if (o.testId) attributes['data-testid'] = o.testId;
        if (o.required) attributes['aria-required'] = 'true';
        if (o.invalid) attributes['aria-invalid'] = 'true';
        if (o.describedBy) attributes['aria-describedby'] = o.describedBy;
        if (o.editorId) attributes.id = o.editorId;
        return attributes;
    }

    /** Label, error state and placeholder after a re-render of the Blazor component. */
    update(options) {
        Object.assign(this.options, options);
        this.editor.setOptions({ editorProps: { ...this.editor.options.editorProps, attributes: this.attributes() } });
    }

    /** The value the server holds changed (a reload, a restore, the HTML source view): show it without reporting a change or an undo step. */
    setContent(html) {
        clearTimeout(this.timer);
        this.pending = false;
        this.editor.chain().setMeta('addToHistory', false).setContent(html ?? '', { emitUpdate: false }).run();
        this.reported = this.html();
    }

    /** In the HTML source view the text is hidden and every formatting button is off. */
    setSourceMode(on) {
        if (on) {
            this.flush();
        }
        this.sourceMode = on === true;
        this.editor.setEditable(!this.sourceMode, false);
        this.refresh();
    }

    focus() {
        this.editor.commands.focus();
    }

    html() {
        return this.editor.isEmpty ? '' : serializeHtml(this.editor.getHTML());
    }

    schedule() {
        this.pending = true;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.flush(), DEBOUNCE_MS);
    }

    flush() {
        clearTimeout(this.timer);
        this.timer = null;
        if (!this.pending || this.disposed) {
            return;
        }
        this.pending = false;
        const html = this.html();
        if (html === this.reported) {
            return; // e.g. the paragraph the editor adds after a final table, or an edit undone
        }
        this.reported = html;
        const sequence = ++this.sequence;
        const failed = error => console.error('The rich-text change could not be sent.', error);
        if (html.length <= PART_CHARS) {
            this.dotnet.invokeMethodAsync('OnChangedAsync', sequence, html).catch(failed);
            return;
        }
        const parts = [];
        for (let start = 0; start < html.length;) {
            let end = Math.min(start + PART_CHARS, html.length);
            if (end < html.length && /[\ud800-\udbff]/.test(html[end - 1])) {
                end--; // never split a surrogate pair (an emoji): each part must be valid text on its own
            }
            parts.push(html.slice(start, end));
            start = end;
        }
        parts.forEach((part, index) => this.dotnet.invokeMethodAsync('OnChangedPartAsync', sequence, index, parts.length, part).catch(failed));
    }

    buttons() {
        return [...this.toolbar.querySelectorAll('button')];
    }

    refresh() {
        if (this.disposed) {
            return;
        }
        const editor = this.editor;
        const inTable = !this.sourceMode && editor.isActive('table');
        this.toolbar.querySelectorAll('[data-group=table]').forEach(group => { group.hidden = !inTable; });
        for (const button of this.toolbar.querySelectorAll('button[data-command]')) {
            const command = COMMANDS[button.dataset.command];
            if (!command) {
                continue;
            }
            let enabled = !this.sourceMode && editor.isEditable;
            if (enabled && command.run) {
                enabled = command.run(editor.can().chain()).run();
            }
            if (enabled && command.enabled) {
                enabled = command.enabled(editor);
            }
            button.disabled = !enabled;
            if (command.active) {
                button.setAttribute('aria-pressed', String(!this.sourceMode && command.active(editor)));
            }
        }
        this.updateTabStops();
    }

    focusable() {
        return this.buttons().filter(b => !b.disabled && !b.closest('[hidden]'));
    }

    updateTabStops() {
        const items = this.focusable();
        if (!items.includes(this.current)) {
            this.current = items[0] ?? null;
        }
        for (const button of this.buttons()) {
            button.tabIndex = button === this.current ? 0 : -1;
        }
    }

    focusToolbar() {
        this.updateTabStops();
        this.current?.focus();
    }

    toolbarKeydown(event) {
        const items = this.focusable();
        const index = items.indexOf(event.target.closest('button'));
        if (index < 0) {
            return;
        }
        let next = null;
        switch (event.key) {
            case 'ArrowRight': next = items[(index + 1) % items.length]; break;
            case 'ArrowLeft': next = items[(index - 1 + items.length) % items.length]; break;
            case 'Home': next = items[0]; break;
            case 'End': next = items[items.length - 1]; break;
            case 'Escape':
                event.preventDefault();
                this.editor.commands.focus();
                return;
            default: return;
        }
        event.preventDefault();
        this.current = next;
        this.updateTabStops();
        next.focus();
    }

    toolbarClick(event) {
        const button = event.target.closest('button[data-command]');
        if (!button || button.disabled || this.sourceMode) {
            return;
        }
        const command = COMMANDS[button.dataset.command];
        if (command?.dialog === 'link') {
            this.editLink();
        } else if (command?.dialog === 'image') {
            this.pickImage();
        } else if (command?.run) {
            command.run(this.editor.chain().focus()).run();
        }
    }

    /** The link dialog (Blazor): the current address in, the new one (or none, to remove it) out. */
    async editLink() {
        if (this.sourceMode || this.dialogOpen) {
            return;
        }
        const editor = this.editor;
        const href = editor.getAttributes('link').href ?? '';
        const needsText = editor.state.selection.empty && !editor.isActive('link');
        this.dialogOpen = true;
        let result = null;
        try {
            result = await this.dotnet.invokeMethodAsync('EditLinkAsync', href, needsText);
        } finally {
            this.dialogOpen = false;
        }
        if (this.disposed) {
            return;
        }
        const chain = editor.chain().focus();
        if (!result) {
            chain.run();
        } else if (!result.href) {
            chain.extendMarkRange('link').unsetLink().run();
        } else if (!isAllowedHref(result.href)) {
            chain.run();
        } else if (needsText) {
            const text = result.text?.trim() || result.href;
            chain.insertContent({ type: 'text', text, marks: [{ type: 'link', attrs: { href: result.href } }] }).run();
        } else {
            chain.extendMarkRange('link').setLink({ href: result.href }).run();
        }
    }

    /** The media library's picker (Blazor): an image's URL and its alternative text in the item's language. */
    async pickImage() {
        if (this.sourceMode || this.dialogOpen) {
            return;
        }
        this.dialogOpen = true;
        let image = null;
        try {
            image = await this.dotnet.invokeMethodAsync('PickImageAsync');
        } finally {
            this.dialogOpen = false;
        }
        if (this.disposed) {
            return;
        }
        const chain = this.editor.chain().focus();
        if (image?.src && isAllowedImageSrc(image.src)) {
            chain.setImage({ src: image.src, alt: image.alt ?? '' }).run();
        } else {
            chain.run();
        }
    }

    dispose() {
        if (this.disposed) {
            return;
        }
        this.disposed = true;
        clearTimeout(this.timer);
        this.toolbar.removeEventListener('click', this.onToolbarClick);
        this.toolbar.removeEventListener('keydown', this.onToolbarKeydown);
        this.toolbar.removeEventListener('mousedown', this.onToolbarMousedown);
        this.toolbar.removeEventListener('focusin', this.onToolbarFocusin);
        this.editor.destroy();
    }
}

/**
 * Creates the editor inside host (an element Blazor renders empty) with the toolbar element's buttons.
 * options: html, label, lang, placeholder, testId, editorId, describedBy, required, invalid.
 * Returns the instance: setContent(html), setSourceMode(on), update(options), focus(), dispose().
 */
export function create(host, toolbar, dotnet, options) {
    return new RichTextEditor(host, toolbar, dotnet, options ?? {});
}
