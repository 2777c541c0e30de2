import { waitFor, type ApiClient } from '@liaison/testing';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueKey, startServices, type RunningServices } from '../support/services';

/** The README's verifier, exactly as a reader would copy it. */
function readmeVerifier(): string {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  const found = /<!-- verify-audit-export\.mjs -->\n```js\n([\s\S]*?)```/.exec(readme);
  if (!found) throw new Error('the README has no verify-audit-export.mjs block');
  return found[1];
}

/**
 * The audit log exported for a period as signed JSON lines, checked by the README's script alone: it verifies the
 * genuine export, with and without the seal key, and refuses one altered, cut or checked with another key.
 */
describe('audit export', () => {
  let services: RunningServices;
  let admin: ApiClient;
  let dir: string;

  beforeAll(async () => {
    services = await startServices();
    admin = services.api.as(services.adminKey);
    dir = mkdtempSync(join(tmpdir(), 'liaison-audit-export-'));
    writeFileSync(join(dir, 'verify-audit-export.mjs'), readmeVerifier());
  }, 90_000);

  afterAll(async () => {
    await services?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const verifier = (exportFile: string, keyFile: string, sealKey?: string) =>
    spawnSync(
      process.execPath,
      [join(dir, 'verify-audit-export.mjs'), exportFile, keyFile, ...(sealKey ? [sealKey] : [])],
      { encoding: 'utf8' },
    );

  it('exports a period the README’s script verifies, and refuses one altered, cut or under another key', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    // Something to export: keys issued (each audited), in the chain once the tracker has appended them.
    await Promise.all([issueKey(services, 'GB-WMP', 'officer'), issueKey(services, 'RO-ENU', 'supervisor')]);
    await waitFor(
      async () =>
        ((await admin.get<{ items: unknown[] }>(`/v1/audit?action=key.created&from=${from}`)).body.items.length ?? 0) >=
        2,
      { what: 'the keys audited' },
    );
    const to = new Date(Date.now() + 1_000).toISOString();
    const key = await admin.get<{ algorithm: string; publicKey: string }>('/v1/audit/export-key');
    expect(key.body.algorithm).toBe('Ed25519');
    writeFileSync(join(dir, 'key.pem'), key.body.publicKey);

    const response = await fetch(`${services.gateway.url}/v1/audit/export?from=${from}&to=${to}`, {
      headers: { authorization: `Bearer ${services.adminKey}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const text = await response.text();
    const lines = text.trimEnd().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({
      type: 'header',
      format: 'liaison-audit-export/1',
      algorithm: 'Ed25519',
    });
    const entries = lines.slice(1, -1).map((line) => JSON.parse(line) as { action: string; detail: string });
    expect(entries.filter((e) => e.action === 'key.created').length).toBeGreaterThanOrEqual(2);
    writeFileSync(join(dir, 'export.jsonl'), text);

    const verified = verifier(join(dir, 'export.jsonl'), join(dir, 'key.pem'));
    expect(verified.stderr).toBe('');
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^VERIFIED: ${entries.length} entries .* signature valid\\n$`));
    const sealed = verifier(join(dir, 'export.jsonl'), join(dir, 'key.pem'), process.env.AUDIT_SEAL_KEY);
    expect(sealed.status).toBe(0);
    expect(sealed.stdout).toContain('every seal recomputed');

    // One entry's detail altered: the lines are no longer those signed.
    const altered = [...lines];
    const at = altered.findIndex((line) => line.includes('"key.created"'));
    altered[at] = altered[at].replace('"detail":"', '"detail":"x');
    writeFileSync(join(dir, 'altered.jsonl'), `${altered.join('\n')}\n`);
    const refusedAltered = verifier(join(dir, 'altered.jsonl'), join(dir, 'key.pem'));
    expect(refusedAltered.status).toBe(1);
    expect(refusedAltered.stderr).toContain('the lines are not those that were signed');
    // Cut short: the signature line is gone.
    writeFileSync(join(dir, 'cut.jsonl'), `${lines.slice(0, -2).join('\n')}\n`);
    expect(verifier(join(dir, 'cut.jsonl'), join(dir, 'key.pem')).stderr).toContain('does not end with its signature');
    // Another key: the signature does not verify.
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    writeFileSync(join(dir, 'other.pem'), other);
    expect(verifier(join(dir, 'export.jsonl'), join(dir, 'other.pem')).stderr).toContain(
      'the signature does not verify with this public key',
    );
    // A wrong seal key: the seals do not match.
    expect(
      verifier(join(dir, 'export.jsonl'), join(dir, 'key.pem'), 'a-wrong-seal-key-of-at-least-32-characters').stderr,
    ).toMatch(/entry \d+ does not match its seal/);

    // The export is audited; a period backwards is refused.
    await waitFor(
      async () => (await admin.get<{ items: unknown[] }>('/v1/audit?action=audit.exported')).body.items.length > 0,
      { what: 'the export audited' },
    );
    const backwards = await admin.get<{ errors?: { field: string }[] }>(`/v1/audit/export?from=${to}&to=${from}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors?.[0].field).toBe('to');
  });
});
