/**
 * correlate: attach log events to the TLS connections they describe.
 * 1. Estimate a constant log-vs-capture clock offset (correlate-offset.ts), report and apply it.
 * 2. Exact 4-tuple lines; Sending Request attempts (ip:port, one to one in time order); ATS 9.2
 *    CONNECT failures (ip:port); verification warnings (ip + SNI, no port); SNI-only lines
 *    (correlate-assign.ts).
 * 3. Request-level lines (Receive Request, Request Allowed, Receive/Sending Response, HTTP error
 *    response) follow their Txn-id (or the downstream client endpoint) to the connections of that
 *    request; lines about a connection *to* the Expressway match its client endpoint.
 * Events that fit no connection (TLS 1.3 without visible handshake, capture filter, another node)
 * are returned in `unmatched`, in input order.
 */
import type { ConnectionSummary } from '../tls/summary.js';
import type { LogEvent, LogEventKind } from './types.js';
import { connFacts, normIp, type ConnFacts } from './conn-facts.js';
import { estimateOffsetMicros } from './correlate-offset.js';
import { originForm } from './mra.js';
import { CorrelationState, lowerBoundBy } from './correlate-state.js';
import {
  assignAttempts, assignConnectFailures, assignFourTuple, assignSniOnly, assignVerify, buildPortIndex, groupAttempts,
  SNI_ONLY_KINDS, txnKey, VERIFY_KINDS,
} from './correlate-assign.js';

export interface CorrelationResult {
  /** ConnectionSummary.id → its events, sorted by time (then file, line) */
  byConnection: Map<number, LogEvent[]>;
  unmatched: LogEvent[];
  /** log − capture clock offset applied (ms), null when no pair of events supported one */
  clockOffsetMs: number | null;
  /** the server name the logs give for that connection */
  nameForConnection: Map<number, string>;
  /** events weighed against only the MAX_CANDIDATES connections nearest in time (a crowded window) */
  narrowed: number;
}

export interface CorrelateOptions {
  /** ± match window around a log time (ms), default 2000 */
  windowMs?: number;
}

/** downstream request lines are tied to their Receive Request within this */
const DOWNSTREAM_US = 60 * 1_000_000;
/** a txn's lines attach to its attempts within this, at most MAX_TXN_CONNS connections */
const TXN_SPAN_US = 120 * 1_000_000;
const MAX_TXN_CONNS = 8;
/** an inbound connection carries requests for at most this long */
const INBOUND_US = 3600 * 1_000_000;
const REQUEST_LEVEL: ReadonlySet<LogEventKind> = new Set(['request_received', 'request_allowed', 'response_received', 'response_sent', 'http_error_response']);

function byTime(a: LogEvent, b: LogEvent): number {
  const ta = a.timeMicros ?? Infinity;
  const tb = b.timeMicros ?? Infinity;
  if (ta !== tb) return ta < tb ? -1 : 1;
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line;
}

export function correlate(connections: ConnectionSummary[], events: LogEvent[], opts: CorrelateOptions = {}): CorrelationResult {
  // no log given: nothing to place (and no per-connection index to build, 20 MB on a 4 GB capture)
  if (events.length === 0) return { byConnection: new Map(), unmatched: [], clockOffsetMs: null, nameForConnection: new Map(), narrowed: 0 };
  const windowUs = Math.max(0, opts.windowMs ?? 2000) * 1000;
  const facts = connections.map(connFacts);
  const probe = new CorrelationState(facts, 0, windowUs);
  const offset = estimateOffsetMicros(probe, events);
  const st = new CorrelationState(facts, offset ?? 0, windowUs);
  const sorted = [...events].sort(byTime);
  const of = (pred: (e: LogEvent) => boolean): LogEvent[] => sorted.filter(pred);

  assignFourTuple(st, of((e) => e.kind === 'tcp_closed' || e.kind === 'other'));
  const sent = of((e) => e.kind === 'request_sent');
  const attempts = groupAttempts(st, sent);
  const attemptConn = assignAttempts(st, attempts);
  const connects = of((e) => e.kind === 'connect_attempt_failed');
  assignConnectFailures(st, connects);
  const verify = of((e) => VERIFY_KINDS.has(e.kind));
  assignVerify(st, verify, buildPortIndex(st, [...sent, ...connects]));
  assignSniOnly(st, of((e) => SNI_ONLY_KINDS.has(e.kind)), verify);
  assignRequestLevel(st, sorted, attempts, attemptConn);

  return finish(st, events, facts, offset);
}

/** Txn-id → connections of its attempts; request-level lines follow. */
function assignRequestLevel(st: CorrelationState, sorted: LogEvent[], attempts: ReturnType<typeof groupAttempts>, attemptConn: Map<unknown, ConnFacts>): void {
  // attempts per txn in time order (a Txn-id may be reused after a restart or wrap: time-bounded)
  const txnAttempts = new Map<string, { t: number; f: ConnFacts }[]>();
  for (const a of attempts) {
    const f = attemptConn.get(a);
    if (a.txn === null || f === undefined) continue;
    const l = txnAttempts.get(a.txn);
    if (l) l.push({ t: a.t, f });
    else txnAttempts.set(a.txn, [{ t: a.t, f }]);
  }
  // downstream client endpoint (Receive Request Src-ip/Src-port) → txn, for lines without Txn-id
  const downstream = new Map<string, { t: number; txn: string }[]>();
  for (const e of sorted) {
    const k = txnKey(e);
    if (e.kind !== 'request_received' || k === null || e.srcIp === null || e.srcPort === null || e.timeMicros === null) continue;
    const dk = `${e.file}|${normIp(e.srcIp)}|${e.srcPort}`;
    const l = downstream.get(dk);
    if (l) l.push({ t: e.timeMicros, txn: k });
    else downstream.set(dk, [{ t: e.timeMicros, txn: k }]);
  }
  const sentByPath = indexSentByPath(sorted);
  for (const e of sorted) {
    inbound(st, e);
    if (st.isMatched(e) && !REQUEST_LEVEL.has(e.kind)) continue;
    if (!REQUEST_LEVEL.has(e.kind) && (e.txnId === null || e.kind === 'request_sent')) continue;
    let txn = txnKey(e);
    if (txn === null && e.srcIp !== null && e.srcPort !== null && e.timeMicros !== null) {
      const l = downstream.get(`${e.file}|${normIp(e.srcIp)}|${e.srcPort}`) ?? [];
      const i = lowerBoundBy(l, e.timeMicros + 1, (d) => d.t) - 1;
      txn = i >= 0 && e.timeMicros - l[i].t <= DOWNSTREAM_US ? l[i].txn : null;
    }
    if (txn === null && e.kind === 'request_allowed') txn = allowedTxn(e, sentByPath);
    const conns = txn === null ? [] : txnConnsAt(txnAttempts.get(txn), st.t(e));
    if (conns.length === 0) {
      if (e.kind === 'response_received') responseFallback(st, e);
      continue;
    }
    if (e.kind === 'response_received' && e.serverPort !== null) {
      const same = conns.filter((f) => f.port === e.serverPort);
      for (const f of same.length > 0 ? same.slice(-1) : conns) st.attach(e, f);
      continue;
    }
    for (const f of conns) st.attach(e, f);
  }
}

/** Distinct connections of a txn's attempts near time t (at most MAX_TXN_CONNS), in time order. */
function txnConnsAt(list: { t: number; f: ConnFacts }[] | undefined, t: number | null): ConnFacts[] {
  if (list === undefined) return [];
  let near = list;
  if (t === null) {
    if (list.length > MAX_TXN_CONNS) return [];
  } else {
    const i = lowerBoundBy(list, t, (a) => a.t);
    near = list.slice(Math.max(0, i - 2 * MAX_TXN_CONNS), i + 2 * MAX_TXN_CONNS).filter((a) => Math.abs(a.t - t) <= TXN_SPAN_US);
    // the attempts closest in time when a Txn-id repeats
    if (near.length > MAX_TXN_CONNS) near = [...near].sort((a, b) => Math.abs(a.t - t) - Math.abs(b.t - t)).slice(0, MAX_TXN_CONNS).sort((a, b) => a.t - b.t);
  }
  const out: ConnFacts[] = [];
  for (const a of near) if (!out.includes(a.f)) out.push(a.f);
  return out;
}

/** A connection *to* the Expressway whose client endpoint is the line's Src-ip/Src-port. */
function inbound(st: CorrelationState, e: LogEvent): void {
  if (e.srcIp === null || e.srcPort === null || e.serverIp !== null) return;
  const t = st.t(e) ?? Infinity;
  const f = CorrelationState.latestBefore(st.byClient.get(`${normIp(e.srcIp)}|${e.srcPort}`), t + st.window, t - INBOUND_US, () => true);
  if (f !== null) st.attach(e, f);
}

/** Sending Request lines by file and origin-form path, sorted by time. */
function indexSentByPath(sorted: LogEvent[]): Map<string, LogEvent[]> {
  const idx = new Map<string, LogEvent[]>();
  for (const s of sorted) {
    if (s.kind !== 'request_sent' || s.timeMicros === null || s.url === null) continue;
    const k = `${s.file}\u0000${s.url}`;
    const l = idx.get(k);
    if (l) l.push(s);
    else idx.set(k, [s]);
  }
  return idx;
}

/** Request Allowed carries no Txn-id: the Sending Request with the same path within a second. */
function allowedTxn(e: LogEvent, sentByPath: Map<string, LogEvent[]>): string | null {
  if (e.url === null || e.timeMicros === null) return null;
  const path = originForm(e.url) || '/';
  const l = sentByPath.get(`${e.file}\u0000${path}`) ?? [];
  const i = lowerBoundBy(l, e.timeMicros - 1_000_000, (s) => s.timeMicros ?? 0);
  return i < l.length && (l[i].timeMicros ?? 0) <= e.timeMicros + 1_000_000 ? txnKey(l[i]) : null;
}

/** Receive Response without a known txn: the latest connection to ip:port opened before it. */
function responseFallback(st: CorrelationState, e: LogEvent): void {
  const t = st.t(e);
  if (e.serverIp === null || t === null) return;
  const f = CorrelationState.latestBefore(st.to(normIp(e.serverIp), e.serverPort), t + st.window, t - 600_000_000, () => true);
  if (f !== null) st.attach(e, f);
}

const NAME_PRIORITY: Partial<Record<LogEventKind, number>> = {
  verify_failed: 1, sni_mismatch: 1, origin_hostname_mismatch: 1, ssl_connect_failed: 1, hostname_verify_failed_legacy: 1,
  server_verify_failed_legacy: 1, plugin_verify_failed: 1, connect_attempt_failed: 3, request_sent: 4, request_allowed: 4, request_received: 5,
};

/** Name a log line gives for its connection, with its priority (lower wins). */
function nameFrom(e: LogEvent): [number, string] | null {
  const p = NAME_PRIORITY[e.kind];
  if (p === undefined) return null;
  if (p === 1) {
    if (e.sni) return [1, e.sni];
    if (e.serverName) return [2, e.serverName];
    return null;
  }
  if (p === 5) return e.mra ? [5, e.mra.host] : null;
  return e.serverName ? [p, e.serverName] : null;
}

function finish(st: CorrelationState, events: LogEvent[], facts: ConnFacts[], offset: number | null): CorrelationResult {
  const byConnection = new Map<number, LogEvent[]>();
  const unmatched: LogEvent[] = [];
  for (const e of events) {
    const ids = st.eventConns.get(e);
    if (ids === undefined) {
      unmatched.push(e);
      continue;
    }
    for (const id of ids) {
      const l = byConnection.get(id);
      if (l) l.push(e);
      else byConnection.set(id, [e]);
    }
  }
  const nameForConnection = new Map<number, string>();
  for (const f of facts) {
    const l = byConnection.get(f.id);
    if (l === undefined) continue;
    l.sort(byTime);
    let best: [number, string] | null = null;
    for (const e of l) {
      const n = nameFrom(e);
      if (n !== null && (best === null || n[0] < best[0])) best = n;
    }
    if (best !== null) nameForConnection.set(f.id, best[1].trim());
  }
  return { byConnection, unmatched, clockOffsetMs: offset === null ? null : offset / 1000, nameForConnection, narrowed: st.narrowed };
}
