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
  return SwaggerModule.createDocument(app, config);
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
 * cannot use as two controls.
 */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'Liaison API',
    customCss: READABLE_COLOURS,
    swaggerOptions: { deepLinking: false },
  });
}
