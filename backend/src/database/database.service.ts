import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { DatabaseRole } from '#src/database/database-roles.js';

/** Runs parameterised SQL and answers its rows; `Database` itself and a transaction both are one. */
export interface SqlExecutor {
  rows<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  first<T>(sql: string, parameters?: unknown[]): Promise<T | undefined>;
}

async function rowsOn<T>(runner: QueryRunner, sql: string, parameters: unknown[]): Promise<T[]> {
  // TypeORM's plain `query` answers `[rows, count]` for UPDATE … RETURNING but rows for SELECT; the
  // structured result is the same for every statement.
  const result = await runner.query(sql, parameters, true);
  return result.records as T[];
}

/** What repositories use to talk to PostgreSQL. */
@Injectable()
export class Database implements SqlExecutor {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async rows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await rowsOn<T>(runner, sql, parameters);
    } finally {
      await runner.release();
    }
  }

  async first<T>(sql: string, parameters: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(sql, parameters))[0];
  }

  /**
   * A read-only transaction as the user-scoped role, whose row-level security shows only `userId`'s
   * rows: a query that forgets its `WHERE user_id` still cannot show another user's records.
   */
  asUser<T>(userId: string, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.transaction(async (tx) => {
      await tx.rows(`SET LOCAL ROLE ${DatabaseRole.UserScoped}`);
      await tx.rows(`SELECT set_config('app.user_id', $1::text, true)`, [userId]);
      return work(tx);
    });
  }

  /** One short transaction: committed when `work` resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    const tx: SqlExecutor = {
      rows: <R>(sql: string, parameters: unknown[] = []) => rowsOn<R>(runner, sql, parameters),
      first: async <R>(sql: string, parameters: unknown[] = []) => (await rowsOn<R>(runner, sql, parameters))[0],
    };
    try {
      const result = await work(tx);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}
