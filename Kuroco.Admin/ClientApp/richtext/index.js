// The rich-text editor's library: Tiptap (ProseMirror), MIT. This file only re-exports what
// Kuroco.Admin/wwwroot/js/richtext-editor.js uses; all of Kuroco's own editor code lives there,
// readable and changeable without Node. Rebuild with scripts/build-richtext.sh.
export { Editor, Extension, mergeAttributes } from '@tiptap/core';
export { StarterKit } from '@tiptap/starter-kit';
export { Image } from '@tiptap/extension-image';
export { Link } from '@tiptap/extension-link';
export { Table, TableRow, TableCell, TableHeader } from '@tiptap/extension-table';
export { Placeholder } from '@tiptap/extensions';
