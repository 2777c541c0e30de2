import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AuditRecordedSchema, Topics, type OutgoingEvent, type TopicName } from '@liaison/contracts';
import type { AuditAction, AuditObjectType } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { CommandPublisher } from '../application/command-publisher';

export interface AuditedAction {
  action: AuditAction;
  objectType: AuditObjectType;
  objectId: string;
  /** A content-free qualifier, e.g. the agency a message is forwarded to. */
  detail?: string;
}

/**
 * Records what callers do in the audit log. The entry is published (and acknowledged by the broker)
 * before the action's result is returned, so nothing is read, downloaded or changed unrecorded; the
 * tracker appends it to the hash chain. A command and the entries of what it does are published together
 * (`publishAudited`).
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly commands: CommandPublisher) {}

  record(caller: Caller, action: AuditedAction, correlationId: string): Promise<void> {
    return this.commands.publish(Topics.auditRecorded, [this.event(caller, action, correlationId)]);
  }

  /**
   * Publishes a command with the audit entries of what it does, and returns once the broker has acknowledged
   * both: a change is never made unrecorded, and a caller told of a failure retries both.
   */
  async publishAudited<T extends TopicName>(
    topic: T,
    events: OutgoingEvent<T>[],
    caller: Caller,
    actions: AuditedAction[],
    correlationId: string,
  ): Promise<void> {
    await Promise.all([
      this.commands.publish(topic, events),
      this.commands.publish(
        Topics.auditRecorded,
        actions.map((action) => this.event(caller, action, correlationId)),
      ),
    ]);
  }

  event(caller: Caller, action: AuditedAction, correlationId: string): OutgoingEvent<typeof Topics.auditRecorded> {
    return {
      key: caller.agency,
      correlationId,
      payload: create(AuditRecordedSchema, {
        action: action.action,
        agency: caller.agency,
        keyId: caller.type === 'api-key' ? caller.id : '',
        principalType: caller.type,
        principalId: caller.id,
        objectType: action.objectType,
        objectId: action.objectId,
        detail: action.detail ?? '',
        at: timestampFromDate(new Date()),
      }),
    };
  }
}
