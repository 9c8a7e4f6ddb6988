/**
 * Shared state of one correlation run: connection indexes (by server IP, by checked name, by
 * client endpoint), the clock offset, the event → connection attachments, and per-connection
 * "claims" that make repeated identical events (retries) map one to one onto handshakes.
 */
import type { LogEvent } from './types.js';
import type { ConnFacts } from './conn-facts.js';


function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/**
 * Candidates weighed per log event: the connections nearest in time, when more than this fall within the
 * match window (a busy server: thousands of handshakes a second). Without it, every event weighed every
 * connection of its window: 300,000 log lines against 200,000 connections took 110 s.
 */
export const MAX_CANDIDATES = 256;

export class CorrelationState {
  readonly byIp = new Map<string, ConnFacts[]>();
  /** `ip|port` → connections, sorted by start */
  readonly byIpPort = new Map<string, ConnFacts[]>();
  readonly byName = new Map<string, ConnFacts[]>();
  readonly byClient = new Map<string, ConnFacts[]>();
  readonly byId = new Map<number, ConnFacts>();
  /** event → ids of the connections it was attached to */
  readonly eventConns = new Map<LogEvent, number[]>();
  /** claim keys by connection id (ids are small dense integers: an array, not a Map lookup per candidate) */
  private readonly claims: (Set<string> | undefined)[] = [];
  private readonly refSorted = new Map<ConnFacts[], ConnFacts[]>();
  private readonly endSorted = new Map<ConnFacts[], ConnFacts[]>();
  /** events whose candidates were narrowed to the MAX_CANDIDATES nearest (reported as a limit) */
  narrowed = 0;

  constructor(
    facts: ConnFacts[],
    /** log − capture, µs */
    readonly offset: number,
    /** match window, µs */
    readonly window: number,
  ) {
    const sorted = [...facts].sort((a, b) => a.start - b.start || a.id - b.id);
    for (const f of sorted) {
      push(this.byIp, f.ip, f);
      push(this.byIpPort, `${f.ip}|${f.port}`, f);
      push(this.byName, f.checked, f);
      push(this.byClient, `${f.clientIp}|${f.clientPort}`, f);
      this.byId.set(f.id, f);
    }
  }

  /**
   * Connections of `list` (sorted by start) whose first packet is in [from, to]; at most MAX_CANDIDATES,
   * those starting nearest to t, in start order.
   */
  between(list: ConnFacts[] | undefined, from: number, to: number, t: number): ConnFacts[] {
    if (list === undefined) return [];
    const lo = lowerBound(list, from), hi = lowerBound(list, to + 1);
    if (hi - lo <= MAX_CANDIDATES) return list.slice(lo, hi);
    this.narrowed++;
    return nearest(list, lo, hi, t, (f) => f.start).sort((a, b) => a.start - b.start || a.id - b.id);
  }

  /** Connections to ip (and port, when given), sorted by start. */
  to(ip: string, port: number | null): ConnFacts[] | undefined {
    return port === null ? this.byIp.get(ip) : this.byIpPort.get(`${ip}|${port}`);
  }

  /**
   * The latest connection of `list` opened before t (and not before `from`) that satisfies
   * `ok`; looks back at most `maxSteps` connections.
   */
  static latestBefore(list: ConnFacts[] | undefined, t: number, from: number, ok: (f: ConnFacts) => boolean, maxSteps = 4096): ConnFacts | null {
    if (list === undefined) return null;
    for (let i = lowerBound(list, t) - 1, k = 0; i >= 0 && k < maxSteps && list[i].start >= from; i--, k++) if (ok(list[i])) return list[i];
    return null;
  }

  /**
   * Connections of `list` whose `field` time (ref: the failure moment; end: last handshake time)
   * lies within the window (+ extra) around t, in start order. The sorted copy is cached per list.
   */
  near(list: ConnFacts[] | undefined, field: 'ref' | 'end', t: number, extraUs = 0): ConnFacts[] {
    if (list === undefined || list.length === 0) return [];
    const cacheKey = list;
    let byField = (field === 'ref' ? this.refSorted : this.endSorted).get(cacheKey);
    if (byField === undefined) {
      byField = [...list].sort((a, b) => a[field] - b[field] || a.start - b.start || a.id - b.id);
      (field === 'ref' ? this.refSorted : this.endSorted).set(cacheKey, byField);
    }
    const reach = this.window + extraUs;
    const key = (f: ConnFacts): number => f[field];
    const lo = lowerBoundBy(byField, t - reach, key), hi = lowerBoundBy(byField, t + reach + 1, key);
    let out: ConnFacts[];
    if (hi - lo <= MAX_CANDIDATES) out = byField.slice(lo, hi);
    else {
      this.narrowed++;
      out = nearest(byField, lo, hi, t, key);
    }
    return out.sort((a, b) => a.start - b.start || a.id - b.id);
  }

  /** Start of the event's time interval on the capture clock, or null. */
  t(e: LogEvent): number | null {
    return e.timeMicros === null ? null : e.timeMicros - this.offset;
  }

  /** Distance (µs) from capture time x to the event's interval [t, t + precision]. */
  dist(e: LogEvent, x: number): number {
    const t = this.t(e);
    if (t === null) return Infinity;
    const hi = t + (e.timePrecisionMs ?? 0) * 1000;
    return x < t ? t - x : x > hi ? x - hi : 0;
  }

  attach(e: LogEvent, f: ConnFacts): void {
    const ids = this.eventConns.get(e);
    if (ids === undefined) this.eventConns.set(e, [f.id]);
    else if (!ids.includes(f.id)) ids.push(f.id);
  }

  isMatched(e: LogEvent): boolean {
    return this.eventConns.has(e);
  }

  claimed(f: ConnFacts, key: string): boolean {
    const s = this.claims[f.id];
    return s !== undefined && s.has(key);
  }

  claim(f: ConnFacts, key: string): void {
    let s = this.claims[f.id];
    if (s === undefined) {
      s = new Set();
      this.claims[f.id] = s;
    }
    s.add(key);
  }
}

/** The MAX_CANDIDATES entries of sorted[lo, hi) (sorted by `key`) whose key is nearest to t; ties: the earlier. */
function nearest(sorted: ConnFacts[], lo: number, hi: number, t: number, key: (f: ConnFacts) => number): ConnFacts[] {
  const p = Math.min(hi, Math.max(lo, lowerBoundBy(sorted, t, key)));
  const out: ConnFacts[] = [];
  let i = p - 1, j = p;
  while (out.length < MAX_CANDIDATES && (i >= lo || j < hi)) {
    if (j >= hi || (i >= lo && t - key(sorted[i]) <= key(sorted[j]) - t)) out.push(sorted[i--]);
    else out.push(sorted[j++]);
  }
  return out;
}

/** Lexicographic comparison of numeric sort keys. */
export function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The candidate with the smallest key, or null. */
export function pickBest<T>(cands: T[], key: (c: T) => number[]): T | null {
  let best: T | null = null;
  let bestKey: number[] = [];
  for (const c of cands) {
    const k = key(c);
    if (best === null || compareKeys(k, bestKey) < 0) {
      best = c;
      bestKey = k;
    }
  }
  return best;
}

/** Index of the first element whose key is ≥ x (array sorted by key). */
export function lowerBoundBy<T>(arr: T[], x: number, key: (v: T) => number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(arr[mid]) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first connection with start ≥ t (list sorted by start). */
export function lowerBound(list: ConnFacts[], t: number): number {
  return lowerBoundBy(list, t, (f) => f.start);
}
