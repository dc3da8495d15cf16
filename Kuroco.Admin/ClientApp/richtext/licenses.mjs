// Writes THIRD-PARTY-NOTICES.txt beside the bundle: name, version, licence and the full licence
// text of every npm package that has code in it (read from esbuild's metafile), and refuses to
// finish when one of them is not under MIT, BSD or ISC.
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [metafile, output] = process.argv.slice(2);
const meta = JSON.parse(readFileSync(metafile, 'utf8'));
const allowed = /^(MIT|ISC|BSD-2-Clause|BSD-3-Clause)$/;

const packages = new Map();
for (const [output_, info] of Object.entries(meta.outputs)) {
  for (const input of Object.keys(info.inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (match) {
      packages.set(match[1], join('node_modules', match[1]));
    }
  }
}

const sections = [];
const names = [...packages.keys()].sort();
for (const name of names) {
  const dir = packages.get(name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!allowed.test(pkg.license ?? '')) {
    console.error(`${name}@${pkg.version} is under "${pkg.license}", not MIT/BSD/ISC: refusing to bundle it.`);
    process.exit(1);
  }
  const licenseFile = readdirSync(dir).find(f => /^(LICEN[CS]E|COPYING)(\.(md|txt))?$/i.test(f));
  if (!licenseFile || !existsSync(join(dir, licenseFile))) {
    console.error(`${name}@${pkg.version} ships no LICENSE file: add its licence text by hand.`);
    process.exit(1);
  }
  const text = readFileSync(join(dir, licenseFile), 'utf8').trim();
  sections.push(`${name} ${pkg.version} (${pkg.license})\n${'-'.repeat(72)}\n${text}\n`);
}

writeFileSync(output,
  'tiptap.js bundles the following npm packages, unchanged (minified by esbuild).\n' +
  'Each is distributed under the licence reproduced below.\n\n' +
  names.map(n => `  - ${n}`).join('\n') + '\n\n' + sections.join('\n'));
console.log(`${names.length} packages, licences in ${output}`);
