/**
 * The pipeline: inputs → packet pass (capture → decode → tcp → tls, synchronous per packet) →
 * certificate analysis (once per distinct certificate) → validation → log correlation → findings →
 * Report. The library never prints; unusable input throws UsageError with an exit code.
 */
import { stat } from 'node:fs/promises';
import type { Limits } from './options.js';
import { resolveLimits } from './options.js';
import { Diagnostics } from './diagnostics/diagnostics.js';
import { UsageError, ExitCode } from './errors.js';
import type { Report, CaptureInfo, ConnectionOut, LogEventOut } from './report/model.js';
import { ConnectionStream, Deferred, materializeReport, type StreamedReport } from './report/streamed.js';
import { SCHEMA_VERSION } from './report/model.js';
import type { CertEntry, ConnectionSummary } from './tls/summary.js';
import { CertStore } from './x509/cert-store.js';
import { analyzeCertificate, type ParsedCert } from './x509/analyze.js';
import { loadTrustStore, trustStoreFromTexts, type TrustStore } from './trust/trust-store.js';
import { hasCertificateArmour } from './trust/cert-container.js';
import { DEFAULT_SECURITY_LEVEL } from './trust/security-level.js';
import { ValidationCache } from './trust/validation-cache.js';
import { buildFindings, FindingsViews } from './report/findings.js';
import { correlate } from './logs/correlate.js';
import { MAX_CANDIDATES } from './logs/correlate-state.js';
import type { parseLog as ParseLog } from './logs/parse-log.js';
import type { LogEvent, ParsedLog } from './logs/types.js';
import { resolveInputs } from './input/resolve-inputs.js';
import { buildConnectionOut, handshakeMicros } from './report/build-connection.js';
import { isoFromMicros } from './report/time.js';
import { LogDisagreements } from './report/log-agreement.js';
import { toolVersion } from './version.js';
import { PacketPass } from './packet-pass.js';
import { hashFile } from './input/hash.js';
import { pushAll } from './util/arrays.js';

/*
 * Log parsing and archive reading are loaded on first use: a run on a plain capture (the common case,
 * and every benchmark) does not pay for compiling the tar/zip readers and the log grammars.
 */
let parseLogModule: Promise<typeof import('./logs/parse-log.js')> | null = null;
const parseLog: typeof ParseLog = async (...args) => (await (parseLogModule ??= import('./logs/parse-log.js'))).parseLog(...args);
let archiveModule: Promise<typeof import('./input/archive.js')> | null = null;
async function* readArchive(...args: Parameters<typeof import('./input/archive.js').readArchive>): ReturnType<typeof import('./input/archive.js').readArchive> {
  yield* (await (archiveModule ??= import('./input/archive.js'))).readArchive(...args);
}

/** Log events with no connection listed in the report (the rest are counted in a diagnostic). */
const MAX_UNMATCHED_REPORTED = 5000;

export interface AnalyzeOptions {
  /** trust store files or folders (PEM bundles, DER, PKCS#7); default: a bundle's ca_*.pem */
  truststores?: string[];
  /** log files (Expressway loggingsnapshot, Traffic Server diags.log / error.log) */
  logs?: string[];
  /** the name to check instead of SNI / log name / server IP */
  name?: string;
  /**
   * OpenSSL security level of the Expressway-C's verification, 0-5 (default 2, OpenSSL 3's): keys and
   * signature digests below it fail (weak_key, weak_digest); 1 allows 1024-bit RSA, 0 checks nothing
   */
  securityLevel?: number;
  /** time zone of Traffic Server's local timestamps (`+02:00` or an IANA name) */
  logTz?: string;
  /** correlation window, ms (default 2000) */
  windowMs?: number;
  limits?: Partial<Limits>;
  /** "now" for the valid-now check (default: the time of the run) */
  now?: Date;
  /** compute the SHA-256 of every input file (the Markdown report shows them); one extra read */
  hashInputs?: boolean;
  onProgress?: (p: { bytesRead: number; totalBytes: number | null }) => void;
}

export interface AnalysisResult {
  report: Report;
  /** parsed certificates by SHA-256 (captured + trust store) */
  certificates: Map<string, ParsedCert>;
  truststore: TrustStore | null;
  diagnostics: Diagnostics;
}

/** `analyzeStream()`'s result: the report's connections are built as they are read (report/streamed.ts). */
export interface StreamedAnalysisResult extends Omit<AnalysisResult, 'report'> {
  report: StreamedReport;
}

interface Collected {
  logs: ParsedLog[];
  caTexts: { name: string; data: Uint8Array }[];
  serverCerts: { name: string; data: Uint8Array }[];
  inputs: { path: string; sha256: string | null; kind: string }[];
}

/** Analyse captures, logs and trust stores: the whole Report, every connection built and kept. */
export async function analyze(inputs: string[], options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const r = await analyzeStream(inputs, options);
  return { ...r, report: materializeReport(r.report) };
}

/**
 * `analyze()` with the report's connections built one at a time as they are read: memory does not grow
 * with the number of connections beyond a slim view of each (what findings need). Read `connections`
 * through before `findings` and `diagnostics` (the JSON writer and JSON.stringify do, in key order).
 */
export async function analyzeStream(inputs: string[], options: AnalyzeOptions = {}): Promise<StreamedAnalysisResult> {
  if (inputs.length === 0) throw new UsageError('no input given (a capture, a diagnostic bundle or a folder)', ExitCode.usage);
  const limits = resolveLimits(options.limits);
  const diag = new Diagnostics();
  const certStore = new CertStore(limits, diag);
  const nowMs = (options.now ?? new Date()).getTime();

  // Trust store given explicitly: load first, so a bad path fails before a long packet pass.
  let store: TrustStore | null = options.truststores && options.truststores.length > 0 ? await loadTrustStore(options.truststores) : null;
  for (const p of options.logs ?? []) await assertReadable(p);

  const resolved = await resolveInputs(inputs);
  const totalBytes = await totalSize(resolved.map((r) => r.path));
  const pass = new PacketPass({ limits, diag, certs: certStore, totalBytes, onProgress: options.onProgress });
  const collected: Collected = { logs: [], caTexts: [], serverCerts: [], inputs: [] };
  const logOpts = (name: string) => ({ name, limits, diag, tz: options.logTz, yearHint: pass.yearHint() });

  const diskCaptures = resolved.filter((r) => r.kind === 'capture').map((r) => r.path);
  if (diskCaptures.length > 0) await pass.runFiles(diskCaptures);
  for (const r of resolved) {
    if (r.kind === 'archive' || r.kind === 'folder') {
      const seriesSeen = new Map<string, number>();
      for await (const m of readArchive(r.path, { limits, diag })) {
        const memberPath = r.kind === 'folder' ? m.name : `${r.path}!${m.name}`;
        if (m.role === 'capture') {
          checkSeriesOrder(seriesSeen, m.name, diag);
          if (m.file !== undefined) await pass.runFileMember(memberPath, m.file);
          else await pass.runStream(memberPath, m.stream, m.size);
        }
        else if (m.role === 'log') collected.logs.push(await parseLog(m.stream, logOpts(memberPath)));
        else if (m.role === 'truststore') collected.caTexts.push({ name: memberPath, data: await slurp(m.stream, limits.maxMemberBytes) });
        else if (m.role === 'server_cert' || m.role === 'client_cert') collected.serverCerts.push({ name: memberPath, data: await slurp(m.stream, limits.maxMemberBytes) });
        else await drain(m.stream);
      }
    } else if (r.kind === 'log') {
      collected.logs.push(await parseLog(r.path, logOpts(r.path)));
    } else if (r.kind === 'pem') {
      // a loose PEM among the inputs: treat as trust store material unless one was given
      const { readFile } = await import('node:fs/promises');
      collected.caTexts.push({ name: r.path, data: await readFile(r.path) });
    }
  }
  if (pass.captures.length === 0) {
    // only loose files that are not captures (a text file, a PEM): "not a capture" (4), with the option
    // that file belongs to; a bundle or folder without captures stays "no capture found" (3)
    if (resolved.length > 0 && resolved.every((r) => r.kind === 'log' || r.kind === 'pem')) {
      const r = resolved[0];
      const hint = r.kind === 'pem' || (await holdsPem(r.path)) ? 'it holds certificates: give it with --truststore' : 'it reads as text or a log: give a log with --log next to a capture';
      throw new UsageError(`${r.path}: not a capture (pcap, pcapng or gzip of one); ${hint}`, ExitCode.notCapture);
    }
    throw new UsageError(`no capture found in ${inputs.join(', ')}`, ExitCode.inputMissing);
  }
  for (const p of options.logs ?? []) collected.logs.push(await parseLog(p, logOpts(p)));
  if (store === null && collected.caTexts.length > 0) store = trustStoreFromTexts(collected.caTexts);

  const connections = pass.finish();

  // Certificate analysis: once per distinct certificate.
  const certificates = new Map<string, ParsedCert>();
  for (const [sha, e] of certStore.entries()) {
    try {
      certificates.set(sha, analyzeCertificate(e.der, e.complete, sha));
    } catch (err) {
      diag.internal('x509', err);
    }
  }
  if (store) for (const c of store.certs) if (!certificates.has(c.sha256)) certificates.set(c.sha256, c);

  // Logs ↔ connections.
  const events: LogEvent[] = collected.logs.flatMap((l) => l.events);
  const corr = correlate(events.length === 0 ? [] : connections.toArray(), events, { windowMs: options.windowMs });
  if (corr.narrowed > 0) {
    diag.add('limit.correlation_candidates', 'limit', { detail: `${corr.narrowed} log events were weighed against only the ${MAX_CANDIDATES} connections nearest in time (more fell within the match window)` }, corr.narrowed);
  }

  const securityLevel = options.securityLevel ?? DEFAULT_SECURITY_LEVEL;
  const validations = new ValidationCache(store, securityLevel);
  if (corr.unmatched.length > MAX_UNMATCHED_REPORTED) {
    diag.add('limit.unmatched_log_events', 'limit', { detail: `${corr.unmatched.length} log events matched no connection; the report lists the first ${MAX_UNMATCHED_REPORTED}` }, corr.unmatched.length - MAX_UNMATCHED_REPORTED);
  }
  // the parsed chain of each distinct certificate list (lists are interned: thousands of connections share one)
  const presentedOf = new WeakMap<readonly CertEntry[], ParsedCert[]>();
  function connectionOut(c: ConnectionSummary): ConnectionOut {
    const logName = corr.nameForConnection.get(c.id) ?? null;
    const [checkedName, source] = chooseName(options.name, c, logName);
    let presented = presentedOf.get(c.serverCertificates);
    if (presented === undefined) {
      presented = c.serverCertificates.map((e) => certificates.get(e.sha256)).filter((p): p is ParsedCert => p !== undefined);
      presentedOf.set(c.serverCertificates, presented);
    }
    const hs = handshakeMicros(c);
    let validation;
    try {
      validation = validations.validate({
        presented,
        store,
        atMs: hs === null ? c.startMicros / 1000 : hs / 1000,
        nowMs,
        checkedName,
        checkedNameSource: source,
        tls13: c.tls13,
        securityLevel,
        visible: c.serverCertificates.length > 0 && !c.tls13 && presented.length === c.serverCertificates.length,
      });
    } catch (err) {
      diag.internal('validate', err, { flow: c.id });
      validation = { status: 'not_checked' as const, checked_name: checkedName, errors: [], chain: [], anchor: null };
    }
    const matched = corr.byConnection.get(c.id);
    const evs = matched === undefined ? [] : matched.map(logEventOut);
    return buildConnectionOut(c, pass.captures[c.fileIndex]?.path ?? '', certificates, validation, evs);
  }

  // Connections are built from their compact records (tls/summary-store.ts) one at a time, as the report
  // is read: findings keep a slim view of each (report/findings.ts FindingsViews), the rest is dropped.
  const ownCertificates = expresswayCertificates(collected.serverCerts);
  const views = new FindingsViews();
  const disagreements = new LogDisagreements();
  const stream = new ConnectionStream(connections.length, function* () {
    for (let i = 0; i < connections.length; i++) {
      const c = connectionOut(connections.get(i));
      if (ownCertificates !== null) markExpresswayCertificate(c, ownCertificates);
      views.add(c, i);
      disagreements.add(c, i);
      yield c;
    }
    connections.clear(); // the records are not needed any more (the pass object lives on in the report's captures)
  });
  const unmatched = corr.unmatched;
  /** a part of the report computed from every connection: readable once they have all been read */
  const afterConnections = <T>(what: string, compute: () => T): Deferred<T> => new Deferred(() => {
    if (!stream.done) throw new Error(`${what} read before the connections of the streamed report`);
    return compute();
  });
  const findings = afterConnections('findings', () => {
    const rows = buildFindings({
      connections: views.connections, ids: views.ids, certificates, store,
      logEvents: unmatched.map((e) => ({
        ...logEventOut(e), server: e.serverName ?? e.sni ?? null, ip: e.serverIp, port: e.serverPort, sni: e.sni, error: e.error, depth: e.depth,
      })),
    });
    pushAll(rows, disagreements.findings());
    return rows;
  });
  const diagnostics = afterConnections('diagnostics', () => diag.list().map((e) => ({ key: e.key, severity: e.severity, count: e.count, samples: e.samples })));

  if (options.hashInputs) {
    for (const r of resolved) collected.inputs.push({ path: r.path, sha256: await hashFile(r.path), kind: r.kind });
    for (const p of options.truststores ?? []) collected.inputs.push({ path: p, sha256: await hashFile(p), kind: 'truststore' });
    for (const p of options.logs ?? []) collected.inputs.push({ path: p, sha256: await hashFile(p), kind: 'log' });
  }

  // (the keys in the order of the JSON contract: connections before what is computed from them)
  const report: StreamedReport = {
    tool: 'tls-extract',
    schema_version: SCHEMA_VERSION,
    version: toolVersion(),
    captures: pass.captures.map((c): CaptureInfo => c),
    truststore: store === null ? null : {
      paths: store.paths,
      certificates: store.certs.map((c) => ({ sha256: c.sha256, subject: c.facts.subject, subject_cn: c.facts.subject_cn, not_after: c.facts.not_after })),
      errors: store.errors,
      security_level: securityLevel,
    },
    connections: stream,
    findings,
    diagnostics,
    unmatched_log_events: unmatched.slice(0, MAX_UNMATCHED_REPORTED).map((e) => ({ ...logEventOut(e), server: e.serverName ?? e.serverIp ?? e.sni ?? null })),
    logs: collected.logs.map((l) => ({ path: l.file, lines: l.lines, events: l.events.length, skipped: l.skipped, clock_offset_ms: corr.clockOffsetMs })),
    inputs: collected.inputs,
  };
  return { report, certificates, truststore: store, diagnostics: diag };
}


/**
 * Members of an archive are read in archive order, one after the other (a tar stream cannot be read
 * out of order without buffering or extracting). tcpdump's rotated series (…tcpdump00…, …tcpdump01…)
 * must come in order for a handshake that straddles two files; say so when an archive lists them otherwise.
 */
function checkSeriesOrder(seen: Map<string, number>, name: string, diag: Diagnostics): void {
  const m = /^(.*tcpdump)(\d+)(.*)$/.exec(name);
  if (!m) return;
  const key = `${m[1]}#${m[3]}`;
  const n = Number(m[2]);
  const last = seen.get(key);
  if (last !== undefined && n < last) {
    diag.add('archive.capture_order', 'anomaly', { detail: `${name} comes after a later file of its series in the archive; connections that straddle the two files may be cut` });
  }
  seen.set(key, Math.max(n, last ?? n));
}

/**
 * A bundle's server_*.pem is the Expressway's own certificate, which Traffic Server sends as its client
 * certificate when CUCM asks for one (6971/6972, 5061): say so on the connections that carry it.
 * The certificates by SHA-256 with the file they came from; null without any.
 */
function expresswayCertificates(pems: { name: string; data: Uint8Array }[]): Map<string, string> | null {
  if (pems.length === 0) return null;
  const own = new Map<string, string>();
  for (const c of trustStoreFromTexts(pems).certs) own.set(c.sha256, pems.length === 1 ? pems[0].name : 'server_*.pem');
  return own;
}

function markExpresswayCertificate(c: ConnectionOut, own: ReadonlyMap<string, string>): void {
  const hit = c.client_certificates.find((x) => own.has(x.sha256));
  // (a new list: notes lists may be shared between connections)
  if (hit) c.notes = [...c.notes, `the client certificate ${hit.subject_cn ?? hit.sha256.slice(0, 16)} is the Expressway-C's own certificate (${own.get(hit.sha256)})`];
}

function chooseName(option: string | undefined, c: ConnectionSummary, logName: string | null): [string | null, 'option' | 'sni' | 'log' | 'ip' | null] {
  if (option) return [option, 'option'];
  const sni = c.clientHello?.sni;
  if (sni) return [sni, 'sni'];
  if (logName) return [logName, 'log'];
  return [c.server.ip, 'ip'];
}

export function logEventOut(e: LogEvent): LogEventOut {
  return { file: e.file, line: e.line, time: isoFromMicros(e.timeMicros), kind: e.kind, txn_id: e.txnId, text: e.text };
}

async function assertReadable(path: string): Promise<void> {
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new UsageError(`${path}: is a directory, expected a log file`, ExitCode.inputMissing);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code)}`, ExitCode.inputMissing);
  }
}

/** A text file with PEM armour in its first 64 KiB (an export with `subject=` lines before it, say). */
async function holdsPem(path: string): Promise<boolean> {
  try {
    const { readHead } = await import('./input/files.js');
    return hasCertificateArmour(Buffer.from(await readHead(path, 64 * 1024)).toString('latin1'));
  } catch {
    return false;
  }
}

async function totalSize(paths: string[]): Promise<number | null> {
  let n = 0;
  for (const p of paths) {
    try {
      const s = await stat(p);
      if (!s.isFile()) return null;
      n += s.size;
    } catch {
      return null;
    }
  }
  return n;
}

async function slurp(stream: AsyncIterable<Uint8Array>, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const chunk of stream) {
    if (n + chunk.length > max) continue; // keep draining, drop the excess
    parts.push(chunk);
    n += chunk.length;
  }
  return Buffer.concat(parts, n);
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const _ of stream) void _;
}
