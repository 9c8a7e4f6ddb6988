import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | null = null;

/** The package version, found by walking up from this module to tls-extract's package.json. */
export function toolVersion(): string {
  if (cached !== null) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'tls-extract' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      /* not here */
    }
    dir = dirname(dir);
  }
  return (cached = '0.0.0');
}
