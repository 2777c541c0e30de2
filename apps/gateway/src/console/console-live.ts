import { SERVICE_CONFIG } from '@liaison/runtime';
import { Inject, Injectable } from '@nestjs/common';
import type { GatewayConfig } from '../gateway.config';
import type { ConsoleCounts } from './console-counts.repository';
import { SharedReads } from './shared-reads';

/** A fragment of a page as rendered once for an agency and view, with the tag a poll compares. */
export interface RenderedFragment {
  html: string;
  etag: string;
}

/**
 * What the console's script polls in the background (the inbox's first page every 2 s, the navigation's counts
 * every 15 s), shared per agency and view for CONSOLE_SHARED_READS_MS. Only background polls use it: a page a
 * person loads reads afresh, so it shows what they have just done.
 */
@Injectable()
export class ConsoleLive {
  /** Keyed by agency and role: a supervisor's navigation counts more than an officer's. */
  readonly counts: SharedReads<ConsoleCounts>;
  /** Keyed by agency and the list's query string. */
  readonly inboxResults: SharedReads<RenderedFragment>;

  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    this.counts = new SharedReads(config.CONSOLE_SHARED_READS_MS);
    this.inboxResults = new SharedReads(config.CONSOLE_SHARED_READS_MS);
  }
}
