import 'reflect-metadata';
import { runService } from '@liaison/config';
import { startMatcher } from './matcher.app';

void runService('matcher', startMatcher);
