import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import {
  encodeEvent,
  entitiesToProto,
  evaluationToProto,
  handlingToProto,
  MessageSubmittedSchema,
  MessageType,
  Priority,
  Topics,
  type EncodedRecord,
  type EntityJson,
} from '@liaison/contracts';
import { issueCaseReference, type Handling as DomainHandling } from '@liaison/domain';
import { loadAgencyRegister } from '@liaison/persistence';
import { newDataKey, sealMessageText, type MessageText } from '@liaison/protection';
import { seededRandom } from '@liaison/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';

/**
 * The workload of `bench:pipeline`: submitted-message events as the exchange carries them (1-5 recipients;
 * realistic subject and body sizes; requests, cross-checks and information, with 40% follow-ups in an earlier case,
 * mostly replies; a mix of priorities, handling codes and evaluations; 0-8 structured entities; a share of new
 * cases opened by a broadcast to one of 40 joint investigation teams of 6-12 agencies). The same seed gives the
 * same records.
 */

/** Share of new cases opened by a JIT broadcast (BENCH_JIT_SHARE, default 0.05). */
const JIT_SHARE = Number(process.env.BENCH_JIT_SHARE ?? 0.05);

const WORDS =
  'request information subscriber vehicle account victims controller recruitment premises address travel checks linked investigation operation exploitation labour sexual criminal payment transfer identity document border crossing'.split(
    ' ',
  );

function text(random: () => number, min: number, max: number): string {
  const length = min + Math.floor(random() * (max - min));
  let out = '';
  while (out.length < length) out += `${WORDS[Math.floor(random() * WORDS.length)]} `;
  return out.slice(0, length);
}

/** 0 to 8 entities of the kinds structured traffic carries most: people, phones, accounts, vehicles. */
function entitiesFor(random: () => number, seed: number): EntityJson[] {
  const count = Math.floor(random() * 9);
  return Array.from({ length: count }, (_, k): EntityJson => {
    const ref = `e${k}`;
    const n = String((seed * 9 + k) % 10_000_000).padStart(7, '0');
    switch (k % 4) {
      case 0:
        return {
          ref,
          type: 'person',
          names: [WORDS[k % WORDS.length], `SURNAME${n}`],
          dateOfBirth: '1988-04-02',
          nationality: 'RO',
        };
      case 1:
        return { ref, type: 'phone', number: `+40 72${n}`, country: 'RO' };
      case 2:
        return { ref, type: 'vehicle', plate: `B-${n.slice(0, 3)}-XYZ`, country: 'RO' };
      default:
        return { ref, type: 'email', address: `contact${n}@example.ro` };
    }
  });
}

export interface BenchJit {
  id: string;
  members: { code: string; country: string }[];
}

/** The teams broadcasts go to: 40 of 6 to 12 agencies each, active today. */
export function teams(random: () => number): BenchJit[] {
  const register = loadAgencyRegister();
  return Array.from({ length: 40 }, () => {
    const size = 6 + Math.floor(random() * 7);
    const members = new Map<string, string>();
    while (members.size < size) {
      const agency = register[Math.floor(random() * register.length)];
      members.set(agency.code, agency.country);
    }
    return { id: randomUUID(), members: [...members].map(([code, country]) => ({ code, country })) };
  });
}

export async function storeTeams(db: Client, jits: BenchJit[]): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  for (const jit of jits) {
    await db.query(
      `INSERT INTO jits (id, name, lead_agency, starts_on, ends_on, eurojust, europol, created_at) VALUES ($1, $2, $3, $4, $4::date + 365, true, true, now())`,
      [jit.id, `JIT ${jit.id.slice(0, 8)}`, jit.members[0].code, today],
    );
    await db.query(
      `INSERT INTO jit_members (jit_id, agency_code, party_country, joined_at) SELECT $1, code, country, now() FROM unnest($2::text[], $3::text[]) AS m(code, country)`,
      [jit.id, jit.members.map((m) => m.code), jit.members.map((m) => m.country)],
    );
  }
}

/**
 * N submitted-message events. Sealed (as the gateway sends them), each new case gets a data key of its own, which
 * the bench stores wrapped before routing; otherwise the content travels in clear, as records from before sealing.
 */
export function generate(
  n: number,
  jits: BenchJit[],
  { sealed }: { sealed: boolean },
): { records: EncodedRecord[]; deliveries: number; broadcasts: number; keys: Map<string, Buffer> } {
  const keys = new Map<string, Buffer>();
  const random = seededRandom(42);
  const agencies = loadAgencyRegister().map((a) => a.code);
  const pick = () => agencies[Math.floor(random() * agencies.length)];
  let broadcasts = 0;
  const cases: { reference: string; participants: string[]; opener: string }[] = [];
  const weighted = <T>(choices: [T, number][]): T => {
    let roll = random();
    for (const [value, weight] of choices) if ((roll -= weight) < 0) return value;
    return choices[choices.length - 1][0];
  };
  const records: EncodedRecord[] = [];
  let deliveries = 0;
  const now = new Date();
  for (let i = 0; i < n; i += 1) {
    const followUp = cases.length > 0 && random() < 0.4;
    const existing = followUp ? cases[Math.floor(random() * cases.length)] : undefined;
    const jit = !existing && random() < JIT_SHARE ? jits[Math.floor(random() * jits.length)] : undefined;
    const sender = existing
      ? existing.participants[Math.floor(random() * existing.participants.length)]
      : jit
        ? jit.members[Math.floor(random() * jit.members.length)].code
        : pick();
    const recipients = new Set<string>();
    if (jit) {
      // A broadcast goes to every other member of the team.
      for (const member of jit.members) if (member.code !== sender) recipients.add(member.code);
      broadcasts += 1;
    } else {
      const wanted = 1 + Math.floor(random() * 5);
      while (recipients.size < wanted) {
        const candidate = pick();
        if (candidate !== sender) recipients.add(candidate);
      }
    }
    const reference = existing?.reference ?? issueCaseReference(now);
    const messageId = randomUUID();
    const type = existing
      ? weighted<MessageType>([
          [MessageType.REPLY, 0.7],
          [MessageType.INFORMATION, 0.3],
        ])
      : weighted<MessageType>([
          [MessageType.REQUEST, 0.5],
          [MessageType.CROSS_CHECK, 0.1],
          [MessageType.INFORMATION, 0.4],
        ]);
    if (!existing) cases.push({ reference, participants: [sender, ...recipients], opener: messageId });
    else for (const r of recipients) if (!existing.participants.includes(r)) existing.participants.push(r);
    deliveries += recipients.size;
    // Drawn in this order, so that a seed always gives the same workload.
    const priority = weighted<Priority>([
      [Priority.NORMAL, 0.7],
      [Priority.URGENT, 0.25],
      [Priority.URGENT_DIRECT, 0.05],
    ]);
    const handling = weighted<DomainHandling>([
      [{ code: 'H0' }, 0.6],
      [{ code: 'H1' }, 0.2],
      [{ code: 'H2', uk: 'C' }, 0.15],
      [{ code: 'H3', restriction: 'Not to be disclosed to the victims’ employer' }, 0.05],
    ]);
    const evaluation = random() < 0.5 ? evaluationToProto({ scheme: '4x4', source: 'B', information: '2' }) : undefined;
    const content: MessageText = {
      entities: entitiesFor(random, i),
      subject: text(random, 40, 120),
      body: text(random, 300, 3000),
      links: [],
      handlingRestriction: handling.restriction ?? '',
      attachmentNames: [],
    };
    if (sealed && !keys.has(reference)) keys.set(reference, newDataKey());
    records.push(
      encodeEvent(Topics.messageSubmitted, {
        key: reference,
        correlationId: randomUUID(),
        payload: create(MessageSubmittedSchema, {
          messageId,
          type,
          inReplyTo: type === MessageType.REPLY && existing ? existing.opener : '',
          priority,
          evaluation,
          caseReference: reference,
          opensCase: !existing,
          senderAgency: sender,
          recipientAgencies: [...recipients],
          jitId: jit?.id ?? '',
          submittedAt: timestampFromDate(now),
          submittedByKeyId: randomUUID(),
          ...(sealed
            ? {
                handling: handlingToProto({ ...handling, restriction: undefined }),
                sealedContent: sealMessageText(keys.get(reference)!, reference, messageId, content),
              }
            : {
                handling: handlingToProto(handling),
                entities: entitiesToProto(content.entities),
                subject: content.subject,
                body: content.body,
              }),
        }),
      }),
    );
  }
  return { records, deliveries, broadcasts, keys };
}
