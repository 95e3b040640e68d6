import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The folder holding `nx.json`, found by walking up from this file; the current directory when the
 * backend runs outside the workspace (a container image), where paths are configured explicitly.
 */
export function findWorkspaceRoot(start: string = __dirname): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}
