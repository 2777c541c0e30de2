// Records every platform-specific optional package in package-lock.json.
//
// The registry mirror reachable from our build machines serves only the linux-x64 builds of packages such
// as @bufbuild/buf-*, @unrs/resolver-binding-* and @msgpackr-extract/*, so `npm install` leaves the other
// platforms' entries out of the lockfile, and `npm ci` then refuses the lockfile as out of sync. This adds
// an entry (name, exact version, optional) for each one missing; npm skips them on platforms they do not
// fit. Run after any `npm install` that changes the lockfile: `node scripts/lock-platform-packages.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [location, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (!/^\d+\.\d+\.\d+/.test(version)) continue;
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    packages[`node_modules/${name}`] = { version, ...(entry.dev ? { dev: true } : {}), optional: true };
    added += 1;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform package entries added`);
