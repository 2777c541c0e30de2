#!/usr/bin/env node
/**
 * Builds the console's static files into build/console-assets/: one stylesheet compiled from
 * apps/gateway/src/console/assets/console.scss (govuk-frontend and MoJ Frontend with a system font stack, no
 * GOV.UK typeface), the two design systems' scripts as published, the console's own script, the icons their
 * styles name, and manifest.json mapping each file to a name that carries its content's hash, so a browser may
 * keep a file for a year and a new build is fetched at once. Run by `npm run build` and by the test setup.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const source = join(root, 'apps/gateway/src/console/assets');
const out = join(root, 'build/console-assets');
const govuk = join(root, 'node_modules/govuk-frontend/dist/govuk');
const moj = join(root, 'node_modules/@ministryofjustice/frontend/moj');

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'images'), { recursive: true });
const manifest = {};

/** Writes a file under its hashed name and records it. */
function emit(name, contents) {
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 12);
  const dot = name.lastIndexOf('.');
  const hashed = `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
  writeFileSync(join(out, hashed), contents);
  manifest[name] = hashed;
}

const css = sass.compile(join(source, 'console.scss'), {
  loadPaths: [root],
  style: 'compressed',
  quietDeps: true,
  logger: sass.Logger.silent,
});
emit('console.css', css.css);
emit('govuk-frontend.js', readFileSync(join(govuk, 'govuk-frontend.min.js')));
emit('moj-frontend.js', readFileSync(join(moj, 'moj-frontend.min.js')));
// The console's script imports the design systems' modules by their hashed names.
emit(
  'console.js',
  readFileSync(join(source, 'console.js'), 'utf8').replace(
    /from '\.\/([\w-]+\.js)'/g,
    (whole, name) => `from './${manifest[name] ?? name}'`,
  ),
);
emit('favicon.svg', readFileSync(join(source, 'favicon.svg')));
// Icons the stylesheets refer to by fixed name (/console/assets/images/...).
for (const file of readdirSync(join(moj, 'assets/images')).filter((f) => f.startsWith('icon-') && f.endsWith('.svg')))
  copyFileSync(join(moj, 'assets/images', file), join(out, 'images', file));
writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2));
console.log(`console assets built: ${Object.keys(manifest).length} files in ${out}`);
