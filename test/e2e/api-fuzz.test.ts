import type { ApiClient } from '@liaison/testing';
import fc from 'fast-check';
import { issueKey, startServices, type RunningServices } from '../support/services';
import { StateSnapshots } from '../support/state-snapshot';

/** The parts of an OpenAPI 3 document the generators read. */
interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  nullable?: boolean;
}
interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Values that have broken APIs before: controls, odd Unicode, huge and deep values, wrong types, bad dates and cursors. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    0,
    -1,
    1e308,
    Number.MAX_SAFE_INTEGER,
    '',
    ' ',
    '\u0000',
    'x\u0000y',
    '\u001b[31m',
    '\u0085',
    '\ud800',
    '\udfff\ud800',
    'invoice\u202Efdp.exe',
    '\u200B\uFEFF',
    '🚓👮‍♀️',
    'Ştefan Ñúñez Øvergård',
    '../../etc/passwd',
    '%00',
    '2026-02-30',
    '1899',
    '9999',
    '+010000-01-01T00:00:00Z',
    'eyJhdCI6Im5vdCBhIGRhdGUiLCJpZCI6IngifQ',
    'LIA-2026-AAAAAAAAA',
    '00000000-0000-0000-0000-000000000000',
    '__proto__',
    'constructor',
    [],
    {},
    [[[]]],
    JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown,
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.constant('x'.repeat(300_000)),
  fc.constant(JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`) as unknown),
  fc.constant(Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, i]))),
);

function resolve(schema: Schema | undefined, document: OpenApi): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(document.components?.schemas?.[schema.$ref.split('/').pop()!], document);
  if (schema.allOf?.length)
    return schema.allOf.reduce<Schema>((merged, part) => ({ ...merged, ...resolve(part, document) }), {});
  return schema;
}

/** A value shaped by the schema, any part of which may be hostile instead. */
function fromSchema(schema: Schema | undefined, document: OpenApi, depth = 0): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, document);
  const shaped = ((): fc.Arbitrary<unknown> => {
    if (resolved.enum?.length) return fc.constantFrom(...resolved.enum);
    if (resolved.type === 'string') {
      if (resolved.format === 'uuid') return fc.uuid();
      if (resolved.format === 'date-time')
        return fc
          .date({ min: new Date('1990-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      return fc.string({ maxLength: 60 });
    }
    if (resolved.type === 'integer') return fc.integer({ min: -10, max: 1000 });
    if (resolved.type === 'number') return fc.double({ noNaN: true });
    if (resolved.type === 'boolean') return fc.boolean();
    if (resolved.type === 'array')
      return depth > 4 ? fc.constant([]) : fc.array(fromSchema(resolved.items, document, depth + 1), { maxLength: 4 });
    const properties = Object.entries(resolved.properties ?? {});
    if (properties.length === 0 || depth > 4)
      return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    return fc.record(
      Object.fromEntries(properties.map(([name, property]) => [name, fromSchema(property, document, depth + 1)])),
      { requiredKeys: [] },
    );
  })();
  return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: hostile });
}

interface FuzzRequest {
  method: string;
  path: string;
  body?: unknown;
  raw?: string;
  role: number;
}

/** One operation's requests: its path parameters, query parameters and body, each shaped or hostile. */
function requestsOf(
  method: string,
  template: string,
  operation: Operation,
  document: OpenApi,
): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.parameters ?? [];
  const pathParameters = parameters.filter((p) => p.in === 'path');
  const queryParameters = parameters.filter((p) => p.in === 'query');
  const text = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
  const bodySchema = operation.requestBody?.content['application/json']?.schema;
  return fc
    .record({
      path: fc
        .tuple(...pathParameters.map((p) => fromSchema(p.schema, document)), fc.constant(null))
        .map((values) =>
          pathParameters.reduce(
            (path, p, i) =>
              path.replace(`{${p.name}}`, encodeURIComponent(text(values[i]).slice(0, 2_000).toWellFormed())),
            template,
          ),
        ),
      query: fc.record(Object.fromEntries(queryParameters.map((p) => [p.name, fromSchema(p.schema, document)])), {
        requiredKeys: [],
      }),
      extra: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 })) },
      ),
      body: bodySchema ? fromSchema(bodySchema, document) : fc.option(hostile, { nil: undefined }),
      malformed: fc.oneof(
        { weight: 7, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            '{',
            '{"a":',
            '[1,2',
            'null',
            '"\\ud800"',
            `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
          ),
        },
      ),
      role: fc.nat({ max: 3 }),
    })
    .map(({ path, query, extra, body, malformed, role }) => {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query))
        if (value !== undefined) search.append(name, text(value).slice(0, 4_000));
      if (extra) search.append(...extra);
      const qs = search.toString();
      const withBody = method !== 'get' && method !== 'delete';
      return {
        method: method.toUpperCase(),
        path: qs ? `${path}?${qs}` : path,
        role,
        ...(withBody ? (malformed !== undefined ? { raw: malformed } : { body }) : {}),
      };
    });
}

/**
 * Every operation of the API description, fuzzed: shaped requests with hostile parts (wrong types, nulls,
 * control characters, odd Unicode, huge and deep values, bad cursors and dates) and malformed bodies, by every
 * role. Properties: no answer is a 5xx, and a refused request changes nothing (every topic's end offset and
 * every table's row count as before). Seeded (FUZZ_SEED) and bounded (FUZZ_RUNS); a failure prints the
 * shrunk request.
 */
describe('the API under fuzzing', () => {
  let services: RunningServices;
  let clients: ApiClient[];
  let snapshots: StateSnapshots;
  let document: OpenApi;

  beforeAll(async () => {
    services = await startServices();
    clients = [
      await issueKey(services, 'GB-NCA-UKLB', 'officer'),
      await issueKey(services, 'GB-NCA-UKLB', 'supervisor'),
      await issueKey(services, 'GB-NCA', 'programme-lead'),
      services.api.as(services.adminKey),
    ];
    document = (await services.api.get<OpenApi>('/docs-json')).body;
    snapshots = await new StateSnapshots().start();
  }, 90_000);

  afterAll(async () => {
    await snapshots?.stop();
    await services?.stop();
  });

  it('answers no request with a 5xx, and a refused one changes nothing', async () => {
    const operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.entries(methods).map(([method, operation]) => requestsOf(method, template, operation, document)),
    );
    expect(operations.length).toBeGreaterThan(50);
    let refused = 0;
    let before = await snapshots.settled();
    await fc.assert(
      fc.asyncProperty(fc.oneof(...operations), async (request) => {
        const options =
          request.raw !== undefined ? { raw: request.raw } : request.body !== undefined ? { json: request.body } : {};
        const response = await clients[request.role].request(request.method, request.path, options);
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          refused += 1;
          expect(await snapshots.take()).toEqual(before);
        } else {
          // Accepted: what it caused settles before the next request is judged.
          before = await snapshots.settled();
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Most fuzzed requests are refused; the property was exercised.
    expect(refused).toBeGreaterThan(RUNS / 2);
  }, 600_000);
});
