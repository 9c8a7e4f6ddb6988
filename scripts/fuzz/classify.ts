/** Outcome of one case and the helpers that classify it (no pipeline import: usable anywhere). */
import type { Role } from './seeds.js';

export type Verdict = 'ok' | 'usage' | 'crash' | 'internal';

export interface Outcome {
  verdict: Verdict;
  /** wall time of analyze(), ms */
  ms: number;
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
  if (/\.tar(\.gz)?$|\.tgz$/i.test(name)) return 'archive';
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
