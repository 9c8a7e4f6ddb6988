/**
 * The measured runs: tls-extract (count run, then N timed runs), tshark and ssldump (one run each:
 * they take tens of seconds and gigabytes on 1 GiB), the smoke test and the CPU profile.
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaptureInfo, CaptureSet, Log } from './captures.js';
import { SERVER_PORTS, hasCommand } from './captures.js';
import { measure } from './measure.js';
import type { RunSample } from './measure.js';
import { PCAP_GLOBAL_HEADER, indexPcap } from './pcap-file.js';
import { formatProfile, summarizeProfile } from './profile.js';
import { summarize } from './report.js';
import type { CertificateCheck, ToolResult } from './report.js';
import { countTsharkCertificateFile } from './tshark-stats.js';
import { ssldumpCommand, tlsExtractCommand, tsharkCommand } from './tools.js';

const SMOKE_PACKETS = 5000;

/** Runs tls-extract on the first packets of the base capture; returns a problem description or null. */
export async function smokeTest(root: string, caps: CaptureSet, out: string): Promise<string | null> {
  const smoke = join(out, 'smoke.pcap');
  if (!existsSync(smoke) || statSync(smoke).mtimeMs < statSync(caps.base.file).mtimeMs) {
    const base = indexPcap(caps.base.file);
    const end = base.offsets[SMOKE_PACKETS] ?? base.bytes.length;
    writeFileSync(smoke, base.bytes.subarray(0, Math.max(end, PCAP_GLOBAL_HEADER)));
  }
  const c = tlsExtractCommand(root, smoke, caps.truststore);
  const json = join(out, 'smoke.json');
  const run = await measure(c.cmd, c.args, { stdout: json, cwd: root });
  if (run.exitCode !== 0) return `exit ${run.exitCode}\n${run.stderrTail.trim()}`;
  try {
    const report = JSON.parse(readFileSync(json, 'utf8')) as { connections?: unknown };
    if (!Array.isArray(report.connections)) return 'the --json output has no connections array';
  } catch (e) {
    return `the --json output is not JSON: ${e instanceof Error ? e.message : String(e)}`;
  }
  return null;
}

interface ConnectionLike {
  certificates?: unknown[];
  client_certificates?: unknown[];
  certificates_visible?: boolean;
}

export async function runTlsExtract(root: string, caps: CaptureSet, label: string, file: string, info: CaptureInfo,
  runs: number, out: string, log: Log): Promise<{ result: ToolResult; certificates: CertificateCheck | null }> {
  const c = tlsExtractCommand(root, file, caps.truststore);
  const json = join(out, `tls-extract-${label}.json`);
  log(`tls-extract on ${label}: count run (output kept in ${json}, also warms the page cache)`);
  const first = await measure(c.cmd, c.args, { stdout: json, cwd: root });
  log(`tls-extract ${label} count run: ${describe(first)}`);
  // a folder input (the series): the bytes of its files
  const fileBytes = statSync(file).isDirectory() ? readdirSync(file).reduce((s, f) => s + statSync(join(file, f)).size, 0) : statSync(file).size;
  if (first.exitCode !== 0) {
    log(`tls-extract failed on ${label} (exit ${first.exitCode}): ${first.stderrTail.trim().slice(-500)}`);
    return { result: summarize('tls-extract', label, file, fileBytes, info.bytes, info.packets, [first], 'count run failed'), certificates: null };
  }
  const certificates = countCertificates(json, label, info);
  const samples: RunSample[] = [];
  for (let i = 0; i < runs; i++) {
    const s = await measure(c.cmd, c.args, { stdout: '/dev/null', cwd: root });
    log(`tls-extract ${label} run ${i + 1}/${runs}: ${describe(s)}`);
    samples.push(s);
  }
  return { result: summarize('tls-extract', label, file, fileBytes, info.bytes, info.packets, samples), certificates };
}

function countCertificates(json: string, label: string, info: CaptureInfo): CertificateCheck {
  const report = JSON.parse(readFileSync(json, 'utf8')) as { connections?: ConnectionLike[] };
  const conns = report.connections ?? [];
  let server = 0;
  let client = 0;
  let visible = 0;
  for (const conn of conns) {
    server += conn.certificates?.length ?? 0;
    client += conn.client_certificates?.length ?? 0;
    if (conn.certificates_visible) visible++;
  }
  const expected = info.expected;
  return {
    capture: label,
    tls_extract: { server, client, connections: conns.length, certificates_visible: visible },
    tshark: null,
    expected,
    same_as_tshark: null,
    same_as_expected: expected ? expected.certificates.server === server && expected.certificates.client === client : null,
  };
}

/**
 * tshark once (a minute and ~1.8 GB per run); ssldump `runs` times, like tls-extract, since the ratio to it is
 * a target and a single run of a few seconds moves by ±20 % on a shared host.
 */
export async function runReferences(caps: CaptureSet, out: string, log: Log, runs = 1):
  Promise<{ results: ToolResult[]; notes: string[]; tsharkCertificates: { server: number; client: number } | null }> {
  const results: ToolResult[] = [];
  const notes: string[] = [runs > 1
    ? `tshark: one run on the 1 GiB capture (slow and memory-hungry); ssldump: median of ${runs} runs`
    : 'tshark and ssldump: one run each on the 1 GiB capture (they are slow and memory-hungry)'];
  const one = caps.one;
  await warmPageCache(one.file);
  let tsharkCertificates: { server: number; client: number } | null = null;
  if (hasCommand('tshark')) {
    const c = tsharkCommand(one.file);
    const txt = join(out, 'tshark-1g.txt');
    log(`tshark on 1g (one run): ${c.cmd} ${c.args.join(' ')}`);
    const s = await measure(c.cmd, c.args, { stdout: txt });
    log(`tshark: ${describe(s)}`);
    results.push(summarize('tshark', '1g', one.file, one.bytes, one.bytes, one.packets, [s], 'single run'));
    if (s.exitCode === 0) tsharkCertificates = await countTsharkCertificateFile(txt, SERVER_PORTS);
  } else notes.push('tshark not installed: no tshark figures');
  if (hasCommand('ssldump')) {
    const c = ssldumpCommand(one.file);
    log(`ssldump on 1g (${runs === 1 ? 'one run' : `${runs} runs`}): ${c.cmd} ${c.args.join(' ')}`);
    const samples: RunSample[] = [];
    for (let i = 0; i < runs; i++) {
      const s = await measure(c.cmd, c.args, { stdout: '/dev/null' });
      log(`ssldump run ${i + 1}/${runs}: ${describe(s)}`);
      samples.push(s);
    }
    results.push(summarize('ssldump', '1g', one.file, one.bytes, one.bytes, one.packets, samples, runs === 1 ? 'single run' : undefined));
  } else notes.push('ssldump not installed: no ssldump figures');
  return { results, notes, tsharkCertificates };
}

/** `--profile`: one run under node --cpu-prof on the 1 GiB capture; returns the printed summary. */
export async function runProfile(root: string, caps: CaptureSet, out: string, log: Log): Promise<string> {
  const dir = join(out, 'profile');
  mkdirSync(dir, { recursive: true });
  const name = `tls-extract-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`;
  const c = tlsExtractCommand(root, caps.one.file, caps.truststore, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-name', name]);
  log(`profiling tls-extract on ${caps.one.file}`);
  const s = await measure(c.cmd, c.args, { stdout: '/dev/null', cwd: root });
  if (s.exitCode !== 0) throw new Error(`tls-extract failed under --cpu-prof (exit ${s.exitCode}): ${s.stderrTail.trim()}`);
  const summary = summarizeProfile(join(dir, name), root);
  writeFileSync(join(dir, name.replace(/\.cpuprofile$/, '.top.json')), JSON.stringify(summary, null, 2));
  return `${formatProfile(summary)}\n(wall ${s.wallSeconds.toFixed(2)} s with the profiler on, peak RSS ${rssMib(s)} MiB)`;
}

async function warmPageCache(file: string): Promise<void> {
  for await (const _chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    // reading is the point
  }
}

function describe(s: RunSample): string {
  const cpu = s.cpuSeconds === null ? '' : `, cpu ${s.cpuSeconds.toFixed(2)} s`;
  return `${s.wallSeconds.toFixed(2)} s${cpu}, peak RSS ${rssMib(s)} MiB, exit ${s.exitCode} (load ${s.load1.toFixed(1)} at start)`;
}

function rssMib(s: RunSample): string {
  return s.maxRssKb === null ? '?' : (s.maxRssKb / 1024).toFixed(0);
}
