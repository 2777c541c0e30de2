import { Kafka, logLevel, type ISocketFactory, type LogEntry } from 'kafkajs';
import { connect, isIP } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { Logger } from 'pino';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Prefix of every topic and consumer group (see CommonConfig.KAFKA_NAMESPACE). */
  namespace: string;
}

const LEVELS: Record<logLevel, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.NOTHING]: 'debug',
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * kafkajs's own sockets, but with Nagle's algorithm off: with several produce requests in flight, a small
 * request written while an earlier one is unacknowledged otherwise waits for the broker's delayed ACK
 * (up to 40 ms on Linux), which shows in the tail latency of every submission.
 */
export const noDelaySocketFactory: ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket = ssl
    ? connectTls({ host, port, ...(isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : connect({ host, port }, onConnect);
  socket.setNoDelay(true);
  socket.setKeepAlive(true, 60_000);
  return socket;
};

/** The one place Kafka clients are built: same retry policy and logging for every service. */
export function createKafka(settings: KafkaSettings, logger: Logger): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { initialRetryTime: 250, retries: 8, maxRetryTime: 10_000 },
    socketFactory: noDelaySocketFactory,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
        logger[LEVELS[level]]({ kafka: fields }, `kafka: ${message}`);
      },
  });
}

export function parseBrokers(value: string): string[] {
  return value
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}
