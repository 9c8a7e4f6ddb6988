/**
 * Replays every reproducer the fuzzer saved (test/regressions/*, see README.md there) through
 * analyze() and asserts it no longer crashes or reports an internal error (issue #6).
 * A UsageError is an acceptable answer (that is how unusable input is refused).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listReproducers } from '../../scripts/fuzz/reproducers.js';
import { materialize } from '../../scripts/fuzz/materialize.js';
import { writeCompanions, runAnalysis, type Companions } from '../../scripts/fuzz/run-case.js';

const dir = dirname(fileURLToPath(import.meta.url));
const reproducers = listReproducers(dir);
let work = '';
let companions: Companions;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'tls-extract-regress-'));
  companions = writeCompanions(join(work, 'companions'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('fuzzer reproducers', () => {
  it('every saved reproducer has a line in README.md and every line names a file that exists', () => {
    const readme = join(dir, 'README.md');
    const lines = existsSync(readme) ? readFileSync(readme, 'utf8').split('\n').filter((l) => l.startsWith('| `')) : [];
    const listed = lines.map((l) => /^\| `([^`]+)`/.exec(l)![1]);
    expect(new Set(listed)).toEqual(new Set(reproducers.map((r) => r.file)));
  });

  for (const r of reproducers) {
    it(`${r.file} (${r.role}) neither crashes nor reports an internal error`, async () => {
      const caseDir = join(work, r.file);
      mkdirSync(caseDir, { recursive: true });
      const input = await materialize({ role: r.role, ext: r.ext, bytes: r.bytes, recipe: r.recipe, origin: r.file }, caseDir, caseDir);
      const out = await runAnalysis(r.role, input, companions, r.limits);
      expect(out.verdict, `${out.detail ?? ''}\n${out.stack ?? ''}`).toMatch(/^(ok|usage)$/);
    });
  }
});
