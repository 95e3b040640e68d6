import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool, PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import { DatabaseRole } from '#src/database/database-roles.js';

/** Runs parameterised SQL and answers its rows; `Database` itself and a transaction both are one. */
export interface SqlExecutor {
  rows<T>(sql: string, parameters?: unknown[]): Promise<T[]>;
  first<T>(sql: string, parameters?: unknown[]): Promise<T | undefined>;
}

async function rowsOn<T>(client: Pool | PoolClient, sql: string, parameters: unknown[]): Promise<T[]> {
  return (await client.query(sql, parameters)).rows as T[];
}

/**
 * What repositories use to talk to PostgreSQL. TypeORM owns the pool — it opens it with the runtime
 * role, checks health and migrations with it, and closes it at shutdown — but statements go to pg's
 * pool directly: every statement here is hand-written SQL, and a TypeORM query runner per statement
 * only added objects, listeners and a result mapping to the hot path.
 */
@Injectable()
export class Database implements SqlExecutor {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** pg's Pool, which TypeORM's postgres driver keeps as `master`. */
  private get pool(): Pool {
    return (this.dataSource.driver as unknown as { master: Pool }).master;
  }

  rows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    return rowsOn<T>(this.pool, sql, parameters);
  }

  /**
   * A statement every chat runs, prepared once per connection under `name`: PostgreSQL then skips
   * parsing and planning it on every later call.
   */
  async prepared<T>(name: string, sql: string, parameters: unknown[]): Promise<T | undefined> {
    return ((await this.pool.query({ name, text: sql, values: parameters })).rows as T[])[0];
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
    const client = await this.pool.connect();
    const tx: SqlExecutor = {
      rows: <R>(sql: string, parameters: unknown[] = []) => rowsOn<R>(client, sql, parameters),
      first: async <R>(sql: string, parameters: unknown[] = []) => (await rowsOn<R>(client, sql, parameters))[0],
    };
    let broken: unknown;
    try {
      await client.query('BEGIN');
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackFailed: unknown) => {
        // A connection that cannot roll back is not handed to the next request.
        broken = rollbackFailed;
      });
      throw error;
    } finally {
      client.release(broken instanceof Error ? broken : undefined);
    }
  }
}
