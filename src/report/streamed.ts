/**
 * A report whose connections are built one at a time as they are read, for captures of hundreds of
 * thousands of handshakes: `analyzeStream()` (pipeline.ts) returns it, the `--json` writer reads it in
 * order (connections first, then findings and diagnostics, as docs/json-contract.md lists the keys) and
 * memory holds one connection's report objects at a time plus the slim view findings need of each
 * (report/model.ts FindingsConnection). `materializeReport` turns it into the plain Report.
 *
 * The parts that depend on every connection (findings, diagnostics) are `Deferred`: computed on first
 * read, which must come after the connections were read. Both classes have toJSON, so
 * JSON.stringify of a streamed report gives the same text as of its materialized form.
 */
import type { ConnectionOut, DiagnosticOut, FindingOut, Report } from './model.js';

/** The connections of a streamed report: iterable once (each is built as it is reached). */
export class ConnectionStream implements Iterable<ConnectionOut> {
  private started = false;
  private finished = false;

  constructor(
    /** number of connections the stream yields */
    readonly length: number,
    private readonly produce: () => Generator<ConnectionOut, void, undefined>,
  ) {}

  /** Whether every connection has been read. */
  get done(): boolean {
    return this.finished;
  }

  *[Symbol.iterator](): Generator<ConnectionOut, void, undefined> {
    if (this.started) throw new Error('the connections of a streamed report can be read only once');
    this.started = true;
    yield* this.produce();
    this.finished = true;
  }

  /** JSON.stringify: all of them, as an array. */
  toJSON(): ConnectionOut[] {
    return [...this];
  }
}

/** A value computed on first read (and kept). */
export class Deferred<T> {
  private state: { value: T } | null = null;

  constructor(private readonly compute: () => T) {}

  get(): T {
    if (this.state === null) this.state = { value: this.compute() };
    return this.state.value;
  }

  toJSON(): T {
    return this.get();
  }
}

export interface StreamedReport extends Omit<Report, 'connections' | 'findings' | 'diagnostics'> {
  connections: ConnectionStream;
  /** readable once `connections` has been read through */
  findings: Deferred<FindingOut[]>;
  /** readable once `connections` has been read through (building a connection may add one) */
  diagnostics: Deferred<DiagnosticOut[]>;
}

export function isStreamedReport(r: Report | StreamedReport): r is StreamedReport {
  return r.connections instanceof ConnectionStream;
}

/** The plain Report: every connection built and kept (keys in the same order). */
export function materializeReport(r: Report | StreamedReport): Report {
  if (!isStreamedReport(r)) return r;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    out[k] = v instanceof ConnectionStream ? [...v] : v instanceof Deferred ? v.get() : v;
  }
  return out as unknown as Report;
}
