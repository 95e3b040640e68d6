import { Client } from 'pg';
import { Database } from '#src/database/database.service.js';
import { runtimeLoginUrl } from '#src/database/runtime-login.js';
import { SqlState } from '#src/database/sql-state.js';
import { registerUser } from '#test/support/sessions.js';
import { createTestApp } from '#test/support/test-app.js';
import {
  createTestDatabase,
  type PrivatePostgres,
  startPrivatePostgres,
  type TestDatabase,
} from '#test/support/test-database.js';

const OWNER = { user: 'cg_owner', password: 'owner-password-of-this-test' };
const APP_PASSWORD = 'app-password-of-this-test';

/**
 * The backend's pool logs in as creditgate_app and boot stops when that role could undo its grants.
 * On a PostgreSQL of this file's own: these tests change roles, which are cluster-wide.
 */
describe('the runtime login', () => {
  let server: PrivatePostgres;
  let superuser: Client;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    superuser = new Client({ connectionString: server.url });
    await superuser.connect();
    // A production-like owner: no superuser, allowed to create roles (migration 0001 creates two).
    await superuser.query(`CREATE ROLE ${OWNER.user} LOGIN CREATEROLE PASSWORD '${OWNER.password}'`);
  });

  afterAll(async () => {
    await superuser.end();
    await server.stop();
  });

  it('boots on an owner that is no superuser; the pool is creditgate_app with DATABASE_APP_PASSWORD and cannot become the owner', async () => {
    const database = await createTestDatabase({ serverUrl: server.url, owner: OWNER });
    const testApp = await createTestApp({ database, env: { DATABASE_APP_PASSWORD: APP_PASSWORD } });
    try {
      await registerUser(testApp.http);
      const db = testApp.app.get(Database);
      expect(await db.rows(`SELECT session_user AS login, current_setting('is_superuser') AS superuser`)).toEqual([
        { login: 'creditgate_app', superuser: 'off' },
      ]);
      for (const role of [OWNER.user, 'postgres']) {
        await expect(db.transaction((tx) => tx.rows(`SET LOCAL ROLE ${role}`))).rejects.toMatchObject({
          code: SqlState.InsufficientPrivilege,
        });
      }

      const runtime = new Client({ connectionString: runtimeLoginUrl(database.url, APP_PASSWORD) });
      await runtime.connect();
      await runtime.end();
    } finally {
      await testApp.close();
      await database.drop();
    }
  });

  describe('boot refuses a runtime login that could undo its grants', () => {
    let database: TestDatabase;

    beforeAll(async () => {
      database = await createTestDatabase({ serverUrl: server.url });
    });

    afterAll(async () => {
      await database.drop();
    });

    it('boots while creditgate_app has none of what follows', async () => {
      const testApp = await createTestApp({ database });
      await testApp.close();
    });

    it.each([
      [
        'is a superuser',
        'ALTER ROLE creditgate_app SUPERUSER',
        'ALTER ROLE creditgate_app NOSUPERUSER',
        /it is a superuser/,
      ],
      [
        'may create roles',
        'ALTER ROLE creditgate_app CREATEROLE',
        'ALTER ROLE creditgate_app NOCREATEROLE',
        /CREATEROLE/,
      ],
      [
        'is a member of the owner, a superuser',
        'GRANT postgres TO creditgate_app',
        'REVOKE postgres FROM creditgate_app',
        /can become postgres/,
      ],
      [
        'is a member of a superuser through another role',
        'CREATE ROLE cg_middle NOLOGIN; GRANT postgres TO cg_middle; GRANT cg_middle TO creditgate_app',
        'DROP ROLE cg_middle',
        /can become postgres/,
      ],
      [
        'may run programs on the server',
        'GRANT pg_execute_server_program TO creditgate_app',
        'REVOKE pg_execute_server_program FROM creditgate_app',
        /can become pg_execute_server_program/,
      ],
    ])('when creditgate_app %s', async (_what, grant, undo, message) => {
      await superuser.query(grant);
      try {
        await expect(createTestApp({ database })).rejects.toThrow(message);
      } finally {
        await superuser.query(undo);
      }
    });
  });
});
