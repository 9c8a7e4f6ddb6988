/**
 * `--json`: the Report exactly as built (docs/json-contract.md, schema/report.schema.json), two-space
 * indented. Values are never sanitised here: JSON escaping (RFC 8259 §7) makes control characters
 * inert, and scripts need the exact bytes of names and log lines.
 */
import type { Report } from './model.js';
import { ConnectionStream, type StreamedReport } from './streamed.js';

export function renderJson(report: Report | StreamedReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * Where the streamed writer puts its output: text pieces, and byte pieces that are already UTF-8 (the
 * cached text of shared objects). `ByteBatcher` packs both into one reused buffer.
 */
export interface JsonSink {
  text(s: string): void;
  bytes(b: Uint8Array): void;
  /** optional: write `JSON.stringify(s)` (a sink that can spell simple strings without building the quoted copy) */
  quoted?(s: string): void;
}

/**
 * The same bytes as `renderJson`, written piece by piece into `sink`, so the CLI streams a report of
 * tens of thousands of connections without building one string of hundreds of MB. Yields after each
 * connection (a point to wait for the output to drain). Equivalent to `JSON.stringify(report, null, 2)`
 * in every respect the report can show: toJSON (with its key), boxed primitives, omitted undefined /
 * functions / symbols, non-finite numbers, integer-like keys first, TypeError on BigInt and on cycles.
 */
export function* writeJsonReport(report: Report | StreamedReport, sink: JsonSink): Generator<void> {
  const w = new JsonWriter(sink);
  const value = w.prepare(report, '');
  if (value === OMIT) throw new TypeError('the report is not a JSON value');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    w.value(value, '');
  } else {
    w.enter(value);
    let first = true;
    const obj = value as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      // a streamed report's connections: each built as it is written (its toJSON would build them all)
      const raw = obj[k];
      const v = k === 'connections' && raw instanceof ConnectionStream ? raw : w.prepare(raw, k);
      if (v === OMIT) continue;
      w.key(TOP, first, k);
      first = false;
      if (k === 'connections' && (v instanceof ConnectionStream || (Array.isArray(v) && v.length > 0))) yield* w.connections(v as Iterable<unknown>);
      else w.value(v, '  ');
    }
    w.leave();
    sink.text(first ? '{}' : '\n}');
  }
  sink.text('\n');
}

/** `writeJsonReport` as strings, one piece per connection (tests; the CLI uses a ByteBatcher). */
export function* renderJsonChunks(report: Report | StreamedReport): Generator<string> {
  const dec = new TextDecoder();
  let parts: string[] = [];
  const sink: JsonSink = { text: (s) => { parts.push(s); }, bytes: (b) => { parts.push(dec.decode(b)); } };
  for (const _ of writeJsonReport(report, sink)) {
    if (parts.length > 0) yield parts.join('');
    parts = [];
  }
  if (parts.length > 0) yield parts.join('');
}

/** value left out of an object (undefined, function, symbol after toJSON), as JSON.stringify does */
const OMIT: unique symbol = Symbol('omit');

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

const GAP = '  ';
const indents: string[] = [''];
function indentOf(depth: number): string {
  while (indents.length <= depth) indents.push(indents[indents.length - 1] + GAP);
  return indents[depth];
}

/**
 * The punctuation around values at an indentation, made once per indentation (a template string per
 * array element or object key was a new string each time, and characters are read from it one by one).
 */
interface Punctuation {
  /** `[` or `{`, a line break and the indentation of the first item */
  openArray: string;
  openObject: string;
  /** `,`, a line break and the indentation of the next item */
  next: string;
  /** a line break, the indentation of the enclosing line, `]` or `}` */
  closeArray: string;
  closeObject: string;
  /**
   * `openObject` / `next` and a quoted key with its `: `, UTF-8 encoded, by key (one copy per key
   * instead of two short texts: the keys are the most frequent pieces of a report)
   */
  firstKeys: Map<string, Uint8Array>;
  nextKeys: Map<string, Uint8Array>;
}
const punctuation = new Map<string, Punctuation>();
/** The punctuation for items at `inner` inside a value that starts on a line indented by `outer`. */
function punctuationOf(outer: string, inner: string): Punctuation {
  let p = punctuation.get(inner);
  if (p === undefined) {
    p = {
      openArray: `[\n${inner}`, openObject: `{\n${inner}`, next: `,\n${inner}`, closeArray: `\n${outer}]`, closeObject: `\n${outer}}`,
      firstKeys: new Map(), nextKeys: new Map(),
    };
    punctuation.set(inner, p);
  }
  return p;
}

/*
 * Certificate objects are shared by every connection that presented them, and server endpoints,
 * hellos, validation results and certificate requests by many: their text at the depth they appear in
 * a connection is encoded once (UTF-8) and copied from then on. Certificates are cached at once (they are 75 % of a
 * report's bytes); the other shared objects from their second use (one seen once costs no memory).
 */
const CERT_INDENT = '        ';
const VALUE_INDENT = '      ';
/** the report's keys, at two spaces inside its `{` */
const TOP = punctuationOf('', '  ');
/** a connection's keys, at six spaces inside its `{` at four */
const CONNECTION = punctuationOf('    ', VALUE_INDENT);
/** a certificate list's items, at eight spaces inside its `[` at six */
const CERT_LIST = punctuationOf(VALUE_INDENT, CERT_INDENT);
const certBytes = new WeakMap<object, Uint8Array>();
const SHARED_KEYS: ReadonlySet<string> = new Set(['server', 'client_hello', 'server_hello', 'certificate_request', 'validation']);
const sharedBytes = new WeakMap<object, Uint8Array | 1>();
const utf8 = new TextEncoder();
const utf8Text = new TextDecoder();
/** keys cached per punctuation (a report has a few dozen distinct keys; bounded for odd objects) */
const MAX_CACHED_KEYS = 1024;

/** Text of `v` at `indent` as a string (for the caches), through a writer of its own. */
function textOf(v: unknown, indent: string): string {
  const parts: string[] = [];
  new JsonWriter({ text: (s) => { parts.push(s); }, bytes: (b) => { parts.push(utf8Text.decode(b)); } }).value(v, indent);
  return parts.join('');
}

/** '00'…'99' */
const PAIRS: readonly string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
/** '0'…'99' */
const SMALL: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i));

/**
 * A number's JSON text (as JSON.stringify writes it). Non-negative integers (ports, ids, packet numbers,
 * lengths: nearly all a report holds) are spelled here, two digits at a time: String(n) would put each
 * in V8's number-to-string cache, a table in the old generation, so every distinct number of a report
 * of tens of thousands of connections would survive a young collection, and V8 grows its young
 * generation after enough survivors (+8 MB of peak memory on a 4.45 GB capture).
 */
export function numberText(v: number): string {
  if (!(v >= 0 && v <= 0x7fffffff && Math.floor(v) === v)) return String(v);
  if (v < 100) return SMALL[v];
  let s = '';
  let n = v;
  while (n >= 100) {
    const q = Math.floor(n / 100);
    s = PAIRS[n - q * 100] + s;
    n = q;
  }
  return SMALL[n] + s;
}

class JsonWriter {
  /** objects on the path from the root (cycle check, as JSON.stringify's TypeError) */
  private readonly stack: object[] = [];
  constructor(private readonly sink: JsonSink) {}

  /**
   * SerializeJSONProperty's first steps: toJSON with its key, unwrapped boxed primitives; OMIT if none.
   * An array index comes as a number and is made a string only for a toJSON call (not per element).
   */
  prepare(v: unknown, key: string | number): unknown {
    if (typeof v === 'object' && v !== null) {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') v = (toJSON as (k: string) => unknown).call(v, String(key));
    } else if (typeof v === 'bigint') {
      const toJSON = (BigInt.prototype as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') v = (toJSON as (k: string) => unknown).call(v, String(key));
    }
    if (typeof v === 'object' && v !== null) {
      if (v instanceof Number) v = Number(v);
      else if (v instanceof String) v = String(v);
      else if (v instanceof Boolean) v = v.valueOf();
      else if (v instanceof BigInt) v = v.valueOf();
    }
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return OMIT;
    return v;
  }

  /** `{` or `,`, the line break and indentation of `p`, then `"k": ` */
  key(p: Punctuation, first: boolean, k: string): void {
    const m = first ? p.firstKeys : p.nextKeys;
    let b = m.get(k);
    if (b === undefined) {
      b = utf8.encode(`${first ? p.openObject : p.next}${JSON.stringify(k)}: `);
      if (m.size < MAX_CACHED_KEYS) m.set(k, b);
    }
    this.sink.bytes(b);
  }

  enter(o: object): void {
    if (this.stack.includes(o)) throw new TypeError('Converting circular structure to JSON');
    this.stack.push(o);
  }

  leave(): void {
    this.stack.pop();
  }

  /** A prepared value at `indent` (the indentation of the line it starts on). */
  value(v: unknown, indent: string): void {
    switch (typeof v) {
      case 'string': if (this.sink.quoted !== undefined) this.sink.quoted(v); else this.sink.text(JSON.stringify(v)); return;
      case 'number': this.sink.text(Number.isFinite(v) ? numberText(v) : 'null'); return;
      case 'boolean': this.sink.text(v ? 'true' : 'false'); return;
      case 'bigint': throw new TypeError('Do not know how to serialize a BigInt');
      default: break;
    }
    if (v === null) { this.sink.text('null'); return; }
    const inner = indentOf(indent.length / 2 + 1);
    this.enter(v as object);
    if (Array.isArray(v)) {
      if (v.length === 0) this.sink.text('[]');
      else {
        const p = punctuationOf(indent, inner);
        for (let i = 0; i < v.length; i++) {
          this.sink.text(i === 0 ? p.openArray : p.next);
          const e = this.prepare(v[i], i);
          if (e === OMIT) this.sink.text('null');
          else this.value(e, inner);
        }
        this.sink.text(punctuationOf(indent, inner).closeArray);
      }
    } else {
      const obj = v as Record<string, unknown>;
      const p = punctuationOf(indent, inner);
      let first = true;
      // for-in with the own-property check lists what Object.keys lists, in its order, without a key array
      for (const k in obj) {
        if (!hasOwn(obj, k)) continue;
        const e = this.prepare(obj[k], k);
        if (e === OMIT) continue;
        this.key(p, first, k);
        first = false;
        this.value(e, inner);
      }
      this.sink.text(first ? '{}' : p.closeObject);
    }
    this.leave();
  }

  /** The connections (an array or a streamed report's ConnectionStream) at depth 1, yielding after each. */
  *connections(list: Iterable<unknown>): Generator<void> {
    this.enter(list as object);
    let i = 0;
    for (const item of list) {
      this.sink.text(i === 0 ? '[\n    ' : ',\n    ');
      const c = this.prepare(item, i);
      if (c === OMIT) this.sink.text('null');
      else if (typeof c === 'object' && c !== null && !Array.isArray(c)) this.connection(c as Record<string, unknown>);
      else this.value(c, '    ');
      i++;
      yield;
    }
    this.leave();
    this.sink.text(i === 0 ? '[]' : '\n  ]');
  }

  /** One connection object at four spaces, its shared parts from the caches. */
  private connection(conn: Record<string, unknown>): void {
    this.enter(conn);
    let first = true;
    for (const k in conn) {
      if (!hasOwn(conn, k)) continue;
      const raw = conn[k];
      const v = this.prepare(raw, k);
      if (v === OMIT) continue;
      this.key(CONNECTION, first, k);
      first = false;
      // the caches hold objects as they are; one with a toJSON (v !== raw) takes the general path
      if (v === raw && Array.isArray(v) && v.length > 0 && (k === 'certificates' || k === 'client_certificates')) this.certificateList(v);
      else if (v === raw && typeof v === 'object' && v !== null && SHARED_KEYS.has(k) && !Array.isArray(v)) this.shared(v);
      else this.value(v, VALUE_INDENT);
    }
    this.sink.text(first ? '{}' : '\n    }');
    this.leave();
  }

  private certificateList(list: unknown[]): void {
    this.enter(list);
    for (let i = 0; i < list.length; i++) {
      this.sink.text(i === 0 ? CERT_LIST.openArray : CERT_LIST.next);
      const raw = list[i];
      if (typeof raw === 'object' && raw !== null && typeof (raw as { toJSON?: unknown }).toJSON !== 'function' && !(raw instanceof Number || raw instanceof String || raw instanceof Boolean)) {
        let b = certBytes.get(raw);
        if (b === undefined) {
          if (this.stack.includes(raw)) throw new TypeError('Converting circular structure to JSON');
          b = utf8.encode(textOf(raw, CERT_INDENT));
          certBytes.set(raw, b);
        }
        this.sink.bytes(b);
        continue;
      }
      const e = this.prepare(raw, i);
      if (e === OMIT) this.sink.text('null');
      else this.value(e, CERT_INDENT);
    }
    this.sink.text(CERT_LIST.closeArray);
    this.leave();
  }

  private shared(v: object): void {
    const t = sharedBytes.get(v);
    if (t === undefined) {
      sharedBytes.set(v, 1);
      this.value(v, VALUE_INDENT);
    } else if (t === 1) {
      if (this.stack.includes(v)) throw new TypeError('Converting circular structure to JSON');
      const b = utf8.encode(textOf(v, VALUE_INDENT));
      sharedBytes.set(v, b);
      this.sink.bytes(b);
    } else {
      this.sink.bytes(t);
    }
  }
}

/**
 * Packs text and byte pieces into one reused buffer of `size` bytes and hands it to `flush` when full
 * (`flush` must not keep the buffer: copy it if the bytes outlive the call). Short ASCII pieces (keys,
 * indentation, numbers, most values: nearly all of a report's text) are copied into the buffer character
 * by character, which costs less than a call into the UTF-8 encoder per piece or joining pieces into a
 * string first (whose parts, held by this long-lived object, also survived V8's young collections);
 * others go through the encoder. A piece larger than the buffer goes out on its own.
 */
export class ByteBatcher implements JsonSink {
  private readonly buf: Buffer;
  private n = 0;
  constructor(private readonly flushFn: (b: Buffer) => void, size = 1 << 16) {
    this.buf = Buffer.allocUnsafe(Math.max(SHORT_TEXT * 3, size));
  }

  text(s: string): void {
    const len = s.length;
    if (len <= SHORT_TEXT) {
      if (len > this.buf.length - this.n) this.flush();
      const b = this.buf;
      let p = this.n;
      for (let i = 0; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) { this.encode(s); return; } // (nothing committed yet: this.n unchanged)
        b[p++] = c;
      }
      this.n = p;
      return;
    }
    this.encode(s);
  }

  /** `JSON.stringify(s)`: a short string of printable ASCII without `"` or `\\` is copied between quotes as it is. */
  quoted(s: string): void {
    const len = s.length;
    if (len <= SHORT_TEXT) {
      if (len + 2 > this.buf.length - this.n) this.flush();
      const b = this.buf;
      let p = this.n;
      b[p++] = 0x22;
      for (let i = 0; i < len; i++) {
        const c = s.charCodeAt(i);
        // what JSON.stringify escapes (controls, quote, backslash) or UTF-8 encodes (and DEL) goes the long way
        if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) { this.text(JSON.stringify(s)); return; }
        b[p++] = c;
      }
      b[p++] = 0x22;
      this.n = p;
      return;
    }
    this.text(JSON.stringify(s));
  }

  bytes(b: Uint8Array): void {
    if (b.length > this.buf.length - this.n) {
      this.flush();
      if (b.length > this.buf.length) {
        this.flushFn(Buffer.from(b.buffer, b.byteOffset, b.length));
        return;
      }
    }
    this.buf.set(b, this.n);
    this.n += b.length;
  }

  /** Hand everything written so far to `flush`. */
  flush(): void {
    if (this.n === 0) return;
    const n = this.n;
    this.n = 0;
    this.flushFn(this.buf.subarray(0, n));
  }

  private encode(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units)
    const worst = s.length * 3;
    if (worst > this.buf.length - this.n) {
      this.flush();
      if (worst > this.buf.length) {
        this.flushFn(Buffer.from(s, 'utf8'));
        return;
      }
    }
    this.n += this.buf.write(s, this.n, 'utf8');
  }
}

/** pieces of text up to this many characters are copied into the buffer directly when they are ASCII */
const SHORT_TEXT = 64;
