/**
 * Saved reproducers: test/regressions/<sha256-12>.<ext> (the raw input), optionally with a sidecar
 * <file>.json holding non-default limits, or <sha256-12>.recipe.json for a large generated input
 * (see materialize.ts). Each saved file gets one line in test/regressions/README.md.
 * The regression test (test/regressions/regressions.test.ts) replays every one of them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseSpec, Recipe } from './case.js';
import type { Limits } from '../../src/options.js';
import type { Role } from './seeds.js';
import { roleOfExt } from './classify.js';

export interface Reproducer {
  file: string;
  /** failure kind when it was found (README.md column): crash, internal, timeout, slow, memory */
  failure: string;
  /** `open` (not fixed yet: expected to fail) or `fixed` */
  status: string;
  role: Role;
  ext: string;
  bytes?: Uint8Array;
  recipe?: Recipe;
  limits?: Partial<Limits>;
}

interface RecipeFile {
  role: Role;
  ext: string;
  recipe: Recipe;
  limits?: Partial<Limits>;
}

const README_HEAD = `# Fuzzer reproducers

Every file here made \`analyze()\` crash, report an \`internal.*\` diagnostic, hang, or exceed the
memory bound when it was found by \`npm run fuzz\` (scripts/fuzz.ts). \`regressions.test.ts\` replays
them all and asserts that none crashes, reports an internal error or exceeds the bounds any more.

- \`<hash>.<ext>\`: the raw input; the extension says how it is passed to \`analyze()\`:
  \`.pcap\`/\`.pcapng\`/\`.pcap.gz\` as the capture (with the fuzz seed trust store),
  \`.tar\`/\`.tar.gz\` as a bundle, \`.log\` via \`logs\` and \`.pem\` via \`truststores\` (both with the
  fuzz seed capture, scripts/fuzz/seeds.ts \`baseCapture()\`).
- \`<file>.json\` beside it: non-default \`limits\` the case ran with.
- \`<hash>.recipe.json\`: a large generated input (gzip bomb, 100 MB log line), rebuilt by
  scripts/fuzz/materialize.ts.
- status \`open\`: the bug is not fixed yet; the test expects the failure (\`it.fails\`), so it turns
  red when the bug is fixed: then change the status to \`fixed\` (and name the fix in the detail).
  \`npm run fuzz\` does not fail on a failure whose signature belongs to an \`open\` row (known bug);
  it does on a new signature, and on the signature of a \`fixed\` row (a regression).

| file | failure | status | module / detail | origin | found | signature |
|---|---|---|---|---|---|---|
`;

function hash(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex').slice(0, 12);
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 300);
}

/** Save a failing case; returns the file name and whether it was new. */
export function saveReproducer(dir: string, c: CaseSpec, failure: string, detail: string, found: string, sig: string): { file: string; isNew: boolean } {
  mkdirSync(dir, { recursive: true });
  let file: string;
  if (c.bytes && !c.regen) {
    file = `${hash(c.bytes)}${c.ext}`;
    if (existsSync(join(dir, file))) return { file, isNew: false };
    writeFileSync(join(dir, file), c.bytes);
    if (c.limits) writeFileSync(join(dir, `${file}.json`), `${JSON.stringify({ limits: c.limits }, null, 2)}\n`);
  } else if (c.recipe || c.regen) {
    const body: RecipeFile = { role: c.role, ext: c.ext, recipe: (c.regen ?? c.recipe)!, limits: c.limits };
    const text = `${JSON.stringify(body, null, 2)}\n`;
    file = `${hash(text)}.recipe.json`;
    if (existsSync(join(dir, file))) return { file, isNew: false };
    writeFileSync(join(dir, file), text);
  } else {
    throw new Error('case without bytes or recipe');
  }
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) writeFileSync(readme, README_HEAD);
  appendFileSync(readme, `| \`${file}\` | ${cell(failure)} | open | ${cell(detail)} | ${cell(c.origin)} | ${cell(found)} | \`${tableSignature(sig)}\` |\n`);
  return { file, isNew: true };
}

/** Signatures of the `open` rows (known, unfixed bugs): every `code` span in the last cell. */
export function openSignatures(dir: string): Set<string> {
  const out = new Set<string>();
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) return out;
  for (const line of readFileSync(readme, 'utf8').split('\n')) {
    if (!/^\| `[^`]+` \| \w+ \| open \|/.test(line)) continue;
    const last = line.slice(line.lastIndexOf('|', line.length - 2) + 1);
    for (const m of last.matchAll(/`([^`]*)`/g)) out.add(m[1]);
  }
  return out;
}

/** A signature as written in the README (no backticks, no table pipes). */
export function tableSignature(sig: string): string {
  return sig.replace(/`/g, "'").replace(/\|/g, '¦').slice(0, 300);
}

/** file → failure kind and status, from the README.md table. */
function readmeRows(dir: string): Map<string, { failure: string; status: string }> {
  const m = new Map<string, { failure: string; status: string }>();
  const readme = join(dir, 'README.md');
  if (!existsSync(readme)) return m;
  for (const line of readFileSync(readme, 'utf8').split('\n')) {
    const r = /^\| `([^`]+)` \| (\w+) \| (\w+) \|/.exec(line);
    if (r) m.set(r[1], { failure: r[2], status: r[3] });
  }
  return m;
}

/** Every saved reproducer in `dir` (sorted by name). */
export function listReproducers(dir: string): Reproducer[] {
  if (!existsSync(dir)) return [];
  const rows = readmeRows(dir);
  const row = (f: string): { failure: string; status: string } => rows.get(f) ?? { failure: 'crash', status: 'fixed' };
  const out: Reproducer[] = [];
  for (const f of readdirSync(dir).sort()) {
    if (f === 'README.md' || f.endsWith('.ts')) continue;
    const p = join(dir, f);
    if (f.endsWith('.recipe.json')) {
      const r = JSON.parse(readFileSync(p, 'utf8')) as RecipeFile;
      out.push({ file: f, ...row(f), role: r.role, ext: r.ext, recipe: r.recipe, limits: r.limits });
    } else if (f.endsWith('.json')) {
      continue; // sidecar
    } else {
      const side = `${p}.json`;
      const limits = existsSync(side) ? (JSON.parse(readFileSync(side, 'utf8')) as { limits?: Partial<Limits> }).limits : undefined;
      const ext = f.slice(f.indexOf('.'));
      out.push({ file: f, ...row(f), role: roleOfExt(f), ext, bytes: new Uint8Array(readFileSync(p)), limits });
    }
  }
  return out;
}
