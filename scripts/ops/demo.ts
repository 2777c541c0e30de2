import { demoPasswords, demoPeople } from './stack-people';
import { ApiClient } from '@liaison/testing';
import { randomBytes } from 'node:crypto';
import { readStackFile } from './stack-files';
import { exchange } from './demo/exchange';
import { answered, forceSystem } from './demo/steps';
import { liaisonClient } from '@liaison/client';

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
  // Each actor calls the API through the typed client generated from its OpenAPI document.
  const as = (key: string) => liaisonClient(stack.url, key);
  const wmp = as(stack.keys.westMidlands.key);
  const bureau = as(stack.keys.ukBureau.key);
  const romania = as(stack.keys.romania.key);
  const lead = api.as(stack.keys.programmeLead.key);
  const bureauSupervisor = as(stack.keys.ukBureauSupervisor.key);
  const spain = as(stack.keys.spain.key);
  const admin = as(stack.adminKey);
  const wmpSupervisor = as(stack.keys.westMidlandsSupervisor.key);
  const romaniaSupervisor = as(stack.keys.romaniaSupervisor.key);

  // West Midlands' intelligence system takes Liaison's notifications as signed webhooks for this demo.
  const secret = randomBytes(24).toString('hex');
  const receiver = await forceSystem(secret);
  const hook = answered(
    await admin.POST('/v1/webhooks', {
      body: { agency: 'GB-WMP', url: receiver.url, secret, events: ['match.found', 'match.updated'] },
    }),
    'the admin could not register the webhook',
  );
  try {
    await exchange(
      { wmp, wmpSupervisor, bureau, bureauSupervisor, romania, romaniaSupervisor, spain, lead, admin },
      receiver,
    );
  } finally {
    await admin.DELETE('/v1/webhooks/{id}', { params: { path: { id: hook.id } } });
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
