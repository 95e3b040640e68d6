import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ErrorCode } from '#src/contract/index.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/** The admin console's build, served at /admin from CONSOLE_DIR (here a stand-in build). */
describe('the console at /admin', () => {
  let consoleDir: string;
  let testApp: TestApp;

  beforeAll(async () => {
    consoleDir = await mkdtemp(join(tmpdir(), 'creditgate-console-'));
    await mkdir(join(consoleDir, 'media'));
    await writeFile(join(consoleDir, 'index.html'), '<!doctype html><title>console</title><cg-root></cg-root>');
    await writeFile(join(consoleDir, 'main-ABC123.js'), 'console.log("console")');
    testApp = await createTestApp({ env: { CONSOLE_DIR: consoleDir } });
  });

  afterAll(async () => {
    await testApp.close();
    await rm(consoleDir, { recursive: true, force: true });
  });

  it('serves index.html under the security headers, revalidated on every visit', async () => {
    const response = await request(testApp.http).get('/admin/').expect(200);

    expect(response.text).toContain('<cg-root>');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response.headers['x-request-id']).toEqual(expect.any(String));
  });

  it("answers the console's own deep links with index.html, so a reload keeps the page", async () => {
    const response = await request(testApp.http).get('/admin/users/2f1c0a6e-0000-4000-8000-000000000000').expect(200);

    expect(response.text).toContain('<cg-root>');
  });

  it('serves content-hashed files as immutable for a year', async () => {
    const response = await request(testApp.http).get('/admin/main-ABC123.js').expect(200);

    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('redirects /admin to /admin/ and leaves the API and unknown paths to the API', async () => {
    expect((await request(testApp.http).get('/admin').expect(301)).headers['location']).toBe('/admin/');
    expect((await request(testApp.http).get('/api/nothing').expect(404)).body).toMatchObject({
      code: ErrorCode.NotFound,
    });
    expect((await request(testApp.http).get('/nothing').expect(404)).body).toMatchObject({ code: ErrorCode.NotFound });
  });
});

describe('without a console build', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { CONSOLE_DIR: join(tmpdir(), 'creditgate-no-console-here') } });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('still serves the API, and answers /admin with the contract 404', async () => {
    expect((await request(testApp.http).get('/admin/').expect(404)).body).toMatchObject({ code: ErrorCode.NotFound });
    expect((await request(testApp.http).get('/health/live').expect(200)).status).toBe(200);
  });
});
