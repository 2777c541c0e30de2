import { startGateway, type Gateway } from '../../apps/gateway/src';

interface Described {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

/** The OpenAPI document describes each response with the shape the endpoint sends. */
describe('the API description', () => {
  let gateway: Gateway;
  let described: Described;

  beforeAll(async () => {
    gateway = await startGateway({ ...process.env, PORT: '0' });
    described = (await (await fetch(`${gateway.url}/docs-json`)).json()) as Described;
  }, 60_000);

  afterAll(async () => {
    await gateway?.app.close();
  });

  it('describes the agency register with its own schema, apart from the parties a message names', () => {
    const register = described.paths['/v1/agencies'].get.responses['200'].content?.['application/json'].schema;
    expect(register).toEqual({ type: 'array', items: { $ref: '#/components/schemas/AgencyView' } });
    expect(Object.keys(described.components.schemas.AgencyView.properties ?? {}).sort()).toEqual(
      ['clearance', 'code', 'country', 'kind', 'name', 'region'].sort(),
    );
    expect(Object.keys(described.components.schemas.PartyView.properties ?? {}).sort()).toEqual([
      'code',
      'country',
      'name',
    ]);
  });
});
