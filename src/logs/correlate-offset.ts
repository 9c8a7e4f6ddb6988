/**
 * Constant clock offset between a log and the capture (log time − capture time), estimated from
 * pairs that can only be the same moment: a `Sending Request` to ip:port vs the SYN of a connection
 * to that ip:port, and a verification warning for (sni) at ip vs the handshake to ip whose
 * checked name is sni. The densest cluster of pair deltas (by distinct events) wins, ties to the
 * smaller offset; the offset is the median of that cluster. Offsets beyond 2 s (time-zone
 * mistakes, another host's clock) need at least two distinct events agreeing.
 * Bounded work: at most MAX_EVENTS events (evenly sampled) × MAX_CANDIDATES connections each.
 */
import type { LogEvent } from './types.js';
import { normIp, normName, type ConnFacts } from './conn-facts.js';
import { lowerBound, type CorrelationState } from './correlate-state.js';

/** farthest offset searched (a whole-hours time-zone mistake is the usual cause) */
export const MAX_OFFSET_US = 15 * 3600 * 1_000_000;
/** width of the cluster window (µs) */
const CLUSTER_US = 250_000;
const MAX_EVENTS = 400;
const MAX_CANDIDATES = 4000;

const VERIFY_KINDS = new Set(['verify_failed', 'sni_mismatch', 'origin_hostname_mismatch']);

function usable(e: LogEvent): boolean {
  if (e.timeMicros === null || e.serverIp === null || (e.timePrecisionMs ?? 1) > 1) return false;
  return (e.kind === 'request_sent' && e.serverPort !== null) || VERIFY_KINDS.has(e.kind);
}

/** Pair deltas encoded as (delta + MAX_OFFSET) × 512 + event index, for one numeric sort. */
function collectPairs(st: CorrelationState, events: LogEvent[]): Float64Array {
  let evs = events.filter(usable);
  if (evs.length > MAX_EVENTS) {
    const step = evs.length / MAX_EVENTS;
    evs = Array.from({ length: MAX_EVENTS }, (_, i) => evs[Math.floor(i * step)]);
  }
  const out: number[] = [];
  evs.forEach((e, ev) => {
    const t = e.timeMicros as number;
    const isSent = e.kind === 'request_sent';
    const list: ConnFacts[] = (isSent ? st.to(normIp(e.serverIp as string), e.serverPort) : st.byIp.get(normIp(e.serverIp as string))) ?? [];
    const i0 = lowerBound(list, t - MAX_OFFSET_US);
    const i1 = lowerBound(list, t + MAX_OFFSET_US);
    const stride = Math.max(1, Math.ceil((i1 - i0) / MAX_CANDIDATES));
    const name = e.sni !== null ? normName(e.sni) : null;
    for (let i = i0; i < i1; i += stride) {
      const f = list[i];
      if (!isSent && name !== null && f.hasHello && f.checked !== name) continue;
      const delta = t - (isSent ? f.start : f.ref);
      if (Math.abs(delta) <= MAX_OFFSET_US) out.push((delta + MAX_OFFSET_US) * 512 + ev);
    }
  });
  return Float64Array.from(out).sort();
}

/** Offset in µs (log − capture), or null when no pair supports one. */
export function estimateOffsetMicros(st: CorrelationState, events: LogEvent[]): number | null {
  const pairs = collectPairs(st, events);
  if (pairs.length === 0) return null;
  const delta = (k: number): number => Math.floor(pairs[k] / 512) - MAX_OFFSET_US;
  const evOf = (k: number): number => pairs[k] % 512;
  const counts = new Int32Array(512);
  let distinct = 0;
  let best: { lo: number; hi: number; events: number; center: number } | null = null;
  let j = 0;
  for (let i = 0; i < pairs.length; i++) {
    while (j < pairs.length && delta(j) - delta(i) <= CLUSTER_US) {
      if (counts[evOf(j)]++ === 0) distinct++;
      j++;
    }
    const center = delta((i + j - 1) >> 1);
    if (best === null || distinct > best.events || (distinct === best.events && Math.abs(center) < Math.abs(best.center))) {
      best = { lo: i, hi: j - 1, events: distinct, center };
    }
    if (--counts[evOf(i)] === 0) distinct--;
  }
  if (best === null) return null;
  const mid = (best.lo + best.hi) >> 1;
  const median = (best.hi - best.lo) % 2 === 0 ? delta(mid) : Math.round((delta(mid) + delta(mid + 1)) / 2);
  if (Math.abs(median) > 2_000_000 && best.events < 2) return null;
  return median;
}
