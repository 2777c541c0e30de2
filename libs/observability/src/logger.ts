import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import pino, { type Logger, type LoggerOptions } from 'pino';
import { CORRELATION_HEADER, correlationIdFrom } from './correlation-id';

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
    formatters: { level: (label) => ({ level: label }) },
  };
}

function destination(settings: LoggingSettings): pino.DestinationStream {
  if (settings.format === 'json') return pino.destination({ dest: 1, sync: false });
  // A readable single line per event for terminals: time, level, message, then the structured fields.
  return {
    write(line: string): void {
      const { time, level, msg, service: _service, ...rest } = JSON.parse(line) as Record<string, unknown>;
      const fields = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
      process.stdout.write(`${String(time).slice(11, 23)} ${String(level).toUpperCase().padEnd(5)} ${String(msg)}${fields}\n`);
    },
  };
}

/** A structured JSON logger for code outside HTTP requests (Kafka consumers, scripts). */
export function createLogger(settings: LoggingSettings): Logger {
  return pino(baseOptions(settings), destination(settings));
}

/** nestjs-pino settings: one line per HTTP request with its correlation id, status and duration; no bodies. */
export function httpLoggerParams(logger: Logger): Params {
  return {
    // Every route, in the path syntax of NestJS 11 (the default '*' is the older syntax).
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      logger,
      // The HTTP server normally names the request first (its id is the correlation id); this is the fallback.
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const id = correlationIdFrom(req.headers[CORRELATION_HEADER]);
        res.setHeader('X-Correlation-Id', id);
        return id;
      },
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'correlationId' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => (req.url ?? '').startsWith('/health') },
    },
  };
}
