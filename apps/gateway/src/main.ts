import 'reflect-metadata';
import { runService } from '@liaison/config';
import { Logger } from 'nestjs-pino';
import { startGateway } from './gateway.app';

void runService('gateway', async () => {
  const gateway = await startGateway();
  gateway.app.get(Logger).log(`gateway listening on ${gateway.url}`);
});
