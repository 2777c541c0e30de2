import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * A metric every Liaison service names the same way. Labels carry codes and outcomes only (a topic, a route's
 * pattern, a status): never an agency's data, a person, a case reference or anything from a message.
 */
export interface MetricDefinition<L extends string = string> {
  name: string;
  help: string;
  labels: readonly L[];
  /** Label sets exported at 0 before anything happens, so that rates and alerts have a series from the start. */
  initial?: readonly Record<L, string>[];
}

const define = <L extends string>(definition: MetricDefinition<L>) => definition;

const outcomes = (...values: string[]) => values.map((outcome) => ({ outcome }));

/** The metrics of Liaison's own work (Node's and the process's come from prom-client's defaults). */
export const MetricDefinitions = {
  httpRequestDuration: define({
    name: 'liaison_http_request_duration_seconds',
    help: 'HTTP requests answered by the gateway, by method, route pattern and status',
    labels: ['method', 'route', 'status'] as const,
  }),
  eventsConsumed: define({
    name: 'liaison_events_consumed_total',
    help: 'Events applied by a consumer, by topic',
    labels: ['topic'] as const,
  }),
  deadLetters: define({
    name: 'liaison_dead_letters_total',
    help: 'Events set aside on a dead-letter topic after bounded tries, by source topic',
    labels: ['topic'] as const,
  }),
  consumerLag: define({
    name: 'liaison_kafka_consumer_lag',
    help: "Records on a partition not yet committed by the service's consumer group",
    labels: ['group', 'topic', 'partition'] as const,
  }),
  published: define({
    name: 'liaison_events_published_total',
    help: 'Events the gateway published, by topic and whether the broker acknowledged them',
    labels: ['topic', 'outcome'] as const,
  }),
  messagesRouted: define({
    name: 'liaison_messages_routed_total',
    help: 'Submitted messages the router decided on: routed to their recipients or rejected',
    labels: ['outcome'] as const,
    initial: outcomes('routed', 'rejected'),
  }),
  deliveries: define({
    name: 'liaison_deliveries_total',
    help: 'Deliveries of messages to recipient agencies made by the router',
    labels: [] as const,
  }),
  matchesFound: define({
    name: 'liaison_matches_found_total',
    help: 'Linked-case matches (hits) the matcher found',
    labels: [] as const,
  }),
  notifications: define({
    name: 'liaison_notifications_total',
    help: 'Notifications stored by the notifier, by event (match.found, message.received, ...)',
    labels: ['kind'] as const,
  }),
  webhookDeliveries: define({
    name: 'liaison_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by outcome: delivered, retry (will be tried again) or failed (given up)',
    labels: ['outcome'] as const,
    initial: outcomes('delivered', 'retry', 'failed'),
  }),
  queueJobs: define({
    name: 'liaison_queue_jobs',
    help: 'Jobs in a BullMQ queue, by state',
    labels: ['queue', 'state'] as const,
  }),
  overdueRequests: define({
    name: 'liaison_requests_overdue',
    help: 'Requests past their deadline that a recipient has not answered (the case still open)',
    labels: [] as const,
  }),
  databasePool: define({
    name: 'liaison_db_pool_connections',
    help: "Connections in the service's PostgreSQL pool, by state (total, idle, waiting clients)",
    labels: ['state'] as const,
  }),
  brokerAvailable: define({
    name: 'liaison_broker_available',
    help: '1 while the broker acknowledges what the gateway publishes, 0 while it does not',
    labels: [] as const,
  }),
} as const;

type Labels<D> = D extends MetricDefinition<infer L> ? L : never;

/** Seconds: from a quick read (5 ms) to a slow export (10 s). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * One service's metrics: its own registry with the service's name on every series, prom-client's process and
 * Node metrics (event-loop lag among them), and Liaison's metrics, each made once on first use so that a service
 * exports only what it does.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly made = new Map<string, Counter | Gauge | Histogram>();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
  }

  counter<D extends MetricDefinition>(definition: D): Counter<Labels<D>> {
    return this.make(definition, () => new Counter(this.options(definition))) as Counter<Labels<D>>;
  }

  histogram<D extends MetricDefinition>(definition: D, buckets = HTTP_BUCKETS): Histogram<Labels<D>> {
    return this.make(definition, () => new Histogram({ ...this.options(definition), buckets })) as Histogram<Labels<D>>;
  }

  /**
   * A gauge read when scraped. `read` gives the values (label set and value); it may be async, and a failure
   * leaves the gauge without samples rather than failing the scrape.
   */
  gauge<D extends MetricDefinition>(
    definition: D,
    read?: () =>
      | Promise<{ labels: Record<Labels<D>, string>; value: number }[]>
      | { labels: Record<Labels<D>, string>; value: number }[],
  ): Gauge<Labels<D>> {
    return this.make(definition, () => {
      const gauge: Gauge<Labels<D>> = new Gauge<Labels<D>>({
        ...(this.options(definition) as { name: string; help: string; labelNames: Labels<D>[]; registers: Registry[] }),
        ...(read
          ? {
              async collect() {
                let values: { labels: Record<Labels<D>, string>; value: number }[];
                try {
                  values = await read();
                } catch {
                  values = [];
                }
                gauge.reset();
                for (const { labels, value } of values) gauge.set(labels as never, value);
              },
            }
          : {}),
      });
      return gauge;
    }) as Gauge<Labels<D>>;
  }

  /** The exposition a Prometheus scrape reads. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private options(definition: MetricDefinition) {
    return {
      name: definition.name,
      help: definition.help,
      labelNames: [...definition.labels],
      registers: [this.registry],
    };
  }

  private make(definition: MetricDefinition, build: () => Counter | Gauge | Histogram) {
    let metric = this.made.get(definition.name);
    if (!metric) {
      metric = build();
      if (metric instanceof Counter) for (const labels of definition.initial ?? []) metric.inc(labels, 0);
      this.made.set(definition.name, metric);
    }
    return metric;
  }
}
