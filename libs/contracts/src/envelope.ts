import { create, fromBinary, toBinary, type DescMessage, type MessageShape } from '@bufbuild/protobuf';
import type { GenMessage } from '@bufbuild/protobuf/codegenv2';
import { timestampDate, type Timestamp } from '@bufbuild/protobuf/wkt';
import { randomUUID } from 'node:crypto';
import {
  CaseClosedSchema,
  CaseErasedSchema,
  CaseOpenedSchema,
  CaseRestrictionChangedSchema,
} from './gen/liaison/v1/cases_pb';
import { AuditCheckpointSchema, AuditRecordedSchema } from './gen/liaison/v1/audit_pb';
import { JitChangedSchema } from './gen/liaison/v1/jits_pb';
import {
  MatchFoundSchema,
  MatchKeyExclusionChangedSchema,
  MatchReviewedSchema,
  MatchUpdatedSchema,
} from './gen/liaison/v1/matches_pb';
import {
  ForwardPermissionDecidedSchema,
  MessageForwardedSchema,
  MessageReadSchema,
  MessageRejectedSchema,
  MessageRectifiedSchema,
  MessageRevisedSchema,
  MessageRoutedSchema,
  MessageSubmittedSchema,
} from './gen/liaison/v1/messages_pb';
import { Topics, type TopicName } from './topics';

/** Kafka header names carried by every Liaison record (see proto/liaison/v1/messages.proto). */
export const Headers = {
  eventId: 'liaison-event-id',
  eventType: 'liaison-event-type',
  schemaVersion: 'liaison-schema-version',
  correlationId: 'liaison-correlation-id',
  /** W3C Trace Context: the span the event continues, so one submission can be followed through every service. */
  traceparent: 'traceparent',
} as const;

const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export const SCHEMA_VERSION = '1';

/** Which contract travels on which topic. A topic carries exactly one event type. */
export const TOPIC_SCHEMAS = {
  [Topics.messageSubmitted]: MessageSubmittedSchema,
  [Topics.messageRouted]: MessageRoutedSchema,
  [Topics.messageRejected]: MessageRejectedSchema,
  [Topics.messageRectified]: MessageRectifiedSchema,
  [Topics.messageRevised]: MessageRevisedSchema,
  [Topics.messageRead]: MessageReadSchema,
  [Topics.caseOpened]: CaseOpenedSchema,
  [Topics.caseClosed]: CaseClosedSchema,
  [Topics.caseErased]: CaseErasedSchema,
  [Topics.caseRestrictionChanged]: CaseRestrictionChangedSchema,
  [Topics.messageForwarded]: MessageForwardedSchema,
  [Topics.permissionDecided]: ForwardPermissionDecidedSchema,
  [Topics.jitChanged]: JitChangedSchema,
  [Topics.auditRecorded]: AuditRecordedSchema,
  [Topics.auditCheckpoints]: AuditCheckpointSchema,
  [Topics.matchFound]: MatchFoundSchema,
  [Topics.matchReviewed]: MatchReviewedSchema,
  [Topics.matchUpdated]: MatchUpdatedSchema,
  [Topics.matchKeyExclusionChanged]: MatchKeyExclusionChangedSchema,
} as const satisfies Record<TopicName, GenMessage<never> | DescMessage>;

export type TopicSchemas = typeof TOPIC_SCHEMAS;
export type EventOf<T extends TopicName> = MessageShape<TopicSchemas[T]>;

/** An event as consumers see it: the decoded value with the metadata from its headers. */
export interface EventEnvelope<T> {
  eventId: string;
  eventType: string;
  schemaVersion: string;
  correlationId: string;
  key: string;
  /** When the record was written to the broker (its Kafka timestamp): the time of an event that names none. */
  recordedAt: Date;
  /** The span that published the event (W3C `traceparent`), when it was traced and the header is well formed. */
  traceparent?: string;
  payload: T;
}

export interface EncodedRecord {
  key: string;
  value: Buffer;
  headers: Record<string, string>;
}

export interface OutgoingEvent<T extends TopicName> {
  /** Deterministic ids let a re-published event be recognised downstream; random ones are the default. */
  eventId?: string;
  key: string;
  correlationId: string;
  /** The W3C `traceparent` of the span publishing it (see Headers.traceparent). */
  traceparent?: string;
  payload: EventOf<T>;
}

export function encodeEvent<T extends TopicName>(topic: T, event: OutgoingEvent<T>): EncodedRecord {
  const schema = TOPIC_SCHEMAS[topic] as unknown as DescMessage;
  return {
    key: event.key,
    value: Buffer.from(toBinary(schema, create(schema, event.payload as never))),
    headers: {
      [Headers.eventId]: event.eventId ?? randomUUID(),
      [Headers.eventType]: schema.typeName,
      [Headers.schemaVersion]: SCHEMA_VERSION,
      [Headers.correlationId]: event.correlationId,
      ...(event.traceparent ? { [Headers.traceparent]: event.traceparent } : {}),
    },
  };
}

/** Why a record on a Liaison topic could not be read; such records go to the dead-letter topic untouched. */
export class UndecodableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UndecodableEventError';
  }
}

type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

function header(headers: RawHeaders, name: string): string | undefined {
  const value = headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined ? undefined : single.toString();
}

export function decodeEvent<T extends TopicName>(
  topic: T,
  record: { key: Buffer | string | null; value: Buffer | null; headers?: RawHeaders; timestamp?: string },
): EventEnvelope<EventOf<T>> {
  const schema = TOPIC_SCHEMAS[topic] as unknown as DescMessage;
  const headers = record.headers ?? {};
  const eventId = header(headers, Headers.eventId);
  const eventType = header(headers, Headers.eventType);
  const schemaVersion = header(headers, Headers.schemaVersion);
  if (!eventId || !/^[0-9a-f-]{36}$/.test(eventId))
    throw new UndecodableEventError('missing or malformed event id header');
  if (eventType !== schema.typeName) throw new UndecodableEventError(`unexpected event type ${eventType ?? '(none)'}`);
  if (schemaVersion !== SCHEMA_VERSION)
    throw new UndecodableEventError(`unsupported schema version ${schemaVersion ?? '(none)'}`);
  if (!record.value) throw new UndecodableEventError('record has no value');
  let payload: EventOf<T>;
  try {
    payload = fromBinary(schema, record.value) as EventOf<T>;
  } catch (error) {
    throw new UndecodableEventError(`value is not a valid ${schema.typeName}: ${(error as Error).message}`);
  }
  return {
    eventId,
    eventType,
    schemaVersion,
    correlationId: header(headers, Headers.correlationId) ?? eventId,
    key: record.key?.toString() ?? '',
    recordedAt: new Date(Number(record.timestamp ?? 0)),
    ...traceparentOf(header(headers, Headers.traceparent)),
    payload,
  };
}

function traceparentOf(value: string | undefined): { traceparent?: string } {
  return value !== undefined && TRACEPARENT.test(value) ? { traceparent: value } : {};
}

/**
 * The one rule for when an event happened: the time it names, or, when it names none, when its record was
 * written to the broker. Never the time a consumer reads it, so a replay files every event where the first
 * reading did.
 */
export function eventTime(stamp: Timestamp | undefined, recordedAt: Date): Date {
  return stamp ? timestampDate(stamp) : recordedAt;
}
