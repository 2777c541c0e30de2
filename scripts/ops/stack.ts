import { generateApiKey } from '@liaison/domain';
import { ApiClient, waitFor } from '@liaison/testing';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { provision } from './provision';
import { readStackFile, STACK_DIR, writeStackFile, type DemoKey } from './stack-files';
import { FIRST_ADMIN_EMAIL, provisionPeople, startKeycloak } from './stack-people';

/**
 * `npm run stack`: brings up Kafka (and PostgreSQL/Redis if down) and Keycloak, migrates and seeds, starts the
 * services as separate processes with prefixed logs, issues the demo keys, makes Keycloak the demo agencies'
 * identity provider, invites the demo people and the first admin, and prints how each signs in. Ctrl-C stops
 * the services, and the Kafka broker too when this command started it.
 */
const root = join(__dirname, '..', '..', '..');
const port = process.env.PORT ?? '3000';
const url = `http://127.0.0.1:${port}`;
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/liaison';
const kafkaBrokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const kafkaNamespace = process.env.KAFKA_NAMESPACE ?? '';

const DEMO_KEYS: { name: string; agency: string; role: string }[] = [
  { name: 'westMidlands', agency: 'GB-WMP', role: 'officer' },
  { name: 'westMidlandsSupervisor', agency: 'GB-WMP', role: 'supervisor' },
  { name: 'ukBureau', agency: 'GB-NCA-UKLB', role: 'officer' },
  { name: 'ukBureauSupervisor', agency: 'GB-NCA-UKLB', role: 'supervisor' },
  { name: 'spain', agency: 'ES-ENU', role: 'officer' },
  { name: 'romania', agency: 'RO-ENU', role: 'officer' },
  { name: 'romaniaSupervisor', agency: 'RO-ENU', role: 'supervisor' },
  { name: 'programmeLead', agency: 'GB-NCA', role: 'programme-lead' },
];

const COLOURS: Record<string, string> = { router: '\x1b[36m', tracker: '\x1b[35m', gateway: '\x1b[32m' };
const children: ChildProcess[] = [];
let stopping = false;

function say(line: string): void {
  console.log(`\x1b[1m[stack]\x1b[0m ${line}`);
}

function brokerAnswers(): boolean {
  return spawnSync(join(root, 'deploy/local/kafka.sh'), ['status'], { stdio: 'ignore' }).status === 0;
}

function startService(name: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [join(root, 'dist/apps', name, 'src/main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `${COLOURS[name] ?? ''}${name.padEnd(7)}\x1b[0m |`;
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => console.log(`${prefix} ${line}`));
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      say(`${name} exited (${signal ?? code}); stopping the stack`);
      void stop(1);
    }
  });
  children.push(child);
  return child;
}

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping services');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        }),
    ),
  );
  if (startedKafka) {
    say('stopping the Kafka broker this command started');
    spawnSync(join(root, 'deploy/local/kafka.sh'), ['down'], { stdio: 'inherit' });
  }
  process.exit(code);
}

async function demoKeys(api: ApiClient, adminKey: string): Promise<Record<string, DemoKey>> {
  const previous = readStackFile();
  const keys: Record<string, DemoKey> = {};
  for (const wanted of DEMO_KEYS) {
    const old = previous?.keys[wanted.name];
    // Reuse a key from an earlier run while it still works, rather than piling up keys.
    if (old && old.agency === wanted.agency && old.role === wanted.role) {
      const probe = wanted.role !== 'programme-lead' ? '/v1/inbox?limit=1' : '/v1/reports/imports';
      if ((await api.as(old.key).get(probe)).status === 200) {
        keys[wanted.name] = old;
        continue;
      }
    }
    const issued = await api.as(adminKey).post<{ key: string }>('/v1/api-keys', {
      agency: wanted.agency,
      role: wanted.role,
      label: `demo: ${wanted.name}`,
    });
    if (issued.status !== 201)
      throw new Error(`could not issue the ${wanted.name} demo key: ${issued.status} ${JSON.stringify(issued.body)}`);
    keys[wanted.name] = { agency: wanted.agency, role: wanted.role, key: issued.body.key };
  }
  return keys;
}

let startedKafka = false;

async function main(): Promise<void> {
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  startedKafka = !brokerAnswers();
  const up = spawnSync(join(root, 'deploy/local/up.sh'), { stdio: 'inherit' });
  if (up.status !== 0) throw new Error('could not bring up Kafka, PostgreSQL and Redis');

  say("starting Keycloak, the demo agencies' identity provider");
  const keycloak = startKeycloak();

  // Made once and kept: without it, nothing the stack has stored can be read again.
  const masterKeys =
    process.env.MASTER_KEYS ?? readStackFile()?.masterKeys ?? `local:${randomBytes(32).toString('base64')}`;
  // Provisioning seals what an older stack stored in clear, under the same key.
  process.env.MASTER_KEYS = masterKeys;
  say('migrating and seeding the database, creating topics');
  await provision({ databaseUrl, kafkaBrokers, kafkaNamespace });

  const adminKey = process.env.LIAISON_ADMIN_KEY ?? readStackFile()?.adminKey ?? generateApiKey();
  const auditSealKey =
    process.env.AUDIT_SEAL_KEY ?? readStackFile()?.auditSealKey ?? randomBytes(32).toString('base64url');
  const identitySecretKey =
    process.env.IDENTITY_SECRET_KEY ?? readStackFile()?.identitySecretKey ?? randomBytes(32).toString('base64url');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: port,
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: kafkaBrokers,
    KAFKA_NAMESPACE: kafkaNamespace,
    LIAISON_ADMIN_KEY: adminKey,
    AUDIT_SEAL_KEY: auditSealKey,
    IDENTITY_SECRET_KEY: identitySecretKey,
    MASTER_KEYS: masterKeys,
    AUDIT_CHECKPOINT_FILE: process.env.AUDIT_CHECKPOINT_FILE ?? join(STACK_DIR, 'audit-checkpoints.jsonl'),
    LOG_FORMAT: process.env.LOG_FORMAT ?? 'pretty',
    // A local stack: the demo's webhook receiver listens on this machine.
    WEBHOOK_ALLOW_LOOPBACK: process.env.WEBHOOK_ALLOW_LOOPBACK ?? 'true',
  };
  startService('router', env);
  startService('tracker', env);
  startService('matcher', env);
  startService('notifier', env);
  startService('gateway', env);

  const api = new ApiClient(url);
  await waitFor(async () => (await api.get('/health/ready')).status === 200, {
    timeoutMs: 120_000,
    what: 'the gateway to be ready',
  });
  await waitFor(async () => (await api.get('/health/exchange')).status === 200, {
    timeoutMs: 120_000,
    what: 'every service to be consuming',
  });
  const keys = await demoKeys(api, adminKey);
  writeStackFile({ url, adminKey, auditSealKey, identitySecretKey, masterKeys, keys });
  const { people, firstAdminLink } = await provisionPeople(api.as(adminKey), keycloak);

  say('');
  say(`Liaison is up: ${url}   (API description: ${url}/docs)`);
  say(`admin key${process.env.LIAISON_ADMIN_KEY ? ' (from LIAISON_ADMIN_KEY)' : ''}: ${adminKey}`);
  for (const [name, key] of Object.entries(keys))
    say(`${name.padEnd(22)} ${key.agency.padEnd(12)} ${key.role.padEnd(15)} ${key.key}`);
  say('');
  say(`people sign in at ${url}/auth/sign-in through Keycloak (each sets up an authenticator app the first time):`);
  for (const person of people)
    say(`  ${person.email.padEnd(34)} ${person.password.padEnd(18)} ${person.agency.padEnd(12)} ${person.role}`);
  say(
    firstAdminLink
      ? `first admin (${FIRST_ADMIN_EMAIL}, a local account): set a password at ${firstAdminLink}`
      : `first admin (${FIRST_ADMIN_EMAIL}) has enrolled; sign in with a password at ${url}/auth/sign-in`,
  );
  if (process.argv.includes('--with-metrics')) startPrometheus();
  say('try:  npm run demo        (in another terminal)');
  say('stop: Ctrl-C');
}

/**
 * `--with-metrics`: Prometheus (Debian's `prometheus` package) scraping every service with deploy/observability's
 * configuration and alert rules, on http://127.0.0.1:9090, its data beside the stack's.
 */
function startPrometheus(): void {
  const binary = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
  if (!existsSync(binary)) {
    say(`--with-metrics: Prometheus is not installed (${binary}); install it with: apt-get install -y prometheus`);
    return;
  }
  const dir = join(STACK_DIR, 'prometheus');
  mkdirSync(join(dir, 'data'), { recursive: true });
  const source = join(root, 'deploy/observability');
  // The shipped configuration scrapes the gateway on port 3000; this stack's port is written in.
  writeFileSync(
    join(dir, 'prometheus.yml'),
    readFileSync(join(source, 'prometheus.yml'), 'utf8').replace("'127.0.0.1:3000'", `'127.0.0.1:${port}'`),
  );
  copyFileSync(join(source, 'alerts.yml'), join(dir, 'alerts.yml'));
  const child = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--web.listen-address=127.0.0.1:9090',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) say(`prometheus exited (${signal ?? code}); the services go on without it`);
  });
  say(
    'Prometheus: http://127.0.0.1:9090 (alerts at /alerts); the Grafana dashboard is deploy/observability/grafana-dashboard.json',
  );
}

main().catch(async (error: unknown) => {
  console.error('[stack] failed:', error instanceof Error ? error.message : error);
  await stop(1);
});
