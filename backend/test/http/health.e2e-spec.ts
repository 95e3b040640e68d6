import request from 'supertest';
import { ErrorCode } from '#src/contract/index.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

describe('health endpoints', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it.each(['/health', '/health/ready'])('%s is 200 with the database up and migrations applied', async (path) => {
    const response = await request(testApp.http).get(path).expect(200);

    expect(response.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, migrations: { status: 'up' } },
    });
  });

  it('/health/live is 200 without touching the database', async () => {
    const response = await request(testApp.http).get('/health/live').expect(200);

    expect(response.body).toMatchObject({ status: 'ok' });
  });

  it('/health/ready is 503 SERVICE_UNAVAILABLE while a migration is missing', async () => {
    const owner = testApp.database.pool();
    const { rows } = await owner.query<{ name: string }>(
      'DELETE FROM schema_migrations WHERE id = (SELECT max(id) FROM schema_migrations) RETURNING name',
    );
    try {
      const response = await request(testApp.http).get('/health/ready').expect(503);

      expect(response.body).toMatchObject({ statusCode: 503, code: ErrorCode.ServiceUnavailable });
      expect(JSON.stringify(response.body)).toContain(rows[0]!.name);
      await request(testApp.http).get('/health/live').expect(200);
    } finally {
      await owner.query('INSERT INTO schema_migrations (timestamp, name) VALUES ($1::bigint, $2::text)', [
        Number(rows[0]!.name.slice(-13)),
        rows[0]!.name,
      ]);
    }
    await request(testApp.http).get('/health/ready').expect(200);
  });
});

describe('health when the database is gone', () => {
  it('/health/ready answers 503 SERVICE_UNAVAILABLE and /health/live stays 200', async () => {
    const testApp = await createTestApp();
    try {
      await testApp.database.drop();

      const response = await request(testApp.http).get('/health/ready').expect(503);

      expect(response.body).toMatchObject({ statusCode: 503, code: ErrorCode.ServiceUnavailable });
      await request(testApp.http).get('/health/live').expect(200);
    } finally {
      await testApp.close();
    }
  });
});
