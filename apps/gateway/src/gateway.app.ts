import { loadConfig } from '@liaison/config';
import { createServiceRuntime, EventPublisher, provisionTopics } from '@liaison/messaging';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from 'nestjs-pino';
import { ApiKeysService } from './auth/api-keys.service';
import { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { configureBodyParsing } from './http/body-parsing';
import { setupOpenApi } from './http/openapi';
import { createValidationPipe } from './http/validation.pipe';

export interface Gateway {
  app: INestApplication;
  config: GatewayConfig;
  url: string;
}

/** Builds and starts the HTTP gateway. */
export async function startGateway(env: Record<string, string | undefined> = process.env): Promise<Gateway> {
  const config = loadConfig(GatewayConfig, env);
  const runtime = createServiceRuntime('gateway', config);
  await provisionTopics(runtime.kafka, config.KAFKA_NAMESPACE);
  const app = await NestFactory.create(GatewayModule.forRoot(runtime), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(Logger));
  (app.getHttpAdapter().getInstance() as { disable(setting: string): void }).disable('x-powered-by');
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  configureBodyParsing(app, config.HTTP_BODY_LIMIT_BYTES);
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
  app.enableShutdownHooks();
  if (config.LIAISON_ADMIN_KEY) await app.get(ApiKeysService).bootstrapAdmin(config.LIAISON_ADMIN_KEY, config.LIAISON_ADMIN_AGENCY);
  await app.get(EventPublisher).connect();
  await app.listen(config.PORT, config.HOST);
  const address = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, config, url: `http://${config.HOST}:${address.port}` };
}
