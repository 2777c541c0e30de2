import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { JitChangedSchema, Topics, type JitChanged } from '@liaison/contracts';
import type { AuditAction } from '@liaison/domain';
import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail';
import type { Caller } from '../auth/caller';

type Change = JitChanged['change'];

/**
 * How a team is changed: the router owns teams, so every change is a JitChanged event, published with its
 * audit entry. Each use case then waits (briefly) until the router has applied it, so its answer shows it.
 */
@Injectable()
export class JitChanges {
  constructor(private readonly audit: AuditTrail) {}

  /** Publishes one change of team `id` with its audit entry. */
  async publish(
    id: string,
    caller: Caller,
    correlationId: string,
    action: AuditAction,
    change: Change,
    detail = '',
  ): Promise<void> {
    await this.audit.publishAudited(
      Topics.jitChanged,
      [
        {
          key: id,
          correlationId,
          payload: create(JitChangedSchema, {
            jitId: id,
            byAgency: caller.agency,
            byKeyId: caller.id,
            at: timestampFromDate(new Date()),
            change,
          }),
        },
      ],
      caller,
      [{ action, objectType: 'jit', objectId: id, detail }],
      correlationId,
    );
  }
}
