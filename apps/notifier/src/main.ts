import 'reflect-metadata';
import { runService } from '@liaison/config';
import { startNotifier } from './notifier.app';

void runService('notifier', startNotifier);
