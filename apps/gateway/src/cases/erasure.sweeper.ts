import { safeError } from '@liaison/observability';
import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { CaseErasureUseCase } from './case-erasure.usecase';
import { ErasureRepository } from './erasure.repository';

const SWEEP_MS = 5_000;

/**
 * Finishes what an erasure request could not: every few seconds, each erasure not yet complete is carried on
 * (CaseErased published again until acknowledged, the gateway's copies deleted, completion recorded once every
 * part has reported). So an erasure survives the broker being away and a gateway killed half way. Every step is
 * idempotent, so replicas sweeping at once do no harm.
 */
@Injectable()
export class ErasureSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly erasures: ErasureRepository,
    private readonly erasure: CaseErasureUseCase,
    @InjectPinoLogger(ErasureSweeper.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  /** Carries on every erasure under way; returns how many are still incomplete. */
  async sweep(): Promise<number> {
    if (this.running) return -1;
    this.running = true;
    let incomplete = 0;
    try {
      for (const pending of await this.erasures.pending(100)) {
        const after = await this.erasure.carryOn(pending, randomUUID());
        if (!after.completed_at) incomplete += 1;
      }
    } catch (error) {
      this.logger.warn({ err: safeError(error) }, 'could not carry on an erasure; the next sweep tries again');
    } finally {
      this.running = false;
    }
    return incomplete;
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }
}
