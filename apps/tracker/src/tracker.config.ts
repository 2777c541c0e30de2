import { CommonConfig } from '@liaison/config';

/** Tracker configuration: only what every service shares, for now. */
export class TrackerConfig extends CommonConfig {}
