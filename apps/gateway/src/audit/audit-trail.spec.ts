import { create } from '@bufbuild/protobuf';
import { CaseClosedSchema, Topics, type OutgoingEvent, type TopicName } from '@liaison/contracts';
import type { CommandPublisher } from '../application/command-publisher';
import type { Caller } from '../auth/caller';
import { AuditTrail } from './audit-trail';

const CALLER = { type: 'api-key', id: 'k-ro', agency: 'RO-ENU', role: 'officer' } as Caller;

function trail(fail?: TopicName): { audit: AuditTrail; published: [TopicName, OutgoingEvent<TopicName>[]][] } {
  const published: [TopicName, OutgoingEvent<TopicName>[]][] = [];
  const commands = {
    publish: async (topic: TopicName, events: OutgoingEvent<TopicName>[]) => {
      if (topic === fail) throw new Error('broker down');
      published.push([topic, events]);
    },
  } as unknown as CommandPublisher;
  return { audit: new AuditTrail(commands), published };
}

const closed: OutgoingEvent<typeof Topics.caseClosed> = {
  key: 'LIA-2026-ABC',
  correlationId: 'c-1',
  payload: create(CaseClosedSchema, { caseReference: 'LIA-2026-ABC', closedByAgency: 'RO-ENU' }),
};

describe('AuditTrail.publishAudited', () => {
  it('publishes the command and one audit entry per action, each naming the caller and the object', async () => {
    const { audit, published } = trail();
    const actions = [
      { action: 'match-key.excluded' as const, objectType: 'match-key' as const, objectId: 'd1' },
      { action: 'match-key.excluded' as const, objectType: 'match-key' as const, objectId: 'd2' },
    ];
    await audit.publishAudited(Topics.caseClosed, [closed], CALLER, actions, 'c-1');
    expect(published.map(([topic, events]) => [topic, events.length])).toEqual([
      [Topics.caseClosed, 1],
      [Topics.auditRecorded, 2],
    ]);
    const entries = published[1][1].map((event) => event.payload as unknown as Record<string, unknown>);
    expect(entries).toEqual([
      expect.objectContaining({ agency: 'RO-ENU', keyId: 'k-ro', objectType: 'match-key', objectId: 'd1' }),
      expect.objectContaining({ objectId: 'd2' }),
    ]);
    expect(published[1][1].every((event) => event.correlationId === 'c-1' && event.key === 'RO-ENU')).toBe(true);
  });

  it('fails when either is not acknowledged, so the caller is never told a change was made unrecorded', async () => {
    for (const topic of [Topics.caseClosed, Topics.auditRecorded]) {
      const { audit } = trail(topic);
      await expect(
        audit.publishAudited(
          Topics.caseClosed,
          [closed],
          CALLER,
          [{ action: 'case.closed', objectType: 'case', objectId: 'LIA-2026-ABC' }],
          'c-1',
        ),
      ).rejects.toThrow('broker down');
    }
  });
});
