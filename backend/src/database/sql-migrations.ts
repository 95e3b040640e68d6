import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const migrationFile = /^(\d{4})_([a-z0-9_]+)\.up\.sql$/;

/**
 * Wraps each `db/migrations/NNNN_name.up.sql` (with its `NNNN_name.down.sql`) as a TypeORM migration,
 * so the plain SQL files stay the only source of the schema while TypeORM records what ran.
 * TypeORM orders migrations by a 13-digit number at the end of their name: the file's number.
 */
export function loadSqlMigrations(directory: string): (new () => MigrationInterface)[] {
  return readdirSync(directory)
    .map((file) => migrationFile.exec(file))
    .filter((match): match is RegExpExecArray => match !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
    .map(([file, number = '', name = '']) => {
      const up = readFileSync(join(directory, file), 'utf8');
      const down = readFileSync(join(directory, `${number}_${name}.down.sql`), 'utf8');
      // TypeORM instantiates migrations itself, so each file becomes a class.
      return class SqlFileMigration implements MigrationInterface {
        readonly name = `${number}_${name}_${number.padStart(13, '0')}`;

        async up(runner: QueryRunner): Promise<void> {
          await runner.query(up);
        }

        async down(runner: QueryRunner): Promise<void> {
          await runner.query(down);
        }
      };
    });
}
