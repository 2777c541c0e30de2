import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where `npm run stack` leaves what `npm run demo` needs: the gateway URL and the demo keys (git-ignored). */
export const STACK_DIR = join(__dirname, '..', '..', '..', '.liaison');
export const STACK_FILE = join(STACK_DIR, 'stack.json');

export interface DemoKey {
  agency: string;
  role: string;
  key: string;
}

export interface StackFile {
  url: string;
  adminKey: string;
  /** The key the audit log is sealed with (the tracker and the gateway share it; the database never holds it). */
  auditSealKey: string;
  identitySecretKey?: string;
  /** MASTER_KEYS: the master key every case's data key is wrapped under (the database never holds it). */
  masterKeys?: string;
  keys: Record<string, DemoKey>;
}

export function readStackFile(): StackFile | null {
  try {
    return JSON.parse(readFileSync(STACK_FILE, 'utf8')) as StackFile;
  } catch {
    return null;
  }
}

export function writeStackFile(stack: StackFile): void {
  mkdirSync(STACK_DIR, { recursive: true });
  writeFileSync(STACK_FILE, `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
}
