/**
 * The `tls-extract` command: argv → options → analyzeStream() → redact → export → render → exit code.
 * `--json` alone writes the streamed report connection by connection; every other output builds the
 * whole report first. Runs in-process with injected streams (tests) or from bin/tls-extract.js.
 *
 * Errors: a usage mistake prints one line plus "Try 'tls-extract --help'" and returns 2; a UsageError
 * from analyze() (unusable input) prints `tls-extract: <message>` and returns its exit code; anything
 * else is a bug: `tls-extract: internal error: …`, the stack only when TLS_EXTRACT_DEBUG is set, exit 1.
 */
import { closeSync, existsSync, fstatSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { isatty } from 'node:tty';
import { performance } from 'node:perf_hooks';
import { ExitCode, isUsageError, UsageError } from '../errors.js';
import type { Report } from '../report/model.js';
import { isStreamedReport, materializeReport, type StreamedReport } from '../report/streamed.js';
import { redactReport, type RedactionSummary } from '../report/redact.js';
import { ByteBatcher, renderJson, writeJsonReport } from '../report/render-json.js';
import { sanitizeBlock, sanitizeInline } from '../report/sanitize.js';
import { isFailingVerdict, strictProblems } from '../report/summarize.js';
import { toolVersion } from '../version.js';
import { parseArgs, type CliOptions } from './args.js';
import { exportCertificates, exportMissing } from './export.js';
import { helpText } from './help.js';
import { loadAnalyze, type AnalyzeOptions, type CliIo } from './io.js';
import { createProgress } from './progress.js';

export type { CliIo, CliStream } from './io.js';

const PROG = 'tls-extract';

function writeFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.usage);
  }
}

/** Write all of `b` (a write to a file may take fewer bytes than given); a failure (disk full) is one clear line. */
function writeAll(fd: number, b: Uint8Array, name: string): void {
  let off = 0;
  try {
    while (off < b.length) off += writeSync(fd, b, off, b.length - off);
  } catch (e) {
    throw new UsageError(`cannot write ${name}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.usage);
  }
}

/**
 * `--json` streamed: the report is encoded into one reused 64 KiB buffer, written when full (a file, or
 * standard output redirected to one, straight from it; a pipe or terminal as text), and the writer waits
 * for a stream to drain between connections.
 */
async function writeJsonOutput(report: Report | StreamedReport, path: string | null, io: CliIo): Promise<void> {
  if (path !== null) {
    let fd: number;
    try {
      fd = openSync(path, 'w');
    } catch (e) {
      throw new UsageError(`cannot write ${path}: ${e instanceof Error ? e.message : String(e)}`, ExitCode.usage);
    }
    try {
      writeJsonToFd(report, fd, path);
    } finally {
      closeSync(fd);
    }
    return;
  }
  const fd = (io.stdout as { fd?: unknown }).fd;
  if (typeof fd === 'number' && isPlainFileOrDevice(fd)) {
    writeJsonToFd(report, fd, 'standard output');
    return;
  }
  const stream = io.stdout as CliIo['stdout'] & { once?: (ev: 'drain', cb: () => void) => unknown };
  // handed over as text: a stream writes a string from V8's heap and frees its copy at once, where a
  // Buffer per chunk would be external memory kept until a collection (+20 MB peak on a 40 MB report);
  // the decoder keeps a UTF-8 sequence cut by a chunk boundary for the next chunk
  const dec = new StringDecoder('utf8');
  let full = false;
  const send = (text: string): void => {
    if (text !== '' && stream.write(text) === false) full = true;
  };
  const out = new ByteBatcher((b) => send(dec.write(b)));
  for (const _ of writeJsonReport(report, out)) {
    if (full && typeof stream.once === 'function') await new Promise<void>((r) => stream.once!('drain', r));
    full = false;
  }
  out.flush();
  send(dec.end());
}

function writeJsonToFd(report: Report | StreamedReport, fd: number, name: string): void {
  const out = new ByteBatcher((b) => writeAll(fd, b, name));
  for (const _ of writeJsonReport(report, out)) { /* synchronous writes: nothing to wait for */ }
  out.flush();
}

/**
 * Standard output redirected to a file or a device such as /dev/null (Node writes those synchronously
 * anyway): written straight from the buffer, without a copy per chunk for the stream to keep. Pipes and
 * terminals go through the stream (they may be non-blocking and need back-pressure).
 */
function isPlainFileOrDevice(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFile() || (st.isCharacterDevice() && !isatty(fd));
  } catch {
    return false;
  }
}

/** Colour only for a terminal, unless forced; NO_COLOR (non-empty, no-color.org) and TERM=dumb turn it off. */
export function wantColor(mode: CliOptions['color'], toTerminal: boolean, env: CliIo['env']): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  return toTerminal && !env.NO_COLOR && env.TERM !== 'dumb';
}

function analyzeOptions(o: CliOptions, onProgress: AnalyzeOptions['onProgress']): AnalyzeOptions {
  const a: AnalyzeOptions = { onProgress };
  if (o.format === 'markdown' || o.markdownFile !== null) a.hashInputs = true;
  if (o.truststores.length > 0) a.truststores = o.truststores;
  if (o.logs.length > 0) a.logs = o.logs;
  if (o.name !== null) a.name = o.name;
  if (o.logTz !== null) a.logTz = o.logTz;
  if (o.windowMs !== null) a.windowMs = o.windowMs;
  if (o.securityLevel !== null) a.securityLevel = o.securityLevel;
  return a;
}

/*
 * The text renderers are loaded when used: a `--json` run (scripts, the benchmark) does not pay for
 * compiling the table, Markdown and timeline code and their width tables (~30 ms).
 */
const renderTable = async (...a: Parameters<typeof import('../report/render-table.js').renderTable>) => (await import('../report/render-table.js')).renderTable(...a);
const renderMarkdown = async (...a: Parameters<typeof import('../report/render-markdown.js').renderMarkdown>) => (await import('../report/render-markdown.js')).renderMarkdown(...a);
const renderTimeline = async (...a: Parameters<typeof import('../report/render-timeline.js').renderTimeline>) => (await import('../report/render-timeline.js')).renderTimeline(...a);

async function render(report: Report, o: CliOptions, io: CliIo, redaction: RedactionSummary | null): Promise<string> {
  const toTerminal = o.output === null && io.stdout.isTTY === true;
  const width = o.width ?? (toTerminal && io.stdout.columns ? io.stdout.columns : 80);
  const color = wantColor(o.color, toTerminal, io.env);
  if (o.timeline !== null) return renderTimeline(report, { width, color, server: o.timeline.server });
  if (o.format === 'json') return renderJson(redaction ? { ...report, redaction } as Report : report);
  if (o.format === 'markdown') return renderMarkdown(report, { redaction });
  return renderTable(report, { width, color });
}

function note(io: CliIo, o: CliOptions, msg: string): void {
  if (!o.quiet) io.stderr.write(`${PROG}: ${msg}\n`);
}

function runExports(report: Report, o: CliOptions, io: CliIo): void {
  if (o.exportCerts !== null) {
    const r = exportCertificates(report, o.exportCerts);
    note(io, o, `wrote ${r.written.length} certificate(s) to ${sanitizeInline(o.exportCerts)}${r.skipped ? ` (${r.skipped} without PEM skipped)` : ''}`);
  }
  if (o.exportMissing !== null) {
    const r = exportMissing(report, o.exportMissing);
    note(io, o, `wrote ${r.written.length} certificate(s) to add to the trust store to ${sanitizeInline(o.exportMissing)}`);
    for (const name of r.unavailable) note(io, o, `issuer '${sanitizeInline(name)}' is needed but was not sent by the server: get it from the CA`);
  }
}

async function run(o: CliOptions, io: CliIo): Promise<number> {
  const analyze = io.analyze ?? (await loadAnalyze());
  const progress = createProgress({
    stream: io.stderr, enabled: io.stderr.isTTY === true && !o.quiet, now: io.now ?? (() => performance.now()),
  });
  let analysed: Report | StreamedReport;
  try {
    analysed = (await analyze(o.inputs, analyzeOptions(o, (p) => progress.onProgress(p)))).report;
  } finally {
    progress.finish();
  }
  if (isStreamedReport(analysed) && jsonOnly(o)) {
    // each connection built as it is written, then dropped: memory does not grow with their number
    await writeJsonOutput(analysed, o.output, io);
    return exitCode(o, analysed.findings.get(), analysed.diagnostics.get());
  }
  let report = materializeReport(analysed);
  let redaction: RedactionSummary | null = null;
  if (o.redact) ({ report, summary: redaction } = redactReport(report, { users: true, ips: o.redactIps }));
  runExports(report, o, io);
  if (o.format === 'json' && o.timeline === null) {
    // streamed one connection at a time: a report of many thousand connections is tens of MB as one string
    await writeJsonOutput(redaction ? ({ ...report, redaction } as Report) : report, o.output, io);
  } else {
    const text = await render(report, o, io, redaction);
    if (o.output !== null) writeFile(o.output, text);
    else io.stdout.write(text);
  }
  if (o.markdownFile !== null) {
    writeFile(o.markdownFile, await renderMarkdown(report, { redaction }));
    note(io, o, `wrote the Markdown report to ${sanitizeInline(o.markdownFile)}`);
  }
  return exitCode(o, report.findings, report.diagnostics);
}

/** `--json` and nothing else that reads the whole report (redaction, exports, a Markdown file, a timeline). */
function jsonOnly(o: CliOptions): boolean {
  return o.format === 'json' && o.timeline === null && !o.redact && o.exportCerts === null && o.exportMissing === null && o.markdownFile === null;
}

function exitCode(o: CliOptions, findings: Report['findings'], diagnostics: Report['diagnostics']): number {
  if (o.failOnUntrusted && findings.some((f) => isFailingVerdict(f.verdict))) return ExitCode.untrusted;
  if (o.strict && strictProblems({ diagnostics }) > 0) return ExitCode.strict;
  return ExitCode.ok;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv, { exists: io.exists ?? existsSync });
  } catch (e) {
    if (!isUsageError(e)) throw e;
    io.stderr.write(`${PROG}: ${sanitizeInline(e.message)}\nTry '${PROG} --help' for more information.\n`);
    return e.exitCode;
  }
  if (parsed.kind === 'help') { io.stdout.write(helpText()); return ExitCode.ok; }
  if (parsed.kind === 'version') { io.stdout.write(`${PROG} ${toolVersion()}\n`); return ExitCode.ok; }
  try {
    return await run(parsed.options, io);
  } catch (e) {
    if (isUsageError(e)) {
      io.stderr.write(`${PROG}: ${sanitizeInline(e.message)}\n`);
      return e.exitCode;
    }
    const msg = e instanceof Error ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}` : String(e);
    io.stderr.write(`${PROG}: internal error: ${sanitizeInline(msg)}\n`);
    if (io.env.TLS_EXTRACT_DEBUG) io.stderr.write(`${sanitizeBlock(e instanceof Error && e.stack ? e.stack : msg).join('\n')}\n`);
    else io.stderr.write(`${PROG}: this is a bug; run again with TLS_EXTRACT_DEBUG=1 for the stack trace and report it\n`);
    return ExitCode.internal;
  }
}
