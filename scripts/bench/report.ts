/**
 * Benchmark results: the record written to .cache/bench/results-<date>.json and the table printed at the end.
 * MB = 10^6 bytes of uncompressed capture (so a .gz run is comparable with the plain one); RSS in MiB.
 */
import { median } from './measure.js';
import type { RunSample } from './measure.js';
import type { CaptureInfo } from './captures.js';
import type { TlsCounts } from './tshark-stats.js';
import type { Versions } from './tools.js';

export interface ToolResult {
  tool: string;
  /** capture label: 1g, 1g.gz, 1g.tar.gz, 1g.series (a folder of 20 MB files), 4g */
  capture: string;
  file: string;
  /** bytes of the file as read (compressed size for .gz) */
  file_bytes: number;
  /** uncompressed capture bytes and packets: the work done */
  capture_bytes: number;
  packets: number;
  runs: RunSample[];
  median_wall_s: number;
  /** median user+system CPU seconds (null without GNU time) */
  median_cpu_s: number | null;
  mb_per_s: number;
  packets_per_s: number;
  median_peak_rss_mib: number | null;
  max_peak_rss_mib: number | null;
  ok: boolean;
  note?: string;
}

export interface CertificateCheck {
  capture: string;
  tls_extract: { server: number; client: number; connections: number; certificates_visible: number } | null;
  tshark: { server: number; client: number } | null;
  expected: TlsCounts | null;
  /** tls-extract's server and client certificate counts equal tshark's */
  same_as_tshark: boolean | null;
  /** tls-extract's counts equal the expected ones (tshark on the base capture × copies) */
  same_as_expected: boolean | null;
}

export interface BenchResults {
  date: string;
  host: { cpus: number; cpu_model: string; memory_gib: number; load_avg_start: number[] };
  versions: Versions;
  peak_rss_method: string;
  runs_requested: number;
  captures: Record<string, unknown>;
  results: ToolResult[];
  certificates: CertificateCheck[];
  ratios: Record<string, number | null>;
  notes: string[];
}

export function summarize(tool: string, capture: string, file: string, fileBytes: number, captureBytes: number,
  packets: number, runs: RunSample[], note?: string): ToolResult {
  const ok = runs.every((r) => r.exitCode === 0);
  const wall = median(runs.map((r) => r.wallSeconds));
  const rss = runs.map((r) => r.maxRssKb).filter((v): v is number => v !== null);
  const cpu = runs.map((r) => r.cpuSeconds).filter((v): v is number => v !== null);
  return {
    tool, capture, file, file_bytes: fileBytes, capture_bytes: captureBytes, packets, runs,
    median_wall_s: wall,
    median_cpu_s: cpu.length ? median(cpu) : null,
    mb_per_s: captureBytes / 1e6 / wall,
    packets_per_s: packets / wall,
    median_peak_rss_mib: rss.length ? median(rss) / 1024 : null,
    max_peak_rss_mib: rss.length ? Math.max(...rss) / 1024 : null,
    ok,
    note,
  };
}

export function find(results: ToolResult[], tool: string, capture: string): ToolResult | undefined {
  return results.find((r) => r.tool === tool && r.capture === capture && r.ok);
}

/** tls-extract relative to the references and to itself (linearity, compressed input). */
export function ratios(results: ToolResult[]): Record<string, number | null> {
  const t1 = find(results, 'tls-extract', '1g');
  const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
    a != null && b != null && b !== 0 ? a / b : null;
  const out: Record<string, number | null> = {};
  for (const ref of ['tshark', 'ssldump']) {
    const r = find(results, ref, '1g');
    out[`speedup_vs_${ref}`] = ratio(r?.median_wall_s, t1?.median_wall_s);
    out[`cpu_speedup_vs_${ref}`] = ratio(r?.median_cpu_s, t1?.median_cpu_s);
    out[`rss_vs_${ref}`] = ratio(t1?.median_peak_rss_mib, r?.median_peak_rss_mib);
  }
  const gz = find(results, 'tls-extract', '1g.gz');
  out.gzip_wall_vs_plain = ratio(gz?.median_wall_s, t1?.median_wall_s);
  const tgz = find(results, 'tls-extract', '1g.tar.gz');
  out.bundle_wall_vs_plain = ratio(tgz?.median_wall_s, t1?.median_wall_s);
  const series = find(results, 'tls-extract', '1g.series');
  out.series_wall_vs_plain = ratio(series?.median_wall_s, t1?.median_wall_s);
  const t4 = find(results, 'tls-extract', '4g');
  out.wall_4g_vs_1g = ratio(t4?.median_wall_s, t1?.median_wall_s);
  out.cpu_4g_vs_1g = ratio(t4?.median_cpu_s, t1?.median_cpu_s);
  out.bytes_4g_vs_1g = ratio(t4?.capture_bytes, t1?.capture_bytes);
  out.rss_4g_vs_1g = ratio(t4?.median_peak_rss_mib, t1?.median_peak_rss_mib);
  return out;
}

function describeCaptures(captures: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const [label, v] of Object.entries(captures)) {
    const c = v as Partial<CaptureInfo> | null;
    if (!c || typeof c !== 'object' || typeof c.bytes !== 'number' || typeof c.packets !== 'number') continue;
    const n = c.expected ?? (c as { tls?: TlsCounts | null }).tls;
    const hs = n ? `, ${n.clientHellos} TLS handshakes, ${n.certificates.server + n.certificates.client} certificates` : '';
    const copies = c.copies ? ` (${c.copies} copies of the base)` : '';
    const gz = c.gzip ? `; .gz ${(c.gzip.bytes / 1e9).toFixed(2)} GB` : '';
    const tgz = c.bundle ? `; .tar.gz ${(c.bundle.bytes / 1e9).toFixed(2)} GB` : '';
    const series = c.series ? `; series of ${c.series.files} files` : '';
    lines.push(`capture ${label}: ${(c.bytes / 1e9).toFixed(2)} GB, ${(c.packets / 1e6).toFixed(2)} M packets${hs}${copies}${gz}${tgz}${series}`);
  }
  return lines;
}

export function formatTable(res: BenchResults): string {
  const head = ['tool', 'capture', 'runs', 'wall s', 'cpu s', 'MB/s', 'kpkt/s', 'MB/cpu-s', 'peak RSS MiB', 'status'];
  const rows = res.results.map((r) => [
    r.tool, r.capture, String(r.runs.length), r.median_wall_s.toFixed(2),
    r.median_cpu_s === null ? '?' : r.median_cpu_s.toFixed(2), r.mb_per_s.toFixed(1),
    (r.packets_per_s / 1000).toFixed(1), r.median_cpu_s ? (r.capture_bytes / 1e6 / r.median_cpu_s).toFixed(1) : '?',
    r.median_peak_rss_mib === null ? '?' : r.median_peak_rss_mib.toFixed(0),
    r.ok ? (r.note ?? 'ok') : `FAILED (exit ${r.runs.find((x) => x.exitCode !== 0)?.exitCode})`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i < 2 || i === 9 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out = [...describeCaptures(res.captures), '', line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  out.push('', 'wall s / cpu s = median wall / user+sys CPU time; MB/s and kpkt/s from wall time, MB/cpu-s from CPU time',
    '(the machine may be shared: see the load average in the results file); MB = 10^6 bytes of uncompressed capture;',
    'peak RSS = median over runs');
  for (const c of res.certificates) {
    const te = c.tls_extract ? `${c.tls_extract.server} server + ${c.tls_extract.client} client in ${c.tls_extract.connections} connections` : 'n/a';
    const ts = c.tshark ? `${c.tshark.server} server + ${c.tshark.client} client` : 'n/a';
    const ex = c.expected ? `${c.expected.certificates.server} + ${c.expected.certificates.client}` : 'n/a';
    let verdict = c.same_as_tshark === null ? '' : c.same_as_tshark ? '  → same as tshark' : '  → DIFFERENT from tshark';
    if (c.same_as_expected !== null) verdict += c.same_as_expected ? ', as expected' : ', NOT as expected';
    out.push(`certificates (${c.capture}): tls-extract ${te}; tshark ${ts}; expected ${ex}${verdict}`);
  }
  const r = res.ratios;
  const fmt = (v: number | null | undefined, suffix: string): string => (v == null ? 'n/a' : `${v.toFixed(2)}${suffix}`);
  for (const ref of ['tshark', 'ssldump']) {
    out.push(`tls-extract vs ${ref}: ${fmt(r[`speedup_vs_${ref}`], '× faster')} by wall time, ` +
      `${fmt(r[`cpu_speedup_vs_${ref}`], '×')} by CPU time, peak RSS ${fmt(r[`rss_vs_${ref}`], '×')} ${ref}'s`);
  }
  out.push(`gzip input: wall ${fmt(r.gzip_wall_vs_plain, '×')} the plain capture's` +
    (r.bundle_wall_vs_plain == null ? '' : `; .tar.gz bundle: ${fmt(r.bundle_wall_vs_plain, '×')}`) +
    (r.series_wall_vs_plain == null ? '' : `; folder of 20 MB files: ${fmt(r.series_wall_vs_plain, '×')}`));
  if (r.wall_4g_vs_1g != null) {
    out.push(`linearity: ${fmt(r.bytes_4g_vs_1g, '×')} the bytes took ${fmt(r.wall_4g_vs_1g, '×')} the wall time, ` +
      `${fmt(r.cpu_4g_vs_1g, '×')} the CPU time, peak RSS ${fmt(r.rss_4g_vs_1g, '×')}`);
  }
  for (const n of res.notes) out.push(`note: ${n}`);
  return out.join('\n');
}
