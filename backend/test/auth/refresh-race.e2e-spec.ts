import request from 'supertest';
import type { AuthResponse } from '#src/contract/index.js';
import { registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/**
 * A refresh token presented several times at once is a replay (a stolen copy racing its owner): one
 * refresh wins, the others revoke the family. The winner inserts its new token after its own
 * UPDATE, possibly after a loser revoked the family; that token must be dead too (issue #13: it
 * still worked in 11 of 20 runs of three parallel refreshes).
 */
describe('concurrent refreshes with one token', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  const refresh = (refreshToken: string) => request(testApp.http).post('/api/auth/refresh').send({ refreshToken });

  async function race(parallel: number): Promise<void> {
    const session = await registerUser(testApp.http);
    const responses = await Promise.all(Array.from({ length: parallel }, () => refresh(session.refreshToken)));

    const winners = responses.filter((response) => response.status === 200);
    expect(winners).toHaveLength(1);
    expect(responses.filter((response) => response.status === 401)).toHaveLength(parallel - 1);
    // The family is revoked once every racer has its answer: nothing it issued works any more.
    const issued = (winners[0]?.body as AuthResponse).refreshToken;
    await refresh(issued).expect(401);
    await refresh(session.refreshToken).expect(401);
  }

  it.each([
    [3, 20],
    [20, 5],
  ])('%i at once, %i times: one wins, and its new token is revoked with the family', async (parallel, rounds) => {
    for (let round = 0; round < rounds; round += 1) await race(parallel);
  });

  it('a token the winner rotated on before the family was revoked dies with it', async () => {
    const session = await registerUser(testApp.http);
    const first = ((await refresh(session.refreshToken).expect(200)).body as AuthResponse).refreshToken;
    const second = ((await refresh(first).expect(200)).body as AuthResponse).refreshToken;

    // The stolen first token comes back: the whole family goes, the newest token included.
    await refresh(first).expect(401);
    await refresh(second).expect(401);
  });

  it('logout revokes tokens of the session issued after it started', async () => {
    const session = await registerUser(testApp.http);
    const [logout, rotated] = await Promise.all([
      request(testApp.http).post('/api/auth/logout').send({ refreshToken: session.refreshToken }),
      refresh(session.refreshToken),
    ]);
    expect(logout.status).toBe(204);

    if (rotated.status === 200) await refresh((rotated.body as AuthResponse).refreshToken).expect(401);
    await refresh(session.refreshToken).expect(401);
  });
});
