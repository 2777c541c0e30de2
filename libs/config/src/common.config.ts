import { applyDecorators } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A setting written `true` or `false`. */
export function IsBooleanSetting(): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value)),
    IsBoolean({ message: 'must be true or false' }),
  );
}

/**
 * Variables every Liaison service reads. Each app's config class extends this one, so every service is
 * configured the same way for the infrastructure they share.
 */
export class CommonConfig {
  /** Comma-separated Kafka bootstrap servers. */
  @Matches(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'must be host:port[,host:port...]' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  /**
   * Prefix put before every topic and consumer group name, so that several deployments (or test runs) can
   * share one broker without seeing each other's records. Empty in production.
   */
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9.-]*\.$|^$/, { message: 'must be empty or lower-case words ending in a dot, e.g. "test."' })
  KAFKA_NAMESPACE = '';

  /**
   * Copies of every topic's partitions kept by the cluster (1 on a single broker; 3 in production). Checked at
   * start against the brokers the cluster has, and against the topics that exist.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7)
  KAFKA_REPLICATION_FACTOR = 1;

  /**
   * Copies that must have a record before the broker acknowledges it (topics' `min.insync.replicas`): with a
   * replication factor of 3 and 2 here, a broker may fail without losing or refusing an acknowledged record.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(7)
  KAFKA_MIN_INSYNC_REPLICAS = 1;

  /**
   * Partition counts above the declared ones, for more consumers in a group: `topic=count` pairs, comma-separated
   * (e.g. `liaison.messages.submitted.v1=12,liaison.messages.routed.v1=12`). Partitions can be added, never removed.
   */
  @IsOptional()
  @Matches(/^$|^[a-z][a-z.-]*=\d{1,4}(,[a-z][a-z.-]*=\d{1,4})*$/, {
    message: 'must be topic=count pairs, comma-separated, e.g. liaison.messages.submitted.v1=12',
  })
  KAFKA_TOPIC_PARTITIONS = '';

  /**
   * How long the broker keeps the records of the topics that carry personal content (sealed), in hours: long
   * enough for every consumer to have applied them (and for a restore's replay); after it they are deleted from
   * the log. Applied by provisioning, to new and existing topics.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(8_760)
  KAFKA_CONTENT_RETENTION_HOURS = 168;

  /** PostgreSQL connection URL. */
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/liaison';

  /** Connections in this service's PostgreSQL pool. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  DATABASE_POOL_SIZE = 10;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  /** Human-readable logs instead of JSON lines (for a terminal); JSON stays the default. */
  @IsOptional()
  @IsIn(['json', 'pretty'])
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  /**
   * Port of a worker's operations server: `/metrics`, `/health/live`, `/health/ready` (0 picks a free port). Each
   * worker has its own default (router 9101, tracker 9102, matcher 9103, notifier 9104); the gateway serves them on
   * its PORT.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65_535)
  METRICS_PORT = 9100;

  /** Address a worker's operations server listens on (0.0.0.0 for a scraper on another host). */
  @IsString()
  @IsNotEmpty()
  METRICS_HOST = '127.0.0.1';

  /**
   * Where traces are sent (an OpenTelemetry collector's OTLP/HTTP endpoint, e.g. http://collector:4318). Unset,
   * no trace is recorded or sent; `traceparent` is still passed on, so a caller's trace continues through Liaison.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s]+$/, { message: 'must be an http(s) URL, e.g. http://127.0.0.1:4318' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** Name of this service instance in logs and Kafka client ids. */
  @IsString()
  @IsNotEmpty()
  INSTANCE_ID = `${process.pid}`;

  /**
   * Ports a webhook receiver may listen on (comma-separated). Read by the gateway when an endpoint is registered
   * and by the notifier at every delivery.
   */
  @Matches(/^\d{1,5}(,\d{1,5})*$/, { message: 'must be port numbers, comma-separated, e.g. 443,80' })
  WEBHOOK_ALLOWED_PORTS = '443,80';

  /**
   * Development and tests only: webhook receivers on this machine (loopback addresses, any port, plain HTTP).
   * Off, only public addresses are registered and connected to.
   */
  @IsBooleanSetting()
  WEBHOOK_ALLOW_LOOPBACK = false;

  /** The webhook target policy these two settings make. */
  webhookTargets(): { allowedPorts: number[]; allowLoopback: boolean } {
    return {
      allowedPorts: this.WEBHOOK_ALLOWED_PORTS.split(',').map(Number),
      allowLoopback: this.WEBHOOK_ALLOW_LOOPBACK,
    };
  }
}
