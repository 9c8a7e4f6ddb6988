/**
 * Server-side assignment of log events to handshakes (expressway-reference.md §0 fact 5, §7.4):
 * - `Sending Request` (Dst-ip/Dst-port) → the connection to ip:port opened at that moment, one to
 *   one in time order (an INFO and a DEBUG copy of the same line count as one attempt); else a
 *   kept-alive connection opened before it;
 * - `CONNECT: attempt fail … to ip:port` (1 s resolution) → a failed handshake to ip:port, one to one;
 * - verification warnings (ip, SNI, no port) → exactly one handshake to that IP whose checked name
 *   matches, preferring the port of the Sending Request / CONNECT lines of the same moment and a
 *   handshake that ended in the client's fatal alert (Action=Terminate);
 * - SNI-only lines (`SSL connection failed for '…'`, plugin, 8.0.0 legacy) → the handshake of the
 *   warning logged with them, else by name and time.
 */
import type { LogEvent } from './types.js';
import { normIp, normName, type ConnFacts } from './conn-facts.js';
import { lowerBoundBy, pickBest, CorrelationState } from './correlate-state.js';

export const VERIFY_KINDS = new Set(['verify_failed', 'sni_mismatch', 'origin_hostname_mismatch']);
export const SNI_ONLY_KINDS = new Set(['ssl_connect_failed', 'plugin_verify_failed', 'hostname_verify_failed_legacy', 'server_verify_failed_legacy']);
/** a Sending Request may precede the SYN by this much after clock correction */
const SENT_SLACK_US = 250_000;
/** INFO and DEBUG copies of one Sending Request are logged within this */
const DUPLICATE_US = 5_000;
/** a kept-alive connection is reused at most this long after it opened */
const REUSE_US = 600 * 1_000_000;
/** an SSL-failed line belongs to the warning logged within this */
const PARTNER_US = 100_000;

export interface Attempt { t: number; ip: string; port: number | null; events: LogEvent[]; levels: Set<string>; txn: string | null }

export function txnKey(e: LogEvent): string | null {
  return e.txnId === null ? null : `${e.file}\u0000${e.pid ?? ''}\u0000${e.txnId}`;
}

/** Group Sending Request lines into connect attempts (INFO+DEBUG duplicates merged). */
export function groupAttempts(st: CorrelationState, sent: LogEvent[]): Attempt[] {
  const out: Attempt[] = [];
  const lastByTxn = new Map<string, Attempt>();
  for (const e of sent) {
    const t = st.t(e);
    if (t === null || e.serverIp === null) continue;
    const key = txnKey(e);
    const ip = normIp(e.serverIp);
    const last = key === null ? undefined : lastByTxn.get(key);
    const lvl = e.level ?? '';
    if (last && last.ip === ip && last.port === e.serverPort && t - last.t <= DUPLICATE_US && !last.levels.has(lvl)) {
      last.events.push(e);
      last.levels.add(lvl);
      continue;
    }
    const a: Attempt = { t, ip, port: e.serverPort, events: [e], levels: new Set([lvl]), txn: key };
    out.push(a);
    if (key !== null) lastByTxn.set(key, a);
  }
  return out;
}

/** Assign attempts; returns attempt → connection for the txn grouping. */
export function assignAttempts(st: CorrelationState, attempts: Attempt[]): Map<Attempt, ConnFacts> {
  const res = new Map<Attempt, ConnFacts>();
  for (const a of attempts) {
    const list = st.to(a.ip, a.port);
    const fresh = st.between(list, a.t - SENT_SLACK_US, a.t + st.window, a.t).filter((f) => !st.claimed(f, 'request_sent'));
    let f = pickBest(fresh, (c) => [Math.abs(c.start - a.t), c.start]);
    if (f !== null) st.claim(f, 'request_sent');
    // keep-alive reuse: the latest connection opened before, whose handshake did not fail
    else f = CorrelationState.latestBefore(list, a.t, a.t - REUSE_US, (c) => !c.clientAlert && !c.serverAlert);
    if (f === null) continue;
    for (const e of a.events) st.attach(e, f);
    res.set(a, f);
  }
  return res;
}

interface PortMark { t: number; port: number }
export type PortIndex = Map<string, PortMark[]>;

/** Sending Request / CONNECT lines with a port, by server IP, sorted by (interval-centre) time. */
export function buildPortIndex(st: CorrelationState, portEvents: LogEvent[]): PortIndex {
  const idx: PortIndex = new Map();
  for (const p of portEvents) {
    const tp = st.t(p);
    if (p.serverPort === null || p.serverIp === null || tp === null) continue;
    const ip = normIp(p.serverIp);
    const mark = { t: tp + (p.timePrecisionMs ?? 0) * 500, port: p.serverPort };
    const l = idx.get(ip);
    if (l) l.push(mark);
    else idx.set(ip, [mark]);
  }
  for (const l of idx.values()) l.sort((a, b) => a.t - b.t);
  return idx;
}

/** Ports of Sending Request / CONNECT lines to `ip` within the window around event `e`. */
function portHints(st: CorrelationState, idx: PortIndex, ip: string, e: LogEvent): Set<number> {
  const out = new Set<number>();
  const t = st.t(e);
  const l = idx.get(ip);
  if (t === null || l === undefined) return out;
  const reach = st.window + 1_000_000;
  for (let i = lowerBoundBy(l, t - reach, (m) => m.t); i < l.length && l[i].t <= t + reach; i++) {
    if (st.dist(e, l[i].t) <= st.window + 500_000) out.add(l[i].port);
  }
  return out;
}

export function assignConnectFailures(st: CorrelationState, events: LogEvent[]): void {
  for (const e of events) {
    if (e.serverIp === null) continue;
    const key = 'connect_attempt_failed';
    const t = st.t(e);
    if (t === null) continue;
    const cands = st.near(st.to(normIp(e.serverIp), e.serverPort), 'end', t, (e.timePrecisionMs ?? 0) * 1000).filter(
      (f) => !st.claimed(f, key) && st.dist(e, f.end) <= st.window,
    );
    const f = pickBest(cands, (c) => [c.clientAlert || c.serverAlert ? 0 : 1, st.dist(e, c.end), c.start]);
    if (f === null) continue;
    st.claim(f, key);
    st.attach(e, f);
  }
}

function expectsClientAlert(e: LogEvent): boolean {
  return e.action === null || /^terminate$/i.test(e.action);
}

export function assignVerify(st: CorrelationState, events: LogEvent[], ports: PortIndex): void {
  for (const e of events) {
    const t = st.t(e);
    if (e.serverIp === null || t === null) continue;
    const ip = normIp(e.serverIp);
    const name = e.sni !== null ? normName(e.sni) : null;
    const key = `${e.kind}:${e.depth ?? ''}`;
    const cands = st.near(st.byIp.get(ip), 'ref', t).filter(
      (f) => !st.claimed(f, key) && (name === null || !f.hasHello || f.checked === name) && st.dist(e, f.ref) <= st.window,
    );
    const hints = portHints(st, ports, ip, e);
    const alert = expectsClientAlert(e);
    const f = pickBest(cands, (c) => [
      c.hasHello ? 0 : 1,
      hints.size > 0 && !hints.has(c.port) ? 1 : 0,
      alert && !c.clientAlert ? 1 : 0,
      st.dist(e, c.ref),
      c.start,
    ]);
    if (f === null) continue;
    st.claim(f, key);
    st.attach(e, f);
  }
}

/** The name an SNI-only line refers to. */
function nameOf(e: LogEvent): string | null {
  const n = e.sni ?? e.serverName;
  return n === null || n === '' ? null : normName(n);
}

export function assignSniOnly(st: CorrelationState, events: LogEvent[], verifyEvents: LogEvent[]): void {
  // matched warnings by checked name, sorted by time
  const byName = new Map<string, LogEvent[]>();
  for (const v of verifyEvents) {
    if (v.sni === null || st.t(v) === null || !st.isMatched(v)) continue;
    const n = normName(v.sni);
    const l = byName.get(n);
    if (l) l.push(v);
    else byName.set(n, [v]);
  }
  for (const l of byName.values()) l.sort((a, b) => (st.t(a) ?? 0) - (st.t(b) ?? 0));
  for (const e of events) {
    const name = nameOf(e);
    const t = st.t(e);
    if (name === null || t === null) continue;
    const key = e.kind;
    // 1. the handshake of a warning for the same name logged at the same moment
    const vl = byName.get(name) ?? [];
    const partners: LogEvent[] = [];
    for (let i = lowerBoundBy(vl, t - PARTNER_US, (v) => st.t(v) ?? 0); i < vl.length && (st.t(vl[i]) ?? 0) <= t + PARTNER_US; i++) partners.push(vl[i]);
    const partner = pickBest(
      partners.filter((v) => (st.eventConns.get(v) ?? []).some((id) => !st.claimed(st.byId.get(id)!, key))),
      (v) => [(st.t(v) ?? 0) > t ? 1 : 0, Math.abs((st.t(v) ?? 0) - t)],
    );
    if (partner !== null) {
      const f = (st.eventConns.get(partner) ?? []).map((id) => st.byId.get(id)!).find((c) => !st.claimed(c, key))!;
      st.claim(f, key);
      st.attach(e, f);
      continue;
    }
    // 2. by checked name and time
    const peerAlert = e.error !== null && /alert/i.test(e.error);
    const cands = st.near(st.byName.get(name), 'ref', t).filter((f) => !st.claimed(f, key) && st.dist(e, f.ref) <= st.window);
    const f = pickBest(cands, (c) => [
      (peerAlert ? !c.serverAlert : !(c.clientAlert || c.serverAlert)) ? 1 : 0,
      st.dist(e, c.ref),
      c.start,
    ]);
    if (f === null) continue;
    st.claim(f, key);
    st.attach(e, f);
  }
}

/** Exact 4-tuple lines (tvcs `TCP Connection Closed`, TLS negotiation errors). */
export function assignFourTuple(st: CorrelationState, events: LogEvent[]): void {
  for (const e of events) {
    if (e.srcIp === null || e.srcPort === null || e.serverIp === null || e.serverPort === null) continue;
    const t = st.t(e);
    const list = st.byClient.get(`${normIp(e.srcIp)}|${e.srcPort}`) ?? [];
    const ip = normIp(e.serverIp);
    const cands = list.filter((f) => f.ip === ip && f.port === e.serverPort && (t === null || f.start <= t + st.window));
    if (cands.length > 0) st.attach(e, cands[cands.length - 1]);
  }
}
