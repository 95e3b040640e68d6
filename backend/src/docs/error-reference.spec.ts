import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpStatusForErrorCode } from '#src/common/error-status.js';
import { findWorkspaceRoot } from '#src/config/workspace-root.js';
import { ErrorCode } from '#src/contract/index.js';
import { ERRORS_DOCUMENT_PATH, renderErrorReference } from '#src/docs/error-reference.js';

describe('docs/errors.md', () => {
  const written = readFileSync(join(findWorkspaceRoot(), ERRORS_DOCUMENT_PATH), 'utf8');

  it('is what `npm run docs:api` renders from the contract (run it after changing a code)', () => {
    expect(written).toBe(renderErrorReference());
  });

  it.each(Object.values(ErrorCode))('lists %s with its status', (code) => {
    expect(written).toContain(`| ${httpStatusForErrorCode(code)} | \`${code}\` |`);
  });
});
