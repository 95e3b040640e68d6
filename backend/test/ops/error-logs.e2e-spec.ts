import { Controller, Get, Module, Param } from '@nestjs/common';
import request from 'supertest';
import { Public } from '#src/common/auth.decorators.js';
import { ErrorCode } from '#src/contract/index.js';
import { Database } from '#src/database/database.service.js';
import { createTestApp, type TestApp } from '#test/support/test-app.js';

/** Stands for prompt or answer text that a failing statement carries. */
const MARKER = 'prompt-text-7f3a9c';

/**
 * Statements that fail with the marker in each field of PostgreSQL's error that can quote data:
 * the message (a parameter's value), `detail` and `hint`, and `where` (the PL/pgSQL statement,
 * literals included). Run as an unexpected error would be: 500 INTERNAL, logged once.
 */
const failures: Record<string, { sql: string; parameters: unknown[]; code: string }> = {
  message: { sql: 'SELECT $1::uuid', parameters: [MARKER], code: '22P02' },
  detail: {
    sql: `DO $$ BEGIN RAISE EXCEPTION 'settle failed' USING DETAIL = '${MARKER}', HINT = '${MARKER}', ERRCODE = '22000'; END $$`,
    parameters: [],
    code: '22000',
  },
  where: {
    sql: `DO $$ BEGIN EXECUTE 'SELECT length(''${MARKER}'') / 0'; END $$`,
    parameters: [],
    code: '22012',
  },
};

@Public()
@Controller('test-db-errors')
class FailingStatementController {
  constructor(private readonly db: Database) {}

  @Get(':field')
  async fail(@Param('field') field: string): Promise<unknown> {
    const failure = failures[field];
    if (failure === undefined) throw new Error('no such failure');
    return this.db.rows(failure.sql, failure.parameters);
  }
}

@Module({ controllers: [FailingStatementController] })
class FailingStatementModule {}

describe('error log lines name database errors by code, never by content', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await createTestApp({ extraModules: [FailingStatementModule] });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it.each(Object.keys(failures))(
    'a database error whose %s quotes the data: logged with its SQLSTATE, without the data',
    async (field) => {
      const response = await request(testApp.http).get(`/test-db-errors/${field}`).expect(500);
      expect(response.body).toMatchObject({ code: ErrorCode.Internal });
      const requestId = String(response.headers['x-request-id']);

      const lines = testApp.logLines();
      const errorLine = lines.find((line) => line.includes('Unhandled error') && line.includes(requestId));
      expect(errorLine).toBeDefined();
      expect(JSON.parse(errorLine ?? '{}')).toMatchObject({
        err: { type: 'DatabaseError', code: failures[field]?.code },
      });
      expect(lines.filter((line) => line.includes(MARKER))).toEqual([]);
    },
  );

  it('keeps the message and stack of an error that is not the database’s', async () => {
    await request(testApp.http).get('/test-db-errors/unknown').expect(500);

    const errorLine = testApp.logLines().find((line) => line.includes('"message":"no such failure"'));
    expect(JSON.parse(errorLine ?? '{}')).toMatchObject({
      err: { type: 'Error', message: 'no such failure', stack: expect.stringContaining('at ') as string },
    });
  });
});
