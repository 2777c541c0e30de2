import { demoPasswords, demoPeople } from './stack-people';
import { ApiClient } from '@liaison/testing';
import { randomBytes } from 'node:crypto';
import { readStackFile } from './stack-files';
import { exchange } from './demo/exchange';
import { forceSystem } from './demo/steps';

/**
 * `npm run demo` (with `npm run stack` running): a West Midlands Police request with entities through the
 * UK liaison bureau to Romania and Romania's reply; the request's phone matching a Romanian investigation
 * (hit / no-hit, a signed webhook to West Midlands' own system, both owners releasing their details); Romania's H2 forward to Spain, held until the bureau
 * grants it; a cross-check that goes overdue; a joint investigation team with a broadcast and a meeting;
 * the audit log verified. Each step is printed as its recipient sees it. Names and numbers are invented.
 */
async function main(): Promise<void> {
  const stack = readStackFile();
  if (!stack) throw new Error('no running stack found: start it with `npm run stack` first');
  const api = new ApiClient(stack.url);
  if ((await api.get('/health/ready').catch(() => ({ status: 0 }))).status !== 200) {
    throw new Error(`the stack at ${stack.url} is not ready: start it with \`npm run stack\``);
  }
  const wmp = api.as(stack.keys.westMidlands.key);
  const bureau = api.as(stack.keys.ukBureau.key);
  const romania = api.as(stack.keys.romania.key);
  const lead = api.as(stack.keys.programmeLead.key);
  const bureauSupervisor = api.as(stack.keys.ukBureauSupervisor.key);
  const spain = api.as(stack.keys.spain.key);
  const admin = api.as(stack.adminKey);
  const wmpSupervisor = api.as(stack.keys.westMidlandsSupervisor.key);
  const romaniaSupervisor = api.as(stack.keys.romaniaSupervisor.key);

  // West Midlands' intelligence system takes Liaison's notifications as signed webhooks for this demo.
  const secret = randomBytes(24).toString('hex');
  const receiver = await forceSystem(secret);
  const hook = await admin.post<{ id: string }>('/v1/webhooks', {
    agency: 'GB-WMP',
    url: receiver.url,
    secret,
    events: ['match.found', 'match.updated'],
  });
  if (hook.status !== 201)
    throw new Error(`the admin could not register the webhook: ${hook.status} ${JSON.stringify(hook.body)}`);
  try {
    await exchange(
      { wmp, wmpSupervisor, bureau, bureauSupervisor, romania, romaniaSupervisor, spain, lead, admin },
      receiver,
    );
  } finally {
    await admin.request('DELETE', `/v1/webhooks/${hook.body.id}`);
    receiver.close();
  }
  // What was just exchanged is in the console too: where it is, and who can sign in to see it.
  const passwords = demoPasswords();
  console.log(
    `\nThe console: ${stack.url}/console (sign in through Keycloak; each person sets up an authenticator app the first time)`,
  );
  for (const person of demoPeople())
    console.log(
      `  ${person.email.padEnd(36)} ${(passwords[person.username] ?? '(see deploy/local/keycloak.sh status)').padEnd(24)} ${person.agency.padEnd(12)} ${person.role}`,
    );
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
