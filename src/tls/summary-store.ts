/**
 * Finished connections, kept compactly until the report is built: one fixed 112-byte record per
 * connection in off-heap pages of 512 records (57 KB each, allocated as needed: no copying, no
 * doubling slack), with every object (interned hellos, certificate lists,
 * address strings, the rare alert or note list) stored once in a side table and referred to by index.
 *
 * Why: a summary as a JS object costs ~350 bytes of heap, and V8 grows the heap by a multiple of what
 * is live, so a 4 GB capture of 22,680 handshakes needed 45 MB more than a 1 GB one just to keep its
 * summaries (the packet pass itself is flat). As records, the same summaries cost 2.5 MB outside the
 * heap. `get(i)` rebuilds the ConnectionSummary (equal to the one added) when the report needs it.
 */
import type { AlertInfo, CertEntry, CertificateRequestInfo, ClientHelloInfo, ConnectionSummary, ServerHelloInfo } from './summary.js';

const REC = 112;
const PAGE_BITS = 9;
const PAGE = 1 << PAGE_BITS;
/** byte offset of record `r` in its page */
const slot = (r: number): number => (r & (PAGE - 1)) * REC;
const O = {
  id: 0, fileIndex: 4, clientIp: 8, serverIp: 12, clientPort: 16, serverPort: 18, bits: 20,
  startMicros: 24, firstPacket: 32, clientHelloMicros: 40, serverHelloMicros: 48, serverCertificateMicros: 56,
  clientHello: 64, serverHello: 68, serverCertificates: 72, clientCertificates: 76, certificateRequest: 80,
  serverKeyExchangeGroup: 84, alerts: 88, clientMessages: 92, serverMessages: 96, notes: 100,
  serverCertificateMessages: 104, clientCertificateMessages: 108,
} as const;
/** bits of O.bits */
const B = { tls13: 1, incomplete: 2, chMicros: 4, shMicros: 8, certMicros: 16, kxGroup: 32 } as const;

export class SummaryStore {
  private readonly pages: DataView[] = [];
  private n = 0;
  private readonly objs: unknown[] = [];
  private readonly refs = new Map<unknown, number>();
  private order: Uint32Array | null = null;
  /** server endpoint objects by (address ref, port): one per server, shared by its connections */
  private readonly servers = new Map<number, { ip: string; port: number }>();

  get length(): number {
    return this.n;
  }

  /** Bytes kept: record pages plus the side table's slots (the objects themselves are shared). */
  get bytes(): number {
    return this.pages.length * PAGE * REC + this.objs.length * 8;
  }

  /** The page holding record `r` (its offset there is `slot(r)`). */
  private page(r: number): DataView {
    return this.pages[r >>> PAGE_BITS];
  }

  add(s: ConnectionSummary): void {
    if (this.n === this.pages.length * PAGE) this.pages.push(new DataView(new ArrayBuffer(PAGE * REC)));
    this.order = null;
    const r = this.n++;
    const d = this.page(r), p = slot(r);
    let bits = 0;
    if (s.tls13) bits |= B.tls13;
    if (s.incomplete) bits |= B.incomplete;
    d.setUint32(p + O.id, s.id, true);
    d.setUint32(p + O.fileIndex, s.fileIndex, true);
    d.setUint32(p + O.clientIp, this.ref(s.client.ip), true);
    d.setUint32(p + O.serverIp, this.ref(s.server.ip), true);
    d.setUint16(p + O.clientPort, s.client.port, true);
    d.setUint16(p + O.serverPort, s.server.port, true);
    d.setFloat64(p + O.startMicros, s.startMicros, true);
    d.setFloat64(p + O.firstPacket, s.firstPacket, true);
    if (s.clientHelloMicros !== null) { bits |= B.chMicros; d.setFloat64(p + O.clientHelloMicros, s.clientHelloMicros, true); }
    if (s.serverHelloMicros !== null) { bits |= B.shMicros; d.setFloat64(p + O.serverHelloMicros, s.serverHelloMicros, true); }
    if (s.serverCertificateMicros !== null) { bits |= B.certMicros; d.setFloat64(p + O.serverCertificateMicros, s.serverCertificateMicros, true); }
    if (s.serverKeyExchangeGroup !== null) { bits |= B.kxGroup; d.setInt32(p + O.serverKeyExchangeGroup, s.serverKeyExchangeGroup, true); }
    d.setInt32(p + O.clientHello, this.ref(s.clientHello), true);
    d.setInt32(p + O.serverHello, this.ref(s.serverHello), true);
    d.setInt32(p + O.serverCertificates, this.ref(s.serverCertificates), true);
    d.setInt32(p + O.clientCertificates, this.ref(s.clientCertificates), true);
    d.setInt32(p + O.certificateRequest, this.ref(s.certificateRequest), true);
    d.setInt32(p + O.alerts, s.alerts.length === 0 ? -1 : this.ref(s.alerts), true);
    d.setInt32(p + O.clientMessages, this.ref(s.clientMessages), true);
    d.setInt32(p + O.serverMessages, this.ref(s.serverMessages), true);
    d.setInt32(p + O.notes, this.ref(s.notes), true);
    d.setUint32(p + O.serverCertificateMessages, s.serverCertificateMessages, true);
    d.setUint32(p + O.clientCertificateMessages, s.clientCertificateMessages, true);
    d.setUint16(p + O.bits, bits, true);
  }

  /** The i-th connection in order of first packet (connection id). */
  get(i: number): ConnectionSummary {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`no connection ${i}`);
    const r = this.sorted()[i];
    const d = this.page(r), p = slot(r);
    const bits = d.getUint16(p + O.bits, true);
    const alerts = d.getInt32(p + O.alerts, true);
    return {
      id: d.getUint32(p + O.id, true),
      fileIndex: d.getUint32(p + O.fileIndex, true),
      client: { ip: this.obj<string>(d.getUint32(p + O.clientIp, true)), port: d.getUint16(p + O.clientPort, true) },
      server: this.server(d.getUint32(p + O.serverIp, true), d.getUint16(p + O.serverPort, true)),
      startMicros: d.getFloat64(p + O.startMicros, true),
      firstPacket: d.getFloat64(p + O.firstPacket, true),
      clientHello: this.obj<ClientHelloInfo | null>(d.getInt32(p + O.clientHello, true)),
      clientHelloMicros: (bits & B.chMicros) !== 0 ? d.getFloat64(p + O.clientHelloMicros, true) : null,
      serverHello: this.obj<ServerHelloInfo | null>(d.getInt32(p + O.serverHello, true)),
      serverHelloMicros: (bits & B.shMicros) !== 0 ? d.getFloat64(p + O.serverHelloMicros, true) : null,
      serverCertificateMicros: (bits & B.certMicros) !== 0 ? d.getFloat64(p + O.serverCertificateMicros, true) : null,
      serverCertificates: this.obj<CertEntry[]>(d.getInt32(p + O.serverCertificates, true)),
      serverCertificateMessages: d.getUint32(p + O.serverCertificateMessages, true),
      clientCertificates: this.obj<CertEntry[]>(d.getInt32(p + O.clientCertificates, true)),
      clientCertificateMessages: d.getUint32(p + O.clientCertificateMessages, true),
      certificateRequest: this.obj<CertificateRequestInfo | null>(d.getInt32(p + O.certificateRequest, true)),
      serverKeyExchangeGroup: (bits & B.kxGroup) !== 0 ? d.getInt32(p + O.serverKeyExchangeGroup, true) : null,
      alerts: alerts < 0 ? [] : this.obj<AlertInfo[]>(alerts),
      clientMessages: this.obj<number[]>(d.getInt32(p + O.clientMessages, true)),
      serverMessages: this.obj<number[]>(d.getInt32(p + O.serverMessages, true)),
      tls13: (bits & B.tls13) !== 0,
      notes: this.obj<string[]>(d.getInt32(p + O.notes, true)),
      incomplete: (bits & B.incomplete) !== 0,
    };
  }

  /** Drop every record and reference (the report has been built from them). */
  clear(): void {
    this.pages.length = 0;
    this.objs.length = 0;
    this.refs.clear();
    this.servers.clear();
    this.order = null;
    this.n = 0;
  }

  /** All connections as objects (the log correlation indexes them all at once). */
  toArray(): ConnectionSummary[] {
    const out = new Array<ConnectionSummary>(this.n);
    for (let i = 0; i < this.n; i++) out[i] = this.get(i);
    return out;
  }

  /** Index of a value in the side table (null → -1); each distinct object (or string) is stored once. */
  private ref(v: unknown): number {
    if (v === null) return -1;
    let r = this.refs.get(v);
    if (r === undefined) {
      r = this.objs.length;
      this.objs.push(v);
      this.refs.set(v, r);
    }
    return r;
  }

  /** The `{ ip, port }` of a server, the same object for every connection to it (read-only, like the report). */
  private server(ipRef: number, port: number): { ip: string; port: number } {
    const key = ipRef * 65536 + port;
    let e = this.servers.get(key);
    if (e === undefined) {
      e = { ip: this.obj<string>(ipRef), port };
      this.servers.set(key, e);
    }
    return e;
  }

  private obj<T>(r: number): T {
    return (r < 0 ? null : this.objs[r]) as T;
  }

  /** Record numbers in connection-id order (records are added in closing order). */
  private sorted(): Uint32Array {
    if (this.order === null) {
      const ids = new Float64Array(this.n);
      for (let i = 0; i < this.n; i++) ids[i] = this.page(i).getUint32(slot(i) + O.id, true);
      const idx = new Uint32Array(this.n);
      for (let i = 0; i < this.n; i++) idx[i] = i;
      this.order = idx.sort((a, b) => ids[a] - ids[b] || a - b);
    }
    return this.order;
  }
}
