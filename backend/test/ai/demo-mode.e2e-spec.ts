import request from 'supertest';
import { type ChatResponse, ErrorCode, type ModelView } from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/** No DEEPSEEK_API_KEY: answers come from the local demo provider, and every billing path shows. */
describe('demo mode', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // An empty key, as docker-compose passes an unset one, means demo mode too.
    testApp = await createTestApp({ env: { AI_TIMEOUT_MS: '1000', DEEPSEEK_API_KEY: '' } });
  });

  afterEach(async () => {
    await expectCreditInvariants(testApp.database.pool());
  });

  afterAll(async () => {
    await testApp.close();
  });

  const chat = (token: string, body: object) =>
    request(testApp.http).post('/api/ai/chat').set('Authorization', `Bearer ${token}`).send(body);

  it('answers the default model locally, deterministically, and bills it like a real call', async () => {
    const session = await registerUser(testApp.http);

    const first = (await chat(session.accessToken, { prompt: 'Explain credits' }).expect(200)).body as ChatResponse;
    const second = (await chat(session.accessToken, { prompt: 'Explain credits' }).expect(200)).body as ChatResponse;

    expect(first.model).toBe('deepseek-flash');
    expect(first.answer).toMatch(/demo/i);
    expect(second.answer).toBe(first.answer);
    expect(first.creditsCharged).toBeGreaterThan(0);
    expect(second.balance).toBe(1000 - first.creditsCharged - second.creditsCharged);
    expect(await accountOf(testApp.database.pool(), session.user.id)).toEqual({ balance: second.balance, held: 0 });
  });

  it.each([
    ['demo-error', ErrorCode.AiProviderError],
    ['demo-empty', ErrorCode.AiEmptyResponse],
    ['demo-timeout', ErrorCode.AiProviderTimeout],
  ])('%s fails with %s and costs nothing', async (model, code) => {
    const session = await registerUser(testApp.http);

    const response = await chat(session.accessToken, { prompt: 'Show me a failure', model }).expect(500);

    expect(response.body).toMatchObject({ code });
    expect(await accountOf(testApp.database.pool(), session.user.id)).toEqual({ balance: 1000, held: 0 });
  });

  it('lists the demo models next to the DeepSeek ones', async () => {
    const session = await registerUser(testApp.http);
    const response = await request(testApp.http)
      .get('/api/ai/models')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(200);

    expect((response.body as { items: ModelView[] }).items.map((model) => model.model)).toEqual(
      expect.arrayContaining(['deepseek-chat', 'demo-chat', 'demo-error', 'demo-empty', 'demo-timeout', 'demo-slow']),
    );
  });
});
