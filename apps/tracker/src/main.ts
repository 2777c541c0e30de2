import 'reflect-metadata';
import { runService } from '@liaison/config';
import { startTracker } from './tracker.app';

void runService('tracker', startTracker);
