import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface TestProviderSettings {
  clients: {
    client_id: string;
    client_secret: string;
    redirect_uris: string[];
    post_logout_redirect_uris?: string[];
  }[];
  accounts: Record<string, { email: string; email_verified: boolean; name?: string }>;
}

/** A running test OpenID provider (test/support/oidc-test-provider.mjs): its issuer URL, and how to stop it. */
export interface TestProvider {
  issuer: string;
  stop(): Promise<void>;
}

export async function startTestProvider(settings: TestProviderSettings): Promise<TestProvider> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-test-provider.mjs')], {
    env: { ...process.env, OIDC_TEST_CONFIG: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`the test OpenID provider stopped (${code})`)));
  });
  return {
    issuer,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
