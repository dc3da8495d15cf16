#!/usr/bin/env bash
# Rebuilds the rich-text editor's library bundle, Kuroco.Admin/wwwroot/lib/tiptap/tiptap.js
# (Tiptap 3, MIT, with ProseMirror and linkifyjs, MIT), and its THIRD-PARTY-NOTICES.txt from
# Kuroco.Admin/ClientApp/richtext (package.json + package-lock.json pin every version).
# Needs Node 20+ and npm; commit the two files in wwwroot/lib/tiptap. The app, its build and its
# tests never need Node: they use the committed bundle.
# To upgrade: change the versions in package.json, run `npm install` there once to refresh
# package-lock.json, then run this script and the rich-text tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/Kuroco.Admin/ClientApp/richtext"
out="$root/Kuroco.Admin/wwwroot/lib/tiptap"

cd "$src"
npm ci --no-audit --no-fund
mkdir -p "$out"
# One ES module, minified, no eval or new Function (the console's CSP has no 'unsafe-eval').
./node_modules/.bin/esbuild index.js --bundle --format=esm --minify --target=es2020 \
  --legal-comments=none --metafile=meta.json --outfile="$out/tiptap.js" \
  --banner:js="/* Tiptap $(node -p "require('./node_modules/@tiptap/core/package.json').version") with ProseMirror and linkifyjs, MIT: see THIRD-PARTY-NOTICES.txt. Built by scripts/build-richtext.sh from Kuroco.Admin/ClientApp/richtext. */"
node licenses.mjs meta.json "$out/THIRD-PARTY-NOTICES.txt"
rm -f meta.json
if grep -qE '\beval\(|new Function\(' "$out/tiptap.js"; then
  echo "tiptap.js contains eval or new Function: the CSP would block it." >&2
  exit 1
fi
ls -l "$out"
