import 'reflect-metadata';
import { runService } from '@liaison/runtime';
import { startMatcher } from './matcher.app';

void runService('matcher', startMatcher);
