import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { decodeEvent, encodeEvent, eventTime, Headers, UndecodableEventError } from './envelope';
import { derivedEventId, timedEventId } from './event-id';
import { MessageSubmittedSchema } from './gen/liaison/v1/messages_pb';
import { Topics } from './topics';

const payload = create(MessageSubmittedSchema, {
  messageId: '5f0d8c1e-2a4b-4c6d-8e9f-0a1b2c3d4e5f',
  caseReference: 'LIA-2026-ABCDEFGH0',
  opensCase: true,
  senderAgency: 'GB-WMP',
  recipientAgencies: ['GB-NCA-UKLB'],
  subject: 'Ștefan — subject',
  body: 'body with unicode: Стефан',
  submittedAt: timestampFromDate(new Date('2026-01-02T03:04:05.678Z')),
  submittedByKeyId: 'b5e1b6b0-0000-4000-8000-000000000001',
});

describe('event envelopes', () => {
  it('round-trip a payload with its headers', () => {
    const record = encodeEvent(Topics.messageSubmitted, {
      key: payload.caseReference,
      correlationId: 'corr-1',
      payload,
    });
    expect(record.headers[Headers.eventType]).toBe('liaison.v1.MessageSubmitted');
    expect(record.headers[Headers.schemaVersion]).toBe('1');
    const decoded = decodeEvent(Topics.messageSubmitted, {
      key: Buffer.from(record.key),
      value: record.value,
      headers: record.headers,
    });
    expect(decoded.payload.subject).toBe(payload.subject);
    expect(decoded.payload.body).toBe(payload.body);
    expect(decoded.payload.recipientAgencies).toEqual(['GB-NCA-UKLB']);
    expect(decoded.correlationId).toBe('corr-1');
    expect(decoded.key).toBe('LIA-2026-ABCDEFGH0');
    expect(decoded.eventId).toBe(record.headers[Headers.eventId]);
  });

  it("know when the record was written, and take an event's time from it only when the event names none", () => {
    const record = encodeEvent(Topics.messageSubmitted, { key: 'k', correlationId: 'c', payload });
    const written = new Date('2026-12-03T10:00:00.000Z');
    const decoded = decodeEvent(Topics.messageSubmitted, { ...record, timestamp: String(written.getTime()) });
    expect(decoded.recordedAt).toEqual(written);
    expect(eventTime(undefined, decoded.recordedAt)).toEqual(written);
    const named = new Date('2026-12-02T09:30:00.000Z');
    expect(eventTime(timestampFromDate(named), decoded.recordedAt)).toEqual(named);
  });

  it('keep an explicit event id', () => {
    const eventId = derivedEventId('routed', payload.messageId);
    const record = encodeEvent(Topics.messageSubmitted, { eventId, key: 'k', correlationId: 'c', payload });
    expect(record.headers[Headers.eventId]).toBe(eventId);
  });

  it('refuse a record of another event type', () => {
    const record = encodeEvent(Topics.messageSubmitted, { key: 'k', correlationId: 'c', payload });
    expect(() => decodeEvent(Topics.messageRouted, record)).toThrow(UndecodableEventError);
  });

  it('refuse records without headers, with a foreign schema version or with garbage bytes', () => {
    const record = encodeEvent(Topics.messageSubmitted, { key: 'k', correlationId: 'c', payload });
    expect(() => decodeEvent(Topics.messageSubmitted, { ...record, headers: {} })).toThrow(/event id/);
    expect(() =>
      decodeEvent(Topics.messageSubmitted, { ...record, headers: { ...record.headers, [Headers.schemaVersion]: '2' } }),
    ).toThrow(/schema version/);
    expect(() =>
      decodeEvent(Topics.messageSubmitted, { ...record, value: Buffer.from([0xff, 0xff, 0xff, 0xff]) }),
    ).toThrow(UndecodableEventError);
  });
});

describe('derivedEventId', () => {
  it('is a stable, well-formed UUID that depends on every part', () => {
    const id = derivedEventId('routed', 'abc');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedEventId('routed', 'abc')).toBe(id);
    expect(derivedEventId('rejected', 'abc')).not.toBe(id);
    expect(derivedEventId('routeda', 'bc')).not.toBe(id);
  });
});

describe('timedEventId', () => {
  it('is a stable version 8 UUID that depends on every part and begins with the time of its cause', () => {
    const at = new Date('2025-12-01T10:00:00.123Z');
    const id = timedEventId(at, 'routed', 'abc');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at.getTime());
    expect(timedEventId(at, 'routed', 'abc')).toBe(id);
    expect(timedEventId(at, 'routed', 'abd')).not.toBe(id);
    expect(timedEventId(new Date(at.getTime() + 1), 'routed', 'abc')).not.toBe(id);
  });

  it('sorts later causes after earlier ones, as the database compares UUIDs (bytewise)', () => {
    const times = [0, 1, 999, 1_000, 86_400_000, 1_764_583_200_000].map((ms) => new Date(ms));
    const ids = times.map((at, i) => timedEventId(at, 'routed', String(times.length - i)));
    expect([...ids].sort()).toEqual(ids);
  });
});
