import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * What repositories use to talk to PostgreSQL: parameterised SQL that always answers its rows.
 * (TypeORM's `DataSource.query` answers `[rows, count]` for UPDATE … RETURNING but plain rows for
 * SELECT; the structured result used here is the same for every statement.)
 */
@Injectable()
export class Database {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async rows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const result = await runner.query(sql, parameters, true);
      return result.records as T[];
    } finally {
      await runner.release();
    }
  }

  async first<T>(sql: string, parameters: unknown[] = []): Promise<T | undefined> {
    return (await this.rows<T>(sql, parameters))[0];
  }
}
