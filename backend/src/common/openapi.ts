import type { INestApplication } from '@nestjs/common';
import { ApiProperty, DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ErrorCode } from '#src/contract/index.js';

export const OpenApiSecurity = { Login: 'login', ApiKey: 'apiKey' } as const;

/** The error body (docs/errors.md), for the document (the contract type itself stays framework-free). */
class ErrorBodySchema {
  @ApiProperty({ example: 403 })
  statusCode!: number;

  @ApiProperty({ enum: Object.values(ErrorCode), example: ErrorCode.InsufficientCredits })
  code!: string;

  @ApiProperty({ example: 'This request needs up to 18 credits.' })
  message!: string;

  @ApiProperty({ example: '6f1c2b8e-3f5a-4c1d-9e7b-2a4d5c6e7f80' })
  requestId!: string;

  @ApiProperty({ required: false, description: 'Field problems, for VALIDATION_FAILED' })
  details?: object;
}

/** Every operation can answer the contract's error body; said once here, not on each route. */
function withErrorResponses(document: OpenAPIObject): OpenAPIObject {
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations as Record<string, { responses?: Record<string, unknown> }>)) {
      if (typeof operation !== 'object' || !('responses' in operation)) continue;
      operation.responses = {
        ...operation.responses,
        default: {
          description:
            'An error: see `code` (docs/errors.md). The /v1 routes answer in OpenAI’s `{error: {...}}` shape.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBodySchema' } } },
        },
      };
    }
  }
  return document;
}

/** The API's OpenAPI document, as served and as docs/api.md renders it. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('CreditGate API')
    .setDescription(
      'Credit-metered AI gateway. Chats are billed by reserve → call → settle/release; failures cost nothing. ' +
        'Authenticate with a login access token, or an API key on the routes that accept one.',
    )
    .setVersion('0.1.0')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from /api/auth/login' },
      OpenApiSecurity.Login,
    )
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'API key (cg_live_…) from POST /api/keys' },
      OpenApiSecurity.ApiKey,
    )
    .build();
  return withErrorResponses(SwaggerModule.createDocument(app, config, { extraModels: [ErrorBodySchema] }));
}

/** OpenAPI at `/docs/openapi.json` and Swagger UI at `/docs`. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
