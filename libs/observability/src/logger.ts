import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger, type LoggerOptions } from 'pino';
import { redactErrorOnlyCall, redactLogObject, serializeError } from './safe-error';

/**
 * Paths that must never reach a log line. Message subjects and bodies are never logged by design (no code
 * passes them to a logger); these paths catch the generic places where secrets and content could slip in.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  'headers.authorization',
  'body',
  'subject',
  'payload',
  '*.body',
  '*.subject',
  '*.payload',
  'apiKey',
  '*.apiKey',
];

export interface LoggingSettings {
  service: string;
  level: string;
  format: 'json' | 'pretty';
}

function baseOptions(settings: LoggingSettings): LoggerOptions {
  return {
    level: settings.level,
    base: { service: settings.service },
    messageKey: 'msg',
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }), log: redactLogObject },
    serializers: { err: serializeError },
    hooks: { logMethod: redactErrorOnlyCall },
    mixin: correlationMixin,
  };
}

function destination(settings: LoggingSettings): pino.DestinationStream {
  if (settings.format === 'json') return pino.destination({ dest: 1, sync: false });
  // A readable single line per event for terminals: time, level, message, then the structured fields.
  return {
    write(line: string): void {
      const { time, level, msg, service: _service, ...rest } = JSON.parse(line) as Record<string, unknown>;
      const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
      process.stdout.write(
        `${String(time).slice(11, 23)} ${String(level).toUpperCase().padEnd(5)} ${String(msg)}${fields}\n`,
      );
    },
  };
}

/** A structured JSON logger for code outside HTTP requests (Kafka consumers, scripts). */
export function createLogger(settings: LoggingSettings): Logger {
  return pino(baseOptions(settings), destination(settings));
}

/**
 * Per-request context for log lines. The gateway enters it when a request arrives, and every line written
 * while the request is handled carries the request's correlation id, without a child logger per request.
 */
export const requestContext = new AsyncLocalStorage<{ correlationId: string }>();

function correlationMixin(): Record<string, string> {
  const context = requestContext.getStore();
  return context ? { correlationId: context.correlationId } : {};
}

/** What is logged of a finished HTTP request: route, outcome and duration; never headers, bodies or query strings. */
export interface CompletedRequest {
  correlationId: string;
  method: string;
  url: string;
  statusCode: number;
  responseTimeMs: number;
}

/**
 * One line per HTTP request: error for a 5xx, warn for a 4xx, info otherwise. The query string is left out
 * because it can carry names (an upload's file name); health probes are not logged.
 */
export function logCompletedRequest(logger: Logger, request: CompletedRequest): void {
  const path = request.url.split('?')[0];
  if (path.startsWith('/health')) return;
  const level = request.statusCode >= 500 ? 'error' : request.statusCode >= 400 ? 'warn' : 'info';
  if (!logger.isLevelEnabled(level)) return;
  logger[level](
    {
      correlationId: request.correlationId,
      req: { method: request.method, url: path },
      res: { statusCode: request.statusCode },
      responseTime: Math.round(request.responseTimeMs),
    },
    'request completed',
  );
}
