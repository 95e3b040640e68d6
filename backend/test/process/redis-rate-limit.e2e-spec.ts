import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import request from 'supertest';
import { type BackendProcess, freePort, waitForOk, startTestBackend } from '#test/support/backend-process.js';
import { pollUntil } from '#test/support/poll.js';
import { createTestDatabase, type TestDatabase } from '#test/support/test-database.js';

const redisServer = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) => existsSync(path));
if (redisServer === undefined && process.env['CI'] !== undefined) {
  throw new Error("redis-server is required in CI: .ci/run installs Debian's redis-server");
}
// CI always runs this suite; a developer machine without Debian's redis-server skips it (issue #8).
const describeWithRedis = redisServer === undefined ? describe.skip : describe;

describeWithRedis('rate limits shared through REDIS_URL across instances', () => {
  let redis: ChildProcess;
  let redisPort: number;
  let database: TestDatabase;
  let backends: BackendProcess[];

  beforeAll(async () => {
    redisPort = await freePort();
    redis = spawn(
      redisServer ?? '',
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    await pollUntil(
      () =>
        new Promise<true | undefined>((resolve) => {
          const socket = createConnection(redisPort, '127.0.0.1', () => {
            socket.end();
            resolve(true);
          });
          socket.on('error', () => {
            resolve(undefined);
          });
        }),
      5000,
      'redis-server to listen',
    );
    database = await createTestDatabase();
    backends = [];
    for (let index = 0; index < 2; index += 1) {
      backends.push(
        await startTestBackend(database.url, {
          REDIS_URL: `redis://127.0.0.1:${redisPort}`,
          RATE_LIMIT_LOGIN_PER_MIN: '10',
        }),
      );
    }
    await Promise.all(backends.map((backend) => waitForOk(backend, '/health/ready')));
  });

  afterAll(async () => {
    for (const backend of backends) backend.child.kill('SIGTERM');
    await Promise.all(backends.map((backend) => backend.exited));
    redis.kill('SIGTERM');
    await database.drop();
  });

  it('counts login attempts for one e-mail across both instances: the 11th is 429 wherever it lands', async () => {
    const [first, second] = backends;
    if (!first || !second) throw new Error('two backends expected');
    await request(first.baseUrl)
      .post('/api/auth/register')
      .send({ email: 'shared-limit@example.test', password: 'correct horse battery' })
      .expect(201);

    const statuses: number[] = [];
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const backend = attempt % 2 === 0 ? first : second;
      const response = await request(backend.baseUrl)
        .post('/api/auth/login')
        .send({ email: 'shared-limit@example.test', password: `guess-${attempt}` });
      statuses.push(response.status);
    }

    // Each instance saw only 6 attempts; alone, each would have let all of them through.
    expect(statuses).toEqual([...Array<number>(10).fill(401), 429, 429]);
  });
});
