import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIObject } from '@nestjs/swagger';
import { findWorkspaceRoot } from '#src/config/workspace-root.js';
import { API_DOCUMENT_PATH, renderApiReference } from '#src/docs/api-reference.js';
import request from 'supertest';
import { waitForOk, type BackendProcess, startTestBackend } from '#test/support/backend-process.js';
import { registeredRoutes } from '#test/support/routes.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, unknown>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
}

/**
 * The document as it ships: served by the built backend (`npm start`'s `dist/main.js`), whose build
 * runs the @nestjs/swagger plugin over the DTOs (scripts/build.mjs); compared with the routes the
 * same code serves in-process.
 */
describe('OpenAPI document', () => {
  let testApp: TestApp;
  let backend: BackendProcess;
  let document: {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties?: object; required?: string[] }> };
  };

  beforeAll(async () => {
    testApp = await createTestApp();
    backend = await startTestBackend(testApp.database.url);
    await waitForOk(backend, '/health/ready');
    document = (await request(backend.baseUrl).get('/docs/openapi.json').expect(200)).body as typeof document;
  });

  afterAll(async () => {
    backend.child.kill('SIGTERM');
    await backend.exited;
    await testApp.close();
  });

  it('is a valid OpenAPI document', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('lists every route the app serves, with its method', () => {
    const served = registeredRoutes(testApp.app)
      // The product's routes; the console's files and /docs itself are not API.
      .filter((route) => /^\/(api|v1|health)(\/|$)/.test(route.path))
      .map((route) => `${route.method} ${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`);
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );

    // 28 routes today; guards against comparing two empty lists.
    expect(served.length).toBeGreaterThanOrEqual(28);
    expect(documented.sort()).toEqual(served.sort());
  });

  it('documents request bodies from the validation rules, errors, and the auth schemes', () => {
    const register = document.paths['/api/auth/register']?.['post'];
    expect(register?.requestBody?.content['application/json']?.schema.$ref).toBe('#/components/schemas/RegisterDto');
    expect(document.components.schemas['RegisterDto']).toMatchObject({
      properties: { email: expect.any(Object) as object, password: { minLength: 8, maxLength: 128 } },
      required: ['email', 'password'],
    });
    expect(register?.responses['default']).toBeDefined();
    expect(document.paths['/api/ai/chat']?.['post']?.security).toEqual([{ login: [] }, { apiKey: [] }]);
    expect(document.paths['/api/admin/recharge']?.['post']?.security).toEqual([{ login: [] }]);
    expect(document.paths['/api/auth/login']?.['post']?.security).toBeUndefined();
  });

  it('is what docs/api.md shows: run `npm run docs:api` after changing a route or a DTO', () => {
    const written = readFileSync(join(findWorkspaceRoot(), API_DOCUMENT_PATH), 'utf8');

    expect(written).toBe(renderApiReference(document as unknown as OpenAPIObject));
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await request(backend.baseUrl).get('/docs').redirects(1).expect(200);
    expect(response.text).toContain('swagger-ui');
  });
});
