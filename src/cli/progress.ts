/**
 * Progress bar on standard error, driven by analyze()'s onProgress callback: bytes read of total,
 * MB/s and time left, redrawn in place (CR + erase to end of line, ECMA-48 EL) at most every
 * `minIntervalMs`, and cleared at the end. Shown only when enabled (stderr is a TTY and not --quiet)
 * and the input is larger than `thresholdBytes` (default 50 MB); small runs finish before it helps.
 */
import type { CliStream } from './io.js';

export interface ProgressOptions {
  stream: CliStream;
  enabled: boolean;
  /** monotonic milliseconds (injected for tests) */
  now: () => number;
  thresholdBytes?: number;
  minIntervalMs?: number;
}

export interface ProgressEvent {
  bytesRead: number;
  totalBytes: number | null;
}

export interface Progress {
  onProgress(p: ProgressEvent): void;
  /** erase the bar if it was drawn */
  finish(): void;
  /** true once the bar has been drawn at least once */
  readonly shown: boolean;
}

const MB = 1_000_000;
export const DEFAULT_PROGRESS_THRESHOLD = 50 * MB;

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** One line, at most `width` columns (ASCII only). */
export function progressLine(p: ProgressEvent, elapsedMs: number, width: number): string {
  const read = (p.bytesRead / MB).toFixed(1);
  const rate = elapsedMs > 0 ? p.bytesRead / MB / (elapsedMs / 1000) : 0;
  const rateText = `${rate.toFixed(1)} MB/s`;
  if (p.totalBytes === null || p.totalBytes <= 0) return `reading ${read} MB  ${rateText}`.slice(0, width);
  const frac = Math.min(1, p.bytesRead / p.totalBytes);
  const left = rate > 0 ? clock((p.totalBytes - p.bytesRead) / MB / rate) : '?';
  const head = `reading ${read}/${(p.totalBytes / MB).toFixed(1)} MB `;
  const tail = ` ${String(Math.floor(frac * 100)).padStart(3)}%  ${rateText}  ${left} left`;
  const barW = Math.min(30, width - head.length - tail.length - 2);
  if (barW < 5) return `${head.trim()}${tail}`.slice(0, width);
  const done = Math.round(frac * barW);
  return `${head}[${'#'.repeat(done)}${'.'.repeat(barW - done)}]${tail}`;
}

export function createProgress(opts: ProgressOptions): Progress {
  const threshold = opts.thresholdBytes ?? DEFAULT_PROGRESS_THRESHOLD;
  const interval = opts.minIntervalMs ?? 100;
  const start = opts.now();
  let last = -Infinity;
  let shown = false;
  return {
    get shown() { return shown; },
    onProgress(p) {
      if (!opts.enabled) return;
      const size = p.totalBytes ?? p.bytesRead;
      if (size <= threshold) return;
      const t = opts.now();
      const final = p.totalBytes !== null && p.bytesRead >= p.totalBytes;
      if (!final && t - last < interval) return;
      last = t;
      // a pseudo-terminal without a size (script, some CI consoles) reports 0 columns: assume 80
      const cols = opts.stream.columns;
      const width = Math.max(20, (cols !== undefined && cols > 0 ? cols : 80) - 1);
      opts.stream.write(`\r${progressLine(p, t - start, width)}\x1b[K`);
      shown = true;
    },
    finish() {
      if (shown) opts.stream.write('\r\x1b[K');
      shown = false;
    },
  };
}
