import request from 'supertest';
import type { AuthResponse } from '#src/contract/index.js';
import { registerAdmin, registerUser } from '#test/support/sessions.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/**
 * The usage export is opened in spreadsheets, and some of its cells are chosen by whoever registers:
 * an e-mail address such as `=1+2@example.test` is a formula to Excel. OWASP's advice: such a cell
 * starts with a ' and is quoted, so it is shown as text and never run.
 */
describe('GET /api/admin/usage/export: CSV injection', () => {
  let testApp: TestApp;
  let admin: AuthResponse;

  beforeAll(async () => {
    testApp = await createTestApp();
    admin = await registerAdmin(testApp.http, testApp.database.pool());
  });

  afterAll(async () => {
    await testApp.close();
  });

  /** One demo-mode chat, so the user has a usage row and appears in the export. */
  async function chatAs(email: string): Promise<void> {
    const session = await registerUser(testApp.http, email);
    await request(testApp.http)
      .post('/api/ai/chat')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .send({ prompt: 'hello', maxTokens: 8 })
      .expect(200);
  }

  it.each([
    ['=', '=1+2@example.test'],
    ['+', '+1+2@example.test'],
    ['-', '-2+3@example.test'],
    // An address cannot start with @, tab or CR; the other columns are ids, numbers and fixed words.
  ])('writes an e-mail starting with %s as a quoted text cell', async (_first, email) => {
    await chatAs(email);

    const response = await request(testApp.http)
      .get('/api/admin/usage/export')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .expect(200);
    const lines = response.text.trim().split('\n');
    const line = lines.find((candidate) => candidate.includes(email));

    expect(line).toBeDefined();
    expect(line?.split(',')).toContain(`"'${email}"`);
    // No cell anywhere starts with a formula character unescaped.
    for (const cell of lines.slice(1).flatMap((row) => row.split(','))) expect(cell).not.toMatch(/^[=+@\t\r]/);
  });

  it('leaves ordinary cells, and the header, as they were', async () => {
    await chatAs('plain@example.test');

    const response = await request(testApp.http)
      .get('/api/admin/usage/export')
      .set('Authorization', `Bearer ${admin.accessToken}`)
      .expect(200);
    const [header, ...rows] = response.text.trim().split('\n');

    expect(header?.startsWith('id,createdAt,userId,email,')).toBe(true);
    expect(rows.find((row) => row.includes('plain@example.test'))?.split(',')).toContain('plain@example.test');
  });
});
