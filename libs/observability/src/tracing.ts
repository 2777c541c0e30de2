import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { AsyncLocalStorage } from 'node:async_hooks';

/** A W3C `traceparent`: version 00, trace id, parent span id, flags. */
export const TRACEPARENT_PATTERN = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The caller's `traceparent` when it is well formed; anything else starts no trace and is not passed on. */
export function traceparentFrom(candidate: unknown): string | undefined {
  return typeof candidate === 'string' && TRACEPARENT_PATTERN.test(candidate) ? candidate : undefined;
}

export { SpanKind };

/** A span being recorded (or, tracing off, a parent being passed through): what to pass on, and its end. */
export interface TraceSpan {
  /** The `traceparent` that continues this span's trace downstream (a Kafka header, a job's data, a webhook). */
  readonly traceparent: string | undefined;
  setAttribute(name: string, value: string | number | boolean): void;
  end(error?: unknown): void;
}

const carrierGetter: TextMapGetter<Record<string, string>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};
const carrierSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

const propagator = new W3CTraceContextPropagator();

class RecordedSpan implements TraceSpan {
  readonly traceparent: string | undefined;

  constructor(private readonly span: Span) {
    const carrier: Record<string, string> = {};
    propagator.inject(trace.setSpan(ROOT_CONTEXT, span), carrier, carrierSetter);
    this.traceparent = carrier.traceparent;
  }

  setAttribute(name: string, value: string | number | boolean): void {
    this.span.setAttribute(name, value);
  }

  end(error?: unknown): void {
    if (error !== undefined) {
      // The error's class only: a message can quote the data that was refused.
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.name : 'error' });
    }
    this.span.end();
  }
}

class PassedThrough implements TraceSpan {
  constructor(readonly traceparent: string | undefined) {}
  setAttribute(): void {}
  end(): void {}
}

/**
 * A service's traces: OpenTelemetry spans exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 * Unset, nothing is recorded and the caller's `traceparent` is passed on as it came, so tracing costs a string
 * copy. Each service has its own provider (several run in one test process) and nothing is registered globally:
 * parents travel explicitly, in headers, job data and the trace scope below.
 *
 * Span names and attributes carry routes, topics and counts, never an agency's data or a message's content.
 */
export class Tracing {
  private readonly tracer?: Tracer;
  private readonly provider?: TracerProvider;

  constructor(service: string, endpoint?: string, options: { flushIntervalMs?: number } = {}) {
    if (!endpoint) return;
    this.provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': `liaison-${service}`, 'service.namespace': 'liaison' }),
      spanProcessors: [
        new BatchSpanProcessor({
          exporter: new OTLPTraceExporter({ url: `${endpoint.replace(/\/$/, '')}/v1/traces` }),
          scheduledDelayMillis: options.flushIntervalMs ?? 2_000,
        }),
      ],
    });
    this.tracer = this.provider.getTracer('liaison');
  }

  get recording(): boolean {
    return this.tracer !== undefined;
  }

  /** Starts a span under the `traceparent` given (a new trace without one). */
  start(name: string, kind: SpanKind, parent: string | undefined, attributes: Attributes = {}): TraceSpan {
    if (!this.tracer) return new PassedThrough(parent);
    const context: Context = parent
      ? propagator.extract(ROOT_CONTEXT, { traceparent: parent }, carrierGetter)
      : ROOT_CONTEXT;
    return new RecordedSpan(this.tracer.startSpan(name, { kind, attributes }, context));
  }

  /** Sends what is buffered and stops. */
  async shutdown(): Promise<void> {
    await this.provider?.shutdown();
  }
}

/**
 * Where published events find their parent span: the HTTP request's span in the gateway, or in a consumer the
 * span of the event being applied, found by the correlation id every derived event keeps.
 */
interface TraceScope {
  current?: string;
  byCorrelation?: Map<string, string>;
}

const scope = new AsyncLocalStorage<TraceScope>();

export const TraceScope = {
  run<T>(value: TraceScope, work: () => T): T {
    return scope.run(value, work);
  },
  /**
   * Runs work where events correlated by other ids (a match found for a message names the message) continue
   * the spans of the events those ids came from: `aliases` maps the new id to the consumed event's correlation id.
   */
  alias<T>(aliases: [string, string][], work: () => T): T {
    const store = scope.getStore();
    const byCorrelation = new Map(store?.byCorrelation);
    for (const [id, correlationId] of aliases) {
      const traceparent = store?.byCorrelation?.get(correlationId);
      if (traceparent) byCorrelation.set(id, traceparent);
    }
    return scope.run({ ...store, byCorrelation }, work);
  },
  /** The `traceparent` an event with this correlation id continues, if any. */
  traceparentFor(correlationId?: string): string | undefined {
    const store = scope.getStore();
    return (correlationId === undefined ? undefined : store?.byCorrelation?.get(correlationId)) ?? store?.current;
  },
};
