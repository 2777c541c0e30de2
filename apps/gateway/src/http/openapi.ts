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

/** Serves the API description at /docs (browsable) and /docs-json (OpenAPI 3 JSON). */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json' });
}
