import { timestampDate } from '@bufbuild/protobuf/wkt';
import { decodeEvent, qualifiedTopic, Topics } from '@liaison/contracts';
import { isAuthenticCheckpoint, type AuditCheckpoint } from '@liaison/domain';
import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import { Kafka } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { GatewayConfig } from '../gateway.config';

export type CheckpointSource = 'file' | 'topic';

export interface NewestCheckpoint {
  checkpoint: AuditCheckpoint;
  sources: CheckpointSource[];
}

/** How long a verification waits for the checkpoint topic to be read to its end. */
const CATCH_UP_MS = 5_000;

/**
 * The audit chain's checkpoints as they stand outside PostgreSQL: the compacted checkpoint topic, followed
 * from its beginning by this gateway (its own consumer group, never committed, so it is read whole at every
 * start), and the checkpoint file. Only checkpoints sealed with the key count; the newest of either wins, so
 * an attacker must rewrite both, and hold the key, to hide a truncation.
 */
@Injectable()
export class AuditCheckpointReader implements OnApplicationBootstrap, OnApplicationShutdown {
  private consumer?: Consumer;
  private fromTopic: AuditCheckpoint | null = null;
  private readOffset = -1n;

  constructor(
    private readonly kafka: Kafka,
    @Inject(SERVICE_CONFIG) private readonly config: GatewayConfig,
    @InjectPinoLogger(AuditCheckpointReader.name) private readonly logger: PinoLogger,
  ) {}

  private get topic(): string {
    return qualifiedTopic(this.config.KAFKA_NAMESPACE, Topics.auditCheckpoints);
  }

  async onApplicationBootstrap(): Promise<void> {
    // A group of this reader's own: every gateway reads the whole topic (the group holds no offsets, and the
    // broker drops it once the reader leaves).
    this.consumer = this.kafka.consumer({
      groupId: `${this.config.KAFKA_NAMESPACE}liaison-gateway-audit-checkpoints-${this.config.INSTANCE_ID}-${randomUUID()}`,
      maxWaitTimeInMs: 200,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        this.readOffset = BigInt(message.offset);
        try {
          const { payload } = decodeEvent(Topics.auditCheckpoints, message);
          this.fromTopic = newer(
            this.fromTopic,
            this.authentic({
              seq: Number(payload.seq),
              hash: payload.hash,
              at: payload.at ? timestampDate(payload.at) : new Date(0),
              mac: payload.mac,
            }),
          );
        } catch {
          this.logger.warn({ offset: message.offset }, 'unreadable audit checkpoint ignored');
        }
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  /** The newest authentic checkpoint, once the topic has been read to its current end; null when there is none. */
  async newest(): Promise<NewestCheckpoint | null> {
    await this.caughtUp();
    const fromFile = await this.fromFile();
    const best = newer(this.fromTopic, fromFile);
    if (!best) return null;
    const sources: CheckpointSource[] = [];
    if (fromFile && fromFile.seq === best.seq && fromFile.hash === best.hash) sources.push('file');
    if (this.fromTopic && this.fromTopic.seq === best.seq && this.fromTopic.hash === best.hash) sources.push('topic');
    return { checkpoint: best, sources };
  }

  private async caughtUp(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [partition] = await admin.fetchTopicOffsets(this.topic);
      const end = BigInt(partition?.high ?? '0') - 1n;
      const deadline = Date.now() + CATCH_UP_MS;
      while (this.readOffset < end && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await admin.disconnect();
    }
  }

  private async fromFile(): Promise<AuditCheckpoint | null> {
    let text: string;
    try {
      text = await readFile(this.config.AUDIT_CHECKPOINT_FILE, 'utf8');
    } catch {
      return null;
    }
    let best: AuditCheckpoint | null = null;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        const raw = JSON.parse(line) as { seq: number; hash: string; at: string; mac: string };
        best = newer(
          best,
          this.authentic({ seq: Number(raw.seq), hash: String(raw.hash), at: new Date(raw.at), mac: String(raw.mac) }),
        );
      } catch {
        // A line cut short (a crash while writing) or altered: not a checkpoint.
      }
    }
    return best;
  }

  private authentic(checkpoint: AuditCheckpoint): AuditCheckpoint | null {
    return Number.isSafeInteger(checkpoint.seq) &&
      !Number.isNaN(checkpoint.at.getTime()) &&
      isAuthenticCheckpoint(this.config.AUDIT_SEAL_KEY, checkpoint)
      ? checkpoint
      : null;
  }
}

function newer(a: AuditCheckpoint | null, b: AuditCheckpoint | null): AuditCheckpoint | null {
  if (!a) return b;
  if (!b) return a;
  return b.seq > a.seq ? b : a;
}
