import 'reflect-metadata';
import { runService } from '@liaison/runtime';
import { startNotifier } from './notifier.app';

void runService('notifier', startNotifier);
