/** Outcome of one case and the helpers that classify it (no pipeline import: usable anywhere). */
import type { Role } from './seeds.js';

export type Verdict = 'ok' | 'usage' | 'crash' | 'internal';

export interface Outcome {
  verdict: Verdict;
  /** wall time of analyze(), ms */
  ms: number;
  /** CPU time of analyze() (process-wide, measured in the worker), ms */
  cpuMs?: number;
  /** CPU time of the slowest renderer, ms */
  renderCpuMs?: number;
  /** profiled runs: the frame with the most self time (hot-frame.ts) */
  hot?: string;
  /** error name + message (crash / usage), or the internal diagnostics' details */
  detail?: string;
  stack?: string;
  exitCode?: number;
  connections?: number;
  diagnostics?: number;
  heapUsedMiB?: number;
}

/** The role a file plays, from its extension (reproducer names keep the seed's extension). */
export function roleOfExt(name: string): Role {
  if (/\.tar(\.gz)?$|\.tgz$|\.zip$/i.test(name)) return 'archive';
  if (/\.log$|\.txt$/i.test(name)) return 'log';
  if (/\.pem$|\.crt$|\.der$/i.test(name)) return 'truststore';
  return 'capture';
}

/** Failure signature for de-duplication: verdict + message without numbers + first src/ frame. */
export function signature(o: { verdict: string; detail?: string; stack?: string }): string {
  const msg = (o.detail ?? '').split('\n')[0].replace(/0x[0-9a-f]+|\d+/gi, 'N').replace(/\/[^\s:'"]*\/input[^\s:'"]*/g, '<input>').slice(0, 160);
  const line = (o.stack ?? '').split('\n').find((l) => /\/src\//.test(l)) ?? '';
  const m = /at (?:(\S+) \()?.*?\/src\/([^:]+):\d+/.exec(line);
  const frame = m ? `src/${m[2]}:${m[1] ?? ''}` : '';
  return `${o.verdict}|${msg}|${frame}`;
}

/** What the worker runner reports for one case. */
export type RunResult =
  | { kind: 'done'; outcome: Outcome; cpuMs: number }
  | { kind: 'timeout'; ms: number; cpuMs: number }
  | { kind: 'fatal'; detail: string; stack?: string }
  | { kind: 'memory'; detail: string };

/**
 * Watchdog CPU allowance of a case whose bound is `bound`: the case runs analyze() and five output
 * passes (JSON.stringify and four renderers), so the hard stop is at 3× the bound (a hang).
 */
export function watchdogMs(bound: number): number {
  return 3 * bound + 1000;
}

/** One run of a case and the CPU bound it was held to. */
export interface Trial {
  r: RunResult;
  boundMs: number;
}

/** A broken rule: crash, internal, timeout, slow or memory. */
export interface Failure {
  kind: string;
  detail: string;
  stack?: string;
  /** for time failures whose profiled rerun completed: the hottest frame */
  hot?: string;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MS_PER_MIB = 100;

/**
 * CPU-time bound of a case: the base bound plus an allowance per MiB of input, so a large input
 * must still be processed at ≥ 10 MiB/s but a small one within 5 s.
 */
export function boundMs(bytes: number, baseMs = DEFAULT_TIMEOUT_MS, msPerMiB = DEFAULT_MS_PER_MIB): number {
  return baseMs + (msPerMiB * bytes) / 1048576;
}

/** A result that breaks a rule, or null. */
export function failureOf({ r, boundMs: bound }: Trial): Failure | null {
  if (r.kind === 'timeout') return { kind: 'timeout', detail: `stopped after ${Math.round(r.cpuMs)} ms CPU / ${Math.round(r.ms)} ms wall (hang or too slow)` };
  if (r.kind === 'memory') return { kind: 'memory', detail: r.detail };
  if (r.kind === 'fatal') return { kind: 'crash', detail: r.detail, stack: r.stack };
  const o = r.outcome;
  if (o.verdict === 'crash' || o.verdict === 'internal') return { kind: o.verdict, detail: o.detail ?? '', stack: o.stack };
  // analyze() plus one output format (a CLI run renders one); the case renders all of them
  const used = o.cpuMs === undefined ? r.cpuMs : o.cpuMs + (o.renderCpuMs ?? 0);
  if (used > bound) return { kind: 'slow', detail: `took ${Math.round(o.cpuMs ?? r.cpuMs)} ms CPU + ${Math.round(o.renderCpuMs ?? 0)} ms to render (bound ${Math.round(bound)} ms), ${Math.round(o.ms)} ms wall` };
  return null;
}

/**
 * Signature of a failure, to group failures of one bug: crash / internal by message (numbers
 * stripped) and first src/ frame; time failures by the hottest frame of a profiled rerun when
 * there is one; otherwise time / memory failures by kind and the generator (or `mutate`,
 * `bundle`, `gzip`, `truncate`) that made the input (`slow` and `timeout` are one kind, `time`:
 * which one a case hits depends on the machine).
 */
export function failureSignature(f: Failure, origin: string): string {
  if (f.kind === 'crash' || f.kind === 'internal') return signature({ verdict: f.kind, detail: f.detail, stack: f.stack });
  const kind = f.kind === 'slow' || f.kind === 'timeout' ? 'time' : f.kind;
  if (f.hot) return `${kind}|${f.hot.replace(/ \(\d+% of samples\)$/, '')}`;
  return `${kind}|${/^\w+/.exec(origin)?.[0] ?? ''}`;
}
