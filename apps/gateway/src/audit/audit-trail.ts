import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AuditRecordedSchema, Topics, type OutgoingEvent } from '@liaison/contracts';
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
 * tracker appends it to the hash chain. Publishing it together with a command (`withCommand`) sends both
 * in one produce request.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly commands: CommandPublisher) {}

  record(caller: Caller, action: AuditedAction, correlationId: string): Promise<void> {
    return this.commands.publish(Topics.auditRecorded, [this.event(caller, action, correlationId)]);
  }

  event(caller: Caller, action: AuditedAction, correlationId: string): OutgoingEvent<typeof Topics.auditRecorded> {
    return {
      key: caller.agency,
      correlationId,
      payload: create(AuditRecordedSchema, {
        action: action.action,
        agency: caller.agency,
        keyId: caller.keyId,
        objectType: action.objectType,
        objectId: action.objectId,
        detail: action.detail ?? '',
        at: timestampFromDate(new Date()),
      }),
    };
  }
}
