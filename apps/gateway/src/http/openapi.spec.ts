import type { OpenAPIObject } from '@nestjs/swagger';
import { withProblemResponses } from './openapi';

function document(): OpenAPIObject {
  return {
    openapi: '3.0.0',
    info: { title: 'Liaison API', version: '1' },
    paths: {
      '/v1/messages': {
        post: {
          security: [{ bearer: [] }],
          requestBody: { content: {} },
          responses: { '202': { description: 'accepted' } },
        },
        get: {
          security: [{ bearer: [] }],
          responses: { '200': { description: 'ok' }, '403': { description: 'its own words' } },
        },
      },
      '/health/live': { get: { responses: { '200': { description: 'alive' } } } },
    },
  };
}

describe('withProblemResponses', () => {
  it('gives every operation that needs a key its 401, 403 and 429, 400 where it takes input, and 503 where it changes something, as problem details', () => {
    const described = withProblemResponses(document());
    const submit = described.paths['/v1/messages'].post!;
    expect(Object.keys(submit.responses).sort()).toEqual(['202', '400', '401', '403', '429', '503']);
    for (const status of ['429', '503'])
      expect(submit.responses[status]).toMatchObject({
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
        headers: { 'Retry-After': {} },
      });
    expect(described.components?.schemas?.Problem).toMatchObject({ required: ['type', 'title', 'status', 'detail'] });
  });

  it('keeps what an operation says of a status itself, and adds nothing to public operations without input', () => {
    const described = withProblemResponses(document());
    const inbox = described.paths['/v1/messages'].get!;
    expect(Object.keys(inbox.responses).sort()).toEqual(['200', '401', '403', '429']);
    expect(inbox.responses['403']).toEqual({ description: 'its own words' });
    expect(Object.keys(described.paths['/health/live'].get!.responses)).toEqual(['200']);
  });
});
