import 'reflect-metadata';
import { runService } from '@liaison/runtime';
import { Logger } from 'nestjs-pino';
import { startGateway } from './gateway.app';

void runService('gateway', async () => {
  const gateway = await startGateway();
  gateway.app.get(Logger).log(`gateway listening on ${gateway.url}`);
});
