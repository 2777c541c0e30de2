import { loadConfig } from '@liaison/config';
import { createServiceRuntime } from '@liaison/runtime';
import { EventPublisher, provisionTopics, topicSettings } from '@liaison/messaging';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  correlationIdFrom,
  CORRELATION_HEADER,
  logCompletedRequest,
  MetricDefinitions,
  requestContext,
  SpanKind,
  TraceScope,
  traceparentFrom,
  type TraceSpan,
} from '@liaison/observability';
import proxyAddr from '@fastify/proxy-addr';
import type { FastifyInstance } from 'fastify';
import type { IncomingMessage, Server } from 'node:http';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Logger } from 'nestjs-pino';
import fastifyCookie from '@fastify/cookie';
import { ApiKeysService } from './auth/api-keys.service';
import { SessionAuthenticator } from './sessions/session-authenticator';
import { GatewayConfig, proxyAddresses } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { configureBodyParsing } from './http/body-parsing';
import { configureConsole } from './console/console-setup';
import { refuseFloodsEarly } from './http/flood-guard';
import { setupOpenApi } from './http/openapi';
import { RateLimits } from './http/rate-limits';
import { cameOverTls, requireKeyForDocs, securityHeaders } from './http/security-headers';
import { TextSafetyPipe } from './http/text-safety.pipe';
import { createValidationPipe } from './http/validation.pipe';

export interface Gateway {
  app: INestApplication;
  config: GatewayConfig;
  url: string;
}

/** Each request's span, ended when the response is sent. */
const requestSpans = new WeakMap<object, TraceSpan>();

/** Longest a closing gateway waits for the requests in flight to be answered. */
const DRAIN_MS = 10_000;

/**
 * A graceful close: new requests are refused (Fastify answers 503 while closing), the requests in flight are
 * answered, and then every connection is closed, kept-alive ones included. Node counts some kept-alive sockets
 * as busy after a streamed response (a download), and left to their keep-alive timeout they would hold a
 * close for 72 seconds.
 */
function drainOnClose(fastify: FastifyInstance): void {
  let inFlight = 0;
  fastify.addHook('onRequest', (_request, reply, done) => {
    inFlight += 1;
    reply.raw.once('close', () => (inFlight -= 1));
    done();
  });
  fastify.addHook('preClose', async () => {
    const deadline = Date.now() + DRAIN_MS;
    while (inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    fastify.server.closeAllConnections();
  });
}

/** Builds and starts the HTTP gateway. */
export async function startGateway(env: Record<string, string | undefined> = process.env): Promise<Gateway> {
  const config = loadConfig(GatewayConfig, env);
  const runtime = {
    ...createServiceRuntime('gateway', config),
    publisher: { acknowledgeWithinMs: config.PUBLISH_ACK_TIMEOUT_MS },
  };
  const proxies = proxyAddresses(config.TRUST_PROXY);
  const trusted = proxyAddr.compile(proxies);
  await provisionTopics(runtime.kafka, config.KAFKA_NAMESPACE, topicSettings(config));
  // Fastify rather than Express: measured about 40% more accepted submissions/s (docs/architecture.md).
  const adapter = new FastifyAdapter({
    ...(config.TLS_CERT_FILE && config.TLS_KEY_FILE
      ? { https: { cert: readFileSync(config.TLS_CERT_FILE), key: readFileSync(config.TLS_KEY_FILE) } }
      : {}),
    // Only the proxies named are believed about the client's address and protocol.
    trustProxy: proxies.length > 0 ? proxies : false,
    // Bodies are read by our own parsers (configureBodyParsing), each with its limit.
    bodyLimit: 1024 * 1024 * 1024,
    // The request id is the correlation id: the caller's X-Correlation-Id when it is a safe token, else a new one.
    genReqId: (request: { headers: IncomingMessage['headers'] }) =>
      correlationIdFrom(request.headers[CORRELATION_HEADER]),
  });
  const app = await NestFactory.create<NestFastifyApplication>(GatewayModule.forRoot(runtime), adapter, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  const headerOptions = { hstsMaxAgeSeconds: config.HSTS_MAX_AGE_SECONDS };
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply
      .headers(securityHeaders({ url: request.url, overTls: cameOverTls(request.raw, trusted) }, headerOptions))
      .header('X-Correlation-Id', request.id);
    // A span per request, under the caller's `traceparent` when it sends one; what the request publishes
    // continues it. Everything the request goes on to do runs, and logs, within its context.
    const span = runtime.tracing.start(
      `${request.method} ${request.routeOptions.url ?? 'unmatched'}`,
      SpanKind.SERVER,
      traceparentFrom(request.headers.traceparent),
      { 'http.request.method': request.method, 'http.route': request.routeOptions.url ?? 'unmatched' },
    );
    requestSpans.set(request, span);
    requestContext.run({ correlationId: request.id }, () => TraceScope.run({ current: span.traceparent }, done));
  });
  drainOnClose(fastify);
  await fastify.register(fastifyCookie);
  await configureConsole(fastify);
  refuseFloodsEarly(fastify, app.get(ApiKeysService), app.get(RateLimits));
  if (config.DOCS_REQUIRE_KEY) requireKeyForDocs(fastify, app.get(ApiKeysService), app.get(RateLimits));
  const requestDuration = runtime.metrics.histogram(MetricDefinitions.httpRequestDuration);
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = requestSpans.get(request);
    span?.setAttribute('http.response.status_code', reply.statusCode);
    span?.end(reply.statusCode >= 500 ? new Error('server error') : undefined);
    // The route's pattern (`/v1/messages/:id`), never the path itself: ids and names stay out of the labels.
    requestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    logCompletedRequest(runtime.logger, {
      correlationId: request.id,
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTimeMs: reply.elapsedTime,
    });
    done();
  });
  configureBodyParsing(app, config.HTTP_BODY_LIMIT_BYTES);
  app.useGlobalPipes(new TextSafetyPipe(), createValidationPipe());
  setupOpenApi(app);
  app.enableShutdownHooks();
  if (config.LIAISON_ADMIN_KEY)
    await app.get(ApiKeysService).bootstrapAdmin(config.LIAISON_ADMIN_KEY, config.LIAISON_ADMIN_AGENCY);
  await app.get(EventPublisher).connect();
  await app.listen(config.PORT, config.HOST);
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  const url = `${config.TLS_CERT_FILE ? 'https' : 'http'}://${config.HOST}:${address.port}`;
  app.get(SessionAuthenticator).listeningAt(url);
  return { app, config, url };
}
