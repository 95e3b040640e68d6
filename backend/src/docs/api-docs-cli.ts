import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '#src/app.module.js';
import { createOpenApiDocument } from '#src/common/openapi.js';
import { findWorkspaceRoot } from '#src/config/workspace-root.js';
import { API_DOCUMENT_PATH, renderApiReference } from '#src/docs/api-reference.js';
import { ERRORS_DOCUMENT_PATH, renderErrorReference } from '#src/docs/error-reference.js';

/**
 * `npm run docs:api` writes docs/api.md and docs/errors.md from the built backend (whose build
 * documents the DTOs); `--check` only reports whether they are stale, and fails if so. The app is
 * assembled in Nest's preview mode: its routes are read, no provider runs, no database is touched.
 */
async function main(check: boolean): Promise<void> {
  const app = await NestFactory.create(AppModule.forRoot(), { preview: true, logger: false });
  const documents = {
    [API_DOCUMENT_PATH]: renderApiReference(createOpenApiDocument(app)),
    [ERRORS_DOCUMENT_PATH]: renderErrorReference(),
  };
  await app.close();
  const root = findWorkspaceRoot();
  const stale: string[] = [];
  for (const [path, text] of Object.entries(documents)) {
    const file = join(root, path);
    const current = await readFile(file, 'utf8').catch(() => undefined);
    if (current === text) continue;
    stale.push(path);
    if (!check) await writeFile(file, text);
  }
  if (check && stale.length > 0) {
    throw new Error(`${stale.join(' and ')} ${stale.length > 1 ? 'are' : 'is'} stale: run npm run docs:api`);
  }
  process.stdout.write(
    stale.length === 0 ? 'API docs are up to date\n' : `${check ? 'Stale' : 'Wrote'}: ${stale.join(', ')}\n`,
  );
}

main(process.argv.includes('--check')).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
