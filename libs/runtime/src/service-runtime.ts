import type { CommonConfig } from '@liaison/config';
import { createLogger, Metrics, Tracing } from '@liaison/observability';
import { DatabaseModule } from '@liaison/persistence';
import { Global, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { Operations } from './operations';
import { createKafka, EventPublisher, parseBrokers, type EventPublisherOptions } from '@liaison/messaging';

/** The process-wide pieces every Liaison service is built from, created once at boot. */
export interface ServiceRuntime<C extends CommonConfig = CommonConfig> {
  service: string;
  config: C;
  logger: Logger;
  kafka: Kafka;
  /** The service's metrics registry, served at /metrics. */
  metrics: Metrics;
  /** The service's traces (recorded and exported only when OTEL_EXPORTER_OTLP_ENDPOINT is set). */
  tracing: Tracing;
  /** Schemas the service's tables are looked up in, first to last (default: public); a rebuild writes to its own. */
  searchPath?: string;
  /** How the service's event publisher waits for the broker (the gateway bounds it; workers wait). */
  publisher?: EventPublisherOptions;
}

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export function createServiceRuntime<C extends CommonConfig>(service: string, config: C): ServiceRuntime<C> {
  const logger = createLogger({ service, level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const kafka = createKafka(
    {
      brokers: parseBrokers(config.KAFKA_BROKERS),
      clientId: `liaison-${service}-${config.INSTANCE_ID}`,
      namespace: config.KAFKA_NAMESPACE,
    },
    logger.child({ component: 'kafka' }),
  );
  return {
    service,
    config,
    logger,
    kafka,
    metrics: new Metrics(service),
    tracing: new Tracing(service, config.OTEL_EXPORTER_OTLP_ENDPOINT),
  };
}

/**
 * nestjs-pino's loggers (PinoLogger, the Nest Logger, @InjectPinoLogger) over the service's own pino logger,
 * without its per-request middleware: the gateway logs requests from Fastify hooks instead, and the
 * correlation id reaches every line through `requestContext`, which costs far less per request.
 */
@Module({})
class LoggingModule {
  static forRoot(logger: Logger): DynamicModule {
    const { providers, exports } = LoggerModule.forRoot({ pinoHttp: { logger } });
    return { module: LoggingModule, global: true, providers, exports };
  }
}

class PublisherLifecycle implements OnApplicationShutdown {
  constructor(private readonly publisher: EventPublisher) {}
  async onApplicationShutdown(): Promise<void> {
    await this.publisher.disconnect();
  }
}

/**
 * Gives a service its configuration, structured logging, PostgreSQL, the Kafka client and an event
 * publisher, all from one runtime, so services differ only in their own modules.
 */
@Global()
@Module({})
export class ServiceRuntimeModule {
  static forRoot(runtime: ServiceRuntime): DynamicModule {
    const { config, service, logger, kafka, searchPath, publisher, metrics, tracing } = runtime;
    return {
      module: ServiceRuntimeModule,
      imports: [
        LoggingModule.forRoot(logger),
        DatabaseModule.forRoot(() => ({
          url: config.DATABASE_URL,
          poolSize: config.DATABASE_POOL_SIZE,
          applicationName: `liaison-${service}`,
          searchPath,
        })),
      ],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: Metrics, useValue: metrics },
        { provide: Tracing, useValue: tracing },
        Operations,
        { provide: Kafka, useValue: kafka },
        { provide: EventPublisher, useFactory: () => new EventPublisher(kafka, config.KAFKA_NAMESPACE, publisher) },
        {
          provide: PublisherLifecycle,
          useFactory: (publisher: EventPublisher) => new PublisherLifecycle(publisher),
          inject: [EventPublisher],
        },
      ],
      exports: [SERVICE_CONFIG, Kafka, EventPublisher, DatabaseModule, Metrics, Tracing, Operations],
    };
  }
}
