// Fails when libs/contracts/src/gen is not what `npm run proto:gen` makes from proto/ today.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const committed = join(root, 'libs/contracts/src/gen');
const fresh = mkdtempSync(join(tmpdir(), 'liaison-proto-'));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

try {
  execFileSync(join(root, 'node_modules/.bin/buf'), ['generate', '--template', 'buf.gen.yaml', '-o', fresh], {
    cwd: root,
    stdio: 'inherit',
  });
  const generated = join(fresh, 'libs/contracts/src/gen');
  const want = new Map(files(generated).map((f) => [relative(generated, f), readFileSync(f, 'utf8')]));
  const have = new Map(files(committed).map((f) => [relative(committed, f), readFileSync(f, 'utf8')]));
  const stale = [...new Set([...want.keys(), ...have.keys()])].filter((name) => want.get(name) !== have.get(name));
  if (stale.length > 0) {
    console.error(
      `generated contracts are stale: ${stale.join(', ')}\nrun \`npm run proto:gen\` and commit the result`,
    );
    process.exit(1);
  }
  console.log(`generated contracts are up to date (${want.size} files)`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
