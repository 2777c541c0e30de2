import 'reflect-metadata';
import { runService } from '@liaison/runtime';
import { startRouter } from './router.app';

void runService('router', startRouter);
