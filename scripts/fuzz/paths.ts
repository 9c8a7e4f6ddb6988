/** Locating the repository from either scripts/fuzz/*.ts (vitest) or dist/scripts/fuzz/*.js (node). */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tls-extract') return dir;
      } catch {
        // keep walking up
      }
    }
    dir = resolve(dir, '..');
  }
  return process.cwd();
}

export const seedsDir = (): string => join(repoRoot(), 'scripts', 'fuzz', 'seeds');
export const regressionsDir = (): string => join(repoRoot(), 'test', 'regressions');
