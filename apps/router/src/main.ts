import 'reflect-metadata';
import { runService } from '@liaison/config';
import { startRouter } from './router.app';

void runService('router', startRouter);
