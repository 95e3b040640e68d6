import request from 'supertest';
import {
  type AdminUsageItem,
  type AuditItem,
  type AuthResponse,
  type ChatResponse,
  ErrorCode,
  type ListResponse,
} from '#src/contract/index.js';
import { expectCreditInvariants } from '#test/support/credit-invariants.js';
import { accountOf } from '#test/support/factories.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/** `POST /api/admin/demo-lab/chat`: the console's demo lab bills a chosen user through the real path. */
describe('admin demo lab', () => {
  let testApp: TestApp;
  let admin: AuthResponse;

  beforeAll(async () => {
    testApp = await createTestApp({ env: { AI_TIMEOUT_MS: '1000' } });
    admin = await registerAdmin(testApp.http, owner(), 'lab-chief@example.test');
  });

  afterEach(async () => {
    await expectCreditInvariants(owner());
  });

  afterAll(async () => {
    await testApp.close();
  });

  function owner() {
    return testApp.database.pool();
  }
  const labChat = (session: AuthResponse, body: object) =>
    request(testApp.http)
      .post('/api/admin/demo-lab/chat')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send(body);
  const usageOf = async (userId: string) =>
    (
      (
        await request(testApp.http)
          .get(`/api/admin/usage?userId=${userId}`)
          .set('Authorization', `Bearer ${admin.accessToken}`)
          .expect(200)
      ).body as ListResponse<AdminUsageItem>
    ).items;

  it("charges the chosen user's credits, leaves their usage row, and audits who sent it", async () => {
    const user = await registerUser(testApp.http);

    const answer = (await labChat(admin, { userId: user.user.id, model: 'demo-chat', prompt: 'Hello' }).expect(200))
      .body as ChatResponse;

    expect(answer.creditsCharged).toBeGreaterThan(0);
    expect(answer.balance).toBe(1000 - answer.creditsCharged);
    expect(await accountOf(owner(), user.user.id)).toEqual({ balance: 1000 - answer.creditsCharged, held: 0 });
    expect(await accountOf(owner(), admin.user.id)).toEqual({ balance: 1000, held: 0 });
    expect(await usageOf(user.user.id)).toEqual([
      expect.objectContaining({ status: 'success', model: 'demo-chat', creditsCharged: answer.creditsCharged }),
    ]);
    const audit = (
      await request(testApp.http)
        .get(`/api/admin/audit?targetType=user&targetId=${user.user.id}`)
        .set('Authorization', `Bearer ${admin.accessToken}`)
        .expect(200)
    ).body as ListResponse<AuditItem>;
    expect(audit.items).toEqual([
      expect.objectContaining({
        action: 'demo_lab_chat',
        actorEmail: 'lab-chief@example.test',
        targetId: user.user.id,
      }),
    ]);
  });

  it('runs as the admin themself too', async () => {
    const before = await accountOf(owner(), admin.user.id);
    const answer = (await labChat(admin, { userId: admin.user.id, model: 'demo-chat', prompt: 'Me' }).expect(200))
      .body as ChatResponse;

    expect(await accountOf(owner(), admin.user.id)).toEqual({
      balance: before.balance - answer.creditsCharged,
      held: 0,
    });
  });

  it.each([
    ['demo-error', ErrorCode.AiProviderError, 'provider_error'],
    ['demo-empty', ErrorCode.AiEmptyResponse, 'empty_response'],
    ['demo-timeout', ErrorCode.AiProviderTimeout, 'timeout'],
  ])('%s answers %s, costs nothing and logs a %s row', async (model, code, status) => {
    const user = await registerUser(testApp.http);

    const response = await labChat(admin, { userId: user.user.id, model, prompt: 'Fail' }).expect(500);

    expect(response.body).toMatchObject({ code });
    expect(await accountOf(owner(), user.user.id)).toEqual({ balance: 1000, held: 0 });
    expect(await usageOf(user.user.id)).toEqual([expect.objectContaining({ status, creditsCharged: 0 })]);
  });

  it('refuses a normal user, an unknown user, a disabled user and a bad body, charging no one', async () => {
    const user = await registerUser(testApp.http);
    const disabled = await registerUser(testApp.http);
    await owner().query('UPDATE users SET disabled = true WHERE id = $1::uuid', [disabled.user.id]);

    expect((await labChat(user, { userId: user.user.id, prompt: 'Hi' }).expect(403)).body).toMatchObject({
      code: ErrorCode.Forbidden,
    });
    expect(
      (await labChat(admin, { userId: '00000000-0000-4000-8000-000000000000', prompt: 'Hi' }).expect(404)).body,
    ).toMatchObject({ code: ErrorCode.NotFound });
    expect((await labChat(admin, { userId: disabled.user.id, prompt: 'Hi' }).expect(403)).body).toMatchObject({
      code: ErrorCode.AccountDisabled,
    });
    expect((await labChat(admin, { userId: 'not-a-uuid', prompt: 'Hi' }).expect(400)).body).toMatchObject({
      code: ErrorCode.ValidationFailed,
    });
    expect((await labChat(admin, { userId: user.user.id, prompt: '   ' }).expect(400)).body).toMatchObject({
      code: ErrorCode.ValidationFailed,
    });

    for (const session of [user, disabled]) {
      expect(await accountOf(owner(), session.user.id)).toEqual({ balance: 1000, held: 0 });
      expect(await usageOf(session.user.id)).toEqual([]);
    }
  });
});
