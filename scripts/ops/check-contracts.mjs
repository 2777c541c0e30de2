// Fails when a contract in proto/ breaks wire or JSON compatibility (buf's WIRE_JSON rules) with the contracts on
// main: the contracts main had before this commit when the checkout is main itself, otherwise main's latest.
//   node scripts/ops/check-contracts.mjs [checkout]   (default: this project's own)
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const project = new URL('../..', import.meta.url).pathname;
const root = process.argv[2] ? resolve(process.argv[2]) : project;
const git = (...args) =>
  execFileSync('git', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();

function baseline() {
  const head = git('rev-parse', 'HEAD');
  let main;
  try {
    main = git('rev-parse', '--verify', '--quiet', 'main');
  } catch {
    try {
      main = git('rev-parse', '--verify', '--quiet', 'origin/main');
    } catch {
      return null;
    }
  }
  if (main !== head) return main;
  // On main: against its previous commit, when the history holds one (a shallow clone may not).
  try {
    return git('rev-parse', '--verify', '--quiet', 'HEAD~1');
  } catch {
    return null;
  }
}

const against = baseline();
if (against === null) {
  console.log('contracts: no earlier main in this checkout to compare with; breaking-change check skipped');
} else {
  try {
    execFileSync(join(project, 'node_modules/.bin/buf'), ['breaking', '--against', `.git#ref=${against}`], {
      cwd: root,
      stdio: 'inherit',
    });
  } catch {
    console.error(`contracts in proto/ break compatibility with ${against.slice(0, 12)} (see above)`);
    process.exit(1);
  }
  console.log(`contracts are compatible with ${against.slice(0, 12)} (buf breaking, WIRE_JSON)`);
}
