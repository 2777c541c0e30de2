import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { AuditCheckpointSchema, Topics } from '@liaison/contracts';
import { auditCheckpoint, type AuditCheckpoint } from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { EventPublisher } from '@liaison/messaging';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { AuditLogRepository, type ChainHead } from './audit-log.repository';
import type { TrackerConfig } from './tracker.config';

/** The one key of the compacted checkpoint topic: the broker keeps its newest record. */
export const CHECKPOINT_KEY = 'chain-head';

/**
 * Takes checkpoints of the audit chain's head outside PostgreSQL: appended to a file (synced to disk) and
 * published to the compacted checkpoint topic, each sealed with the key. One is taken once
 * AUDIT_CHECKPOINT_EVERY entries were appended since the last, and every AUDIT_CHECKPOINT_INTERVAL_MS when the
 * head has moved; so removing the log's newest entries can go unnoticed only for what was appended since.
 */
@Injectable()
export class AuditCheckpointWriter implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private last: ChainHead | null = null;
  private sinceLast = 0;
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly log: AuditLogRepository,
    private readonly publisher: EventPublisher,
    @Inject(SERVICE_CONFIG) private readonly config: TrackerConfig,
    @InjectPinoLogger(AuditCheckpointWriter.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.checkpointIfMoved(), this.config.AUDIT_CHECKPOINT_INTERVAL_MS);
    void this.checkpointIfMoved();
  }

  /** A last checkpoint while the publisher and the database are still open. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.checkpointIfMoved();
  }

  /** Called after entries are committed: a checkpoint once enough have been appended. */
  async appended(count: number): Promise<void> {
    this.sinceLast += count;
    if (this.sinceLast >= this.config.AUDIT_CHECKPOINT_EVERY) await this.checkpointIfMoved();
  }

  /** Takes a checkpoint when the head is not the one last checkpointed. Failures are logged and retried later. */
  checkpointIfMoved(): Promise<void> {
    this.writing = this.writing.then(async () => {
      try {
        const head = await this.log.head();
        if (!head || (this.last && this.last.seq === head.seq && this.last.hash === head.hash)) return;
        const checkpoint = auditCheckpoint(this.config.AUDIT_SEAL_KEY, head, new Date());
        await Promise.all([this.toFile(checkpoint), this.toTopic(checkpoint)]);
        this.last = head;
        this.sinceLast = 0;
        this.logger.debug({ seq: head.seq }, 'audit checkpoint taken');
      } catch (error) {
        this.logger.error({ err: error }, 'audit checkpoint not taken; retrying at the next one');
      }
    });
    return this.writing;
  }

  private async toFile(checkpoint: AuditCheckpoint): Promise<void> {
    const path = this.config.AUDIT_CHECKPOINT_FILE;
    await mkdir(dirname(path), { recursive: true });
    const file = await open(path, 'a', 0o600);
    try {
      await file.write(
        `${JSON.stringify({ seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at.toISOString(), mac: checkpoint.mac })}\n`,
      );
      await file.sync();
    } finally {
      await file.close();
    }
  }

  private toTopic(checkpoint: AuditCheckpoint): Promise<void> {
    return this.publisher.publish(Topics.auditCheckpoints, [
      {
        key: CHECKPOINT_KEY,
        correlationId: `audit-checkpoint-${checkpoint.seq}`,
        payload: create(AuditCheckpointSchema, {
          seq: BigInt(checkpoint.seq),
          hash: checkpoint.hash,
          at: timestampFromDate(checkpoint.at),
          mac: checkpoint.mac,
        }),
      },
    ]);
  }
}
