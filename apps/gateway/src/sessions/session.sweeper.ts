import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { safeError } from '@liaison/observability';
import { SessionAuthenticator } from './session-authenticator';
import { SessionStore } from './session.store';

const SWEEP_MS = 30_000;

/**
 * Records in the audit trail the sessions that ended by running out of time with no request to notice (a
 * person who closed the browser): every half minute, each ended session is claimed by one replica and audited
 * once, as `person.session-expired` with `idle` or `absolute`.
 */
@Injectable()
export class SessionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: SessionStore,
    private readonly sessions: SessionAuthenticator,
    @InjectPinoLogger(SessionSweeper.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  async sweep(now = Date.now()): Promise<number> {
    try {
      const ended = await this.store.claimEnded(now);
      for (const { session, reason } of ended) await this.sessions.auditExpiry(session, reason, randomUUID());
      return ended.length;
    } catch (error) {
      this.logger.warn({ err: safeError(error) }, 'could not sweep ended sessions; the next sweep tries again');
      return 0;
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
