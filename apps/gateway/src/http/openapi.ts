import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Liaison API')
    .setDescription(
      'Cross-border intelligence exchange for police liaison bureaus, forces and programme leads. ' +
        'Authenticate with `Authorization: Bearer <API key>`; every key acts for one agency in one role. ' +
        'Errors are RFC 9457 problem details (`application/problem+json`) naming the offending field.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key issued by POST /v1/api-keys' })
    .build();
  return withProblemResponses(SwaggerModule.createDocument(app, config));
}

/** The responses every operation may give besides its own: what problem details each status stands for. */
const PROBLEM_RESPONSES: Record<string, string> = {
  '400': 'The request is malformed or a field is invalid; `errors` names each field at fault',
  '401': 'No API key, or one that is not valid (`WWW-Authenticate: Bearer`)',
  '403': "The key's role may not use this operation",
  '429': 'Over a rate limit; `Retry-After` says in how many seconds to try again',
  '503':
    'The message broker did not acknowledge in time, so nothing was accepted; `Retry-After` says in how many seconds to try again (with the same `Idempotency-Key`)',
};

/**
 * Adds the problem responses to every operation (RFC 9457 problem details, `application/problem+json`):
 * 400 where it takes parameters or a body, 401, 403 and 429 where it needs a key, and 503 where it changes
 * something. An operation's own description of a status is kept.
 */
export function withProblemResponses(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.Problem = {
    type: 'object',
    required: ['type', 'title', 'status', 'detail'],
    properties: {
      type: { type: 'string', example: 'urn:liaison:problem:validation' },
      title: { type: 'string', example: 'Invalid request' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string', example: 'subject: must not contain control characters' },
      instance: { type: 'string', example: '/v1/messages' },
      errors: {
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: { field: { type: 'string' }, message: { type: 'string' } },
        },
      },
      errorId: { type: 'string', description: 'on a 500 only: quote it to an operator' },
    },
  };
  const problem = (description: string, status: string) => ({
    description,
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    ...(status === '429' || status === '503'
      ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' } } } }
      : {}),
  });
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method];
      if (!operation) continue;
      const secured = (operation.security?.length ?? 0) > 0;
      const takesInput = (operation.parameters?.length ?? 0) > 0 || operation.requestBody !== undefined;
      const changes = secured && method !== 'get';
      const statuses = [
        ...(takesInput ? ['400'] : []),
        ...(secured ? ['401', '403', '429'] : []),
        ...(changes ? ['503'] : []),
      ];
      for (const status of statuses) operation.responses[status] ??= problem(PROBLEM_RESPONSES[status], status);
    }
  }
  return document;
}

/**
 * Swagger UI's own colours put white text on light greens, blues and oranges (contrast under 3:1); these give
 * every method badge, the Authorize button and the version stamp at least 4.5:1 (WCAG 2.2 AA).
 */
const READABLE_COLOURS = `
.swagger-ui .opblock.opblock-post .opblock-summary-method { background: #17734a; }
.swagger-ui .opblock.opblock-get .opblock-summary-method { background: #0b5cad; }
.swagger-ui .opblock.opblock-put .opblock-summary-method { background: #8a4b00; }
.swagger-ui .opblock.opblock-delete .opblock-summary-method { background: #b3261e; }
.swagger-ui .opblock.opblock-patch .opblock-summary-method { background: #0e6e60; }
.swagger-ui .btn.authorize { color: #17734a; border-color: #17734a; }
.swagger-ui .btn.authorize svg { fill: #17734a; }
.swagger-ui .info .title small.version-stamp { background-color: #3d3d8f; }
`;

/**
 * Serves the API description at /docs (browsable) and /docs-json (OpenAPI 3 JSON). Operations are not deep
 * links: Swagger UI puts the link inside the button that opens an operation, which screen readers and keyboards
 * cannot use as two controls. Examples are highlighted in the light `idea` theme: the default dark one writes
 * numbers in a red that fails AA contrast.
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Liaison API',
    customCss: READABLE_COLOURS,
    swaggerOptions: { deepLinking: false, syntaxHighlight: { activated: true, theme: 'idea' } },
  });
}
