import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './gen/liaison-api';

export type { components, operations, paths };

/** The API's schemas by name: `Schema<'InboxPageView'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** A client of Liaison's HTTP API, every path, parameter and body typed from its OpenAPI document. */
export type LiaisonClient = Client<paths>;

/**
 * A client acting with an API key. Calls answer `{ data, error, response }`: `data` on success, `error` (the
 * problem details) otherwise, as `openapi-fetch` gives them.
 *
 * ```ts
 * const liaison = liaisonClient('https://liaison.example.org', process.env.LIAISON_KEY!);
 * const { data } = await liaison.GET('/v1/inbox', { params: { query: { state: 'delivered', limit: 10 } } });
 * ```
 */
export function liaisonClient(baseUrl: string, apiKey: string): LiaisonClient {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${apiKey}` } });
}
