/**
 * Anomaly counters (Zeek "weirds"): every decode problem, gap, truncation, eviction and limit hit
 * is counted by `layer.code` and the first few samples are kept with packet number and flow.
 * Nothing here throws; the library never prints. Every output format renders these.
 */
export type Severity = 'anomaly' | 'abandoned' | 'limit' | 'internal' | 'warning';

export interface DiagnosticSample {
  /** capture file index and 1-based packet number, when known */
  file?: number;
  packet?: number;
  /** connection id (order of first packet), when known */
  flow?: number;
  detail?: string;
}

export interface DiagnosticEntry {
  /** `layer.code`, e.g. `tcp.gap`, `tls.record.bad_length`, `limit.flows` */
  key: string;
  severity: Severity;
  count: number;
  samples: DiagnosticSample[];
}

export const MAX_SAMPLES_PER_KEY = 5;

export class Diagnostics {
  private readonly entries = new Map<string, DiagnosticEntry>();
  /** first stack of an internal (non-DecodeError) failure, for bug reports */
  firstInternalStack: string | null = null;

  /** Count one occurrence. `sample` is built by the caller only on the cold path. */
  add(key: string, severity: Severity, sample?: DiagnosticSample, n = 1): void {
    let e = this.entries.get(key);
    if (e === undefined) {
      e = { key, severity, count: 0, samples: [] };
      this.entries.set(key, e);
    }
    e.count += n;
    if (sample !== undefined && e.samples.length < MAX_SAMPLES_PER_KEY) e.samples.push(sample);
  }

  /** Hot-path friendly: count without a sample object when enough samples are kept already. */
  wantsSample(key: string): boolean {
    const e = this.entries.get(key);
    return e === undefined || e.samples.length < MAX_SAMPLES_PER_KEY;
  }

  internal(where: string, err: unknown, sample?: DiagnosticSample): void {
    const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (this.firstInternalStack === null) this.firstInternalStack = err instanceof Error && err.stack ? err.stack : msg;
    // a caller's detail (where: `file:line` of a log entry) comes first, the error after it
    const detail = sample?.detail ? `${sample.detail}: ${msg}` : msg;
    this.add(`internal.${where}`, 'internal', { ...sample, detail: detail.slice(0, 300) });
  }

  count(key: string): number {
    return this.entries.get(key)?.count ?? 0;
  }

  /** Sorted by key, for deterministic output. */
  list(): DiagnosticEntry[] {
    return [...this.entries.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  merge(other: Diagnostics): void {
    for (const e of other.list()) {
      for (let i = 0; i < e.count; i++) {
        // keep samples bounded; counts are added in bulk below
        if (i < e.samples.length) this.add(e.key, e.severity, e.samples[i], 1);
        else { this.add(e.key, e.severity, undefined, e.count - i); break; }
      }
    }
    if (this.firstInternalStack === null) this.firstInternalStack = other.firstInternalStack;
  }

  get total(): number {
    let n = 0;
    for (const e of this.entries.values()) n += e.count;
    return n;
  }
}
