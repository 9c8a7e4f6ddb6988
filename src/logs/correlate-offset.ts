/**
 * Constant clock offset between a log and the capture (log time − capture time), estimated from
 * pairs that can only be the same moment: a `Sending Request` to ip:port vs the SYN of a connection
 * to that ip:port, and a verification warning for (sni) at ip vs the handshake to ip whose
 * checked name is sni. The densest cluster of pair deltas wins (ties: the smaller offset); the
 * offset is the median of that cluster. Large offsets (time-zone mistakes, another host's clock)
 * are accepted only with at least two distinct events agreeing.
 */
import type { LogEvent } from './types.js';
import { normIp, normName, type ConnFacts } from './conn-facts.js';

/** farthest offset searched (a whole-hours time-zone mistake is the usual cause) */
export const MAX_OFFSET_US = 15 * 3600 * 1_000_000;
/** width of the cluster window (µs) */
const CLUSTER_US = 250_000;
/** candidate connections considered per event, and pairs overall */
const MAX_CANDIDATES_PER_EVENT = 64;
const MAX_PAIRS = 200_000;

const VERIFY_KINDS = new Set(['verify_failed', 'sni_mismatch', 'origin_hostname_mismatch']);

interface Pair { delta: number; ev: number }

/** Index of the first element with start ≥ t (list sorted by start). */
export function lowerBound(list: ConnFacts[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function collectPairs(byIp: Map<string, ConnFacts[]>, events: LogEvent[]): Pair[] {
  const pairs: Pair[] = [];
  events.forEach((e, ev) => {
    if (e.timeMicros === null || e.serverIp === null || (e.timePrecisionMs ?? 1) > 1) return;
    const isSent = e.kind === 'request_sent' && e.serverPort !== null;
    const isVerify = VERIFY_KINDS.has(e.kind);
    if (!isSent && !isVerify) return;
    const list = byIp.get(normIp(e.serverIp));
    if (!list) return;
    const t = e.timeMicros;
    const i0 = lowerBound(list, t - MAX_OFFSET_US);
    const i1 = lowerBound(list, t + MAX_OFFSET_US);
    const near: Pair[] = [];
    for (let i = i0; i < i1; i++) {
      const f = list[i];
      if (isSent && f.port !== e.serverPort) continue;
      if (isVerify && e.sni !== null && f.hasHello && f.checked !== normName(e.sni)) continue;
      near.push({ delta: t - (isSent ? f.start : f.ref), ev });
    }
    near.sort((a, b) => Math.abs(a.delta) - Math.abs(b.delta));
    for (const p of near.slice(0, MAX_CANDIDATES_PER_EVENT)) if (pairs.length < MAX_PAIRS) pairs.push(p);
  });
  return pairs;
}

/** Offset in µs (log − capture), or null when no pair supports one. */
export function estimateOffsetMicros(byIp: Map<string, ConnFacts[]>, events: LogEvent[]): number | null {
  const pairs = collectPairs(byIp, events);
  if (pairs.length === 0) return null;
  pairs.sort((a, b) => a.delta - b.delta);
  let best: { lo: number; hi: number; events: number; center: number } | null = null;
  // two pointers over the sorted deltas; `counts` holds the events inside [i, j)
  const counts = new Map<number, number>();
  let j = 0;
  for (let i = 0; i < pairs.length; i++) {
    while (j < pairs.length && pairs[j].delta - pairs[i].delta <= CLUSTER_US) {
      counts.set(pairs[j].ev, (counts.get(pairs[j].ev) ?? 0) + 1);
      j++;
    }
    const center = pairs[(i + j - 1) >> 1].delta;
    if (best === null || counts.size > best.events || (counts.size === best.events && Math.abs(center) < Math.abs(best.center))) {
      best = { lo: i, hi: j - 1, events: counts.size, center };
    }
    const n = (counts.get(pairs[i].ev) ?? 1) - 1;
    if (n === 0) counts.delete(pairs[i].ev);
    else counts.set(pairs[i].ev, n);
  }
  if (best === null) return null;
  const cluster = pairs.slice(best.lo, best.hi + 1).map((p) => p.delta);
  const mid = cluster.length >> 1;
  const median = cluster.length % 2 === 1 ? cluster[mid] : Math.round((cluster[mid - 1] + cluster[mid]) / 2);
  if (Math.abs(median) > 2_000_000 && best.events < 2) return null;
  return median;
}
