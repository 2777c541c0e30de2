import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The proto check's `buf breaking` step (`scripts/ops/check-contracts.mjs`) on a repository of its own holding
 * this project's contracts: a compatible change passes, a renumbered field fails, on main (against its previous
 * commit) and on a branch (against main).
 */
describe('the contract compatibility check', () => {
  const project = join(__dirname, '..', '..');
  const script = join(project, 'scripts/ops/check-contracts.mjs');
  let repo: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.org', ...args], {
      cwd: repo,
      stdio: 'pipe',
    });
  const check = () => spawnSync(process.execPath, [script, repo], { encoding: 'utf8' });
  const jits = () => join(repo, 'proto/liaison/v1/jits.proto');
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
  };

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'liaison-contracts-'));
    cpSync(join(project, 'proto'), join(repo, 'proto'), { recursive: true });
    cpSync(join(project, 'buf.yaml'), join(repo, 'buf.yaml'));
    git('init', '-q', '-b', 'main');
    commit('contracts');
  });

  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('passes a compatible change on main: a new field', () => {
    writeFileSync(
      jits(),
      readFileSync(jits(), 'utf8').replace('  string place = 3;', '  string place = 3;\n  string room = 9;'),
    );
    commit('a new field');
    const result = check();
    expect(result.stdout).toContain('contracts are compatible with');
    expect(result.status).toBe(0);
  });

  it('fails a renumbered field on main, naming it', () => {
    writeFileSync(jits(), readFileSync(jits(), 'utf8').replace('  string place = 3;', '  string place = 9;'));
    commit('a renumbered field');
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stdout + result.stderr).toContain('"place"');
  });

  it('compares a branch with main', () => {
    git('checkout', '-q', '-b', 'feature');
    writeFileSync(jits(), readFileSync(jits(), 'utf8').replace('  string place = 3;', ''));
    commit('a field removed');
    const result = check();
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`break compatibility with ${git('rev-parse', 'main').toString().slice(0, 12)}`);
  });
});
