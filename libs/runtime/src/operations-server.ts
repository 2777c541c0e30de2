import type { Metrics } from '@liaison/observability';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A readiness answer: ready or not, and each check's result with why it fails. */
export interface ServiceReadiness {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

/**
 * The HTTP port of a worker (router, matcher, notifier, tracker), which serves no API: `/metrics` for
 * Prometheus, `/health/live` (the process answers) and `/health/ready` (it is consuming and its database
 * answers; 503 with the checks otherwise). Nothing else is served; it reads nothing from the request but its path.
 */
export class OperationsServer {
  private server?: Server;

  constructor(
    private readonly metrics: Metrics,
    private readonly readiness: () => Promise<ServiceReadiness>,
  ) {}

  async listen(port: number, host: string): Promise<number> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      const send = (status: number, contentType: string, body: string) => {
        response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
      };
      if (request.method !== 'GET') return send(405, 'text/plain', 'only GET\n');
      if (path === '/metrics') {
        void this.metrics.exposition().then(
          ({ contentType, body }) => send(200, contentType, body),
          () => send(500, 'text/plain', 'metrics could not be collected\n'),
        );
      } else if (path === '/health/live') {
        send(200, 'application/json', JSON.stringify({ status: 'ok' }));
      } else if (path === '/health/ready') {
        void this.readiness().then(
          (result) => send(result.ready ? 200 : 503, 'application/json', JSON.stringify(result)),
          (error: Error) =>
            send(
              503,
              'application/json',
              JSON.stringify({ ready: false, checks: { self: { ok: false, detail: error.message } } }),
            ),
        );
      } else {
        send(404, 'text/plain', 'not found\n');
      }
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
