import 'reflect-metadata';
import { runService } from '@liaison/runtime';
import { startTracker } from './tracker.app';

void runService('tracker', startTracker);
