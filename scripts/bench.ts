/**
 * `npm run bench` (issue #5): throughput and peak memory of tls-extract on a ≥ 1 GiB realistic capture,
 * next to tshark and ssldump doing the same job, plus certificate counts checked against tshark.
 *
 *   npm run bench [-- --runs N] [--large] [--skip-reference] [--reference-only] [--profile] [--regen]
 *
 * Captures are generated once into .cache/bench/ (scripts/bench/captures.ts); results go to
 * .cache/bench/results-<date>.json. See scripts/bench/README.md.
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseBenchArgs, usage } from './bench/args.js';
import { cacheDir, ensureCaptures, hasCommand } from './bench/captures.js';
import type { CaptureSet } from './bench/captures.js';
import { peakRssMethod } from './bench/measure.js';
import { formatTable, ratios } from './bench/report.js';
import type { BenchResults, CertificateCheck, ToolResult } from './bench/report.js';
import { runProfile, runReferences, runTlsExtract, smokeTest } from './bench/runs.js';
import { missingToolFiles, versions } from './bench/tools.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const log = (m: string): void => console.error(`[bench] ${m}`);

async function main(): Promise<number> {
  const args = parseBenchArgs(process.argv.slice(2), process.env);
  if (args.help) {
    console.log(usage);
    return 0;
  }
  const missing = missingToolFiles(root);
  const toolReady = missing.length === 0;
  if (!toolReady && !args.referenceOnly) {
    console.error(`tls-extract is not built yet (missing ${missing.join(', ')}).\n` +
      'Build it first (npm run build), then rerun npm run bench.\n' +
      'Meanwhile `npm run bench -- --reference-only` generates the captures and measures tshark and ssldump.');
    return 2;
  }
  const loadStart = loadavg();
  const caps = await ensureCaptures(root, { large: args.large, regen: args.regen, log });
  const out = cacheDir(root);
  mkdirSync(out, { recursive: true });
  if (toolReady && !args.referenceOnly) {
    const problem = await smokeTest(root, caps, out);
    if (problem) {
      console.error(`tls-extract is built but does not work yet on a small capture:\n${problem}`);
      return 2;
    }
  }
  if (args.profile) {
    console.log(await runProfile(root, caps, out, log));
    return 0;
  }

  const results: ToolResult[] = [];
  const certificates: CertificateCheck[] = [];
  const notes: string[] = [];
  if (toolReady && !args.referenceOnly) {
    const captures: [string, string, number][] = [['1g', caps.one.file, caps.one.bytes]];
    if (caps.one.gzip) captures.push(['1g.gz', caps.one.gzip.file, caps.one.bytes]);
    if (caps.one.bundle) captures.push(['1g.tar.gz', caps.one.bundle.file, caps.one.bytes]);
    if (caps.one.series) captures.push(['1g.series', caps.one.series.dir, caps.one.bytes]);
    if (caps.four) captures.push(['4g', caps.four.file, caps.four.bytes]);
    for (const [label, file] of captures) {
      const info = label === '4g' && caps.four ? caps.four : caps.one;
      const r = await runTlsExtract(root, caps, label, file, info, args.runs, out, log);
      results.push(r.result);
      if (r.certificates) certificates.push(r.certificates);
    }
  } else {
    notes.push('tls-extract not measured (not built or --reference-only)');
  }
  if (!args.skipReference) {
    const ref = await runReferences(caps, out, log, args.runs);
    results.push(...ref.results);
    notes.push(...ref.notes);
    mergeTsharkCounts(certificates, ref.tsharkCertificates, caps);
  }
  const res: BenchResults = {
    date: new Date().toISOString(),
    host: { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? '?', memory_gib: totalmem() / 2 ** 30, load_avg_start: loadStart },
    versions: versions(root),
    peak_rss_method: peakRssMethod(),
    runs_requested: args.runs,
    captures: describeCaptures(caps),
    results,
    certificates,
    ratios: ratios(results),
    notes,
  };
  const file = join(out, `results-${res.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(res, null, 2));
  console.log(formatTable(res));
  console.log(`\nversions: ${Object.entries(res.versions).map(([k, v]) => `${k} ${v ?? 'absent'}`).join('; ')}`);
  console.log(`results written to ${file}`);
  return results.every((r) => r.ok) ? 0 : 1;
}

/** Puts tshark's certificate count next to tls-extract's for the 1 GiB capture. */
function mergeTsharkCounts(checks: CertificateCheck[], tshark: { server: number; client: number } | null, caps: CaptureSet): void {
  if (!tshark) return;
  let c = checks.find((x) => x.capture === '1g');
  if (!c) {
    c = { capture: '1g', tls_extract: null, tshark: null, expected: caps.one.expected, same_as_tshark: null, same_as_expected: null };
    checks.unshift(c);
  }
  c.tshark = tshark;
  if (c.tls_extract) c.same_as_tshark = c.tls_extract.server === tshark.server && c.tls_extract.client === tshark.client;
}

function describeCaptures(caps: CaptureSet): Record<string, unknown> {
  return { base: caps.base, '1g': caps.one, ...(caps.four ? { '4g': caps.four } : {}), truststore: caps.truststore,
    tools_found: { tshark: hasCommand('tshark'), ssldump: hasCommand('ssldump') } };
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(`bench failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(2);
});
