/**
 * The packet pass: capture readers → decodePacket → FlowTable, synchronous per packet, with
 * await only at buffer refills. One reused PacketView, decode statuses tallied in a typed array.
 */
import { SummaryStore } from './tls/summary-store.js';
import type { Limits } from './options.js';
import type { Diagnostics } from './diagnostics/diagnostics.js';
import type { CertStore } from './x509/cert-store.js';
import type { CaptureInfo } from './report/model.js';
import type { ConnectionSummary } from './tls/summary.js';
import type { PacketRecord } from './capture/packet-record.js';
import { linkTypeName } from './capture/packet-record.js';
import { newPacketView, DecodeStatus, DECODE_STATUS_NAMES } from './decode/packet-view.js';
import { decodePacket } from './decode/link.js';
import type { CaptureReader } from './capture/capture-reader.js';
import { mergeBufferSize, openCapture } from './capture/open-capture.js';
import { fileByteSource, iterableByteSource, type ByteSource } from './capture/byte-source.js';
import { forEachPacket } from './capture/for-each-packet.js';
import { FlowTable } from './tcp/flow-table.js';
import { IpReassembler } from './decode/ip-reassembly.js';
import { isoFromMicros } from './report/time.js';

export interface PacketPassOptions {
  limits: Limits;
  diag: Diagnostics;
  certs: CertStore;
  totalBytes: number | null;
  onProgress?: (p: { bytesRead: number; totalBytes: number | null }) => void;
}

/** Decode statuses that mean "could not decode this packet" (not merely "not TCP"). */
const ERROR_STATUSES: readonly number[] = [DecodeStatus.truncated, DecodeStatus.unsupportedLink, DecodeStatus.badHeader];

export class PacketPass {
  readonly captures: CaptureInfo[] = [];
  /** capture files read so far (readers are let go once read: a bundle can hold thousands) */
  private files = 0;
  private readonly connections = new SummaryStore();
  private readonly flows: FlowTable;
  private readonly view = newPacketView();
  /** IPv4 and IPv6 fragments (bounded by datagrams, bytes and capture-time timeout) */
  private readonly fragments: IpReassembler;
  /** per-file decode status counters: statusCounts[file * N + status] */
  private statusCounts = new Float64Array(16 * DECODE_STATUS_NAMES.length);
  private bytesDone = 0;
  private firstMicros: number | null = null;

  constructor(private readonly opts: PacketPassOptions) {
    this.fragments = new IpReassembler(opts.limits);
    this.flows = new FlowTable({ limits: opts.limits, diag: opts.diag, certs: opts.certs, onConnection: (c) => this.connections.add(c) });
  }

  /** Capture files on disk: read together, merged by time (a handshake may straddle two files). */
  async runFiles(paths: string[]): Promise<void> {
    const readers: CaptureReader[] = [];
    try {
      const bufferSize = mergeBufferSize(paths.length);
      for (const path of paths) {
        const src = await fileByteSource(path);
        readers.push(await openCapture(src, { path, fileIndex: this.files + readers.length, limits: this.opts.limits, diag: this.opts.diag, bufferSize }));
      }
      await this.run(readers);
    } finally {
      for (const r of readers) await r.close().catch(() => undefined);
    }
  }

  /** One capture file of a folder, read from disk like `runFiles` but alone, its problems anomalies like a member's. */
  async runFileMember(path: string, file: string): Promise<void> {
    await this.runMember(path, async () => fileByteSource(file));
  }

  /** One capture from a stream (an archive member), read to its end. */
  async runStream(path: string, stream: AsyncIterable<Uint8Array>, size: number | null): Promise<void> {
    if (!(await this.runMember(path, async () => iterableByteSource(stream, size)))) {
      for await (const _ of stream) void _; // the member's bytes must be consumed before the next member
    }
  }

  /** Open and read one member capture; false when it could not be opened (inside a bundle or folder an anomaly, not a usage error). */
  private async runMember(path: string, source: () => Promise<ByteSource>): Promise<boolean> {
    let reader: CaptureReader;
    try {
      reader = await openCapture(await source(), { path, fileIndex: this.files, limits: this.opts.limits, diag: this.opts.diag });
    } catch (e) {
      this.opts.diag.add('archive.bad_capture', 'anomaly', { detail: `${path}: ${(e as Error).message}` });
      return false;
    }
    try {
      await this.run([reader]);
    } finally {
      await reader.close().catch(() => undefined);
    }
    return true;
  }

  private async run(readers: CaptureReader[]): Promise<void> {
    const base = this.files;
    this.files += readers.length;
    if (this.files > this.statusCounts.length / DECODE_STATUS_NAMES.length) {
      const grown = new Float64Array(this.files * 2 * DECODE_STATUS_NAMES.length);
      grown.set(this.statusCounts);
      this.statusCounts = grown;
    }
    const view = this.view;
    const flows = this.flows;
    const counts = this.statusCounts;
    const nStatus = DECODE_STATUS_NAMES.length;
    const fragments = this.fragments;
    const onPacket = (rec: PacketRecord): void => {
      let st = decodePacket(rec, view);
      if (st === DecodeStatus.fragment) st = fragments.add(rec, view);
      if (st === DecodeStatus.ok) flows.packet(view, rec);
      else counts[rec.fileIndex * nStatus + st]++;
    };
    const progress = this.opts.onProgress;
    const done0 = this.bytesDone;
    await forEachPacket(readers, onPacket, progress ? (n) => progress({ bytesRead: done0 + n, totalBytes: this.opts.totalBytes }) : undefined);
    for (let i = 0; i < readers.length; i++) {
      const r = readers[i];
      this.bytesDone += r.stats.bytesRead;
      this.captures[base + i] = this.captureInfo(r);
      if (r.stats.firstMicros !== null && (this.firstMicros === null || r.stats.firstMicros < this.firstMicros)) this.firstMicros = r.stats.firstMicros;
    }
  }

  private captureInfo(r: CaptureReader): CaptureInfo {
    const nStatus = DECODE_STATUS_NAMES.length;
    let errors = r.stats.decodeErrors;
    for (let s = 1; s < nStatus; s++) {
      const n = this.statusCounts[r.fileIndex * nStatus + s];
      if (n === 0) continue;
      const severity = ERROR_STATUSES.includes(s) ? 'anomaly' : 'warning';
      this.opts.diag.add(`decode.${DECODE_STATUS_NAMES[s]}`, severity, { file: r.fileIndex, detail: `${n} packets in ${r.path}` }, n);
      if (ERROR_STATUSES.includes(s)) errors += n;
    }
    return {
      path: r.path,
      format: r.format,
      link_types: [...new Set(r.stats.linkTypes.map(linkTypeName))],
      packets: r.stats.packets,
      bytes: r.stats.bytes,
      first_packet: isoFromMicros(r.stats.firstMicros),
      last_packet: isoFromMicros(r.stats.lastMicros),
      decode_errors: errors,
      truncated: r.stats.truncated,
    };
  }

  /** The capture's year (for logs without a year), from the first packet seen so far. */
  yearHint(): number | undefined {
    return this.firstMicros === null ? undefined : new Date(this.firstMicros / 1000).getUTCFullYear();
  }

  /** End of all input: flush flows; connections (in order of first packet, by `get(i)`). */
  finish(): SummaryStore {
    this.flows.finish();
    const versions = [[4, this.fragments.counters, 'IPv4 datagrams', 'datagrams'], [6, this.fragments.counters6, 'IPv6 packets', 'IPv6 packets']] as const;
    for (const [v, f, whole, dropped] of versions) {
      if (f.completed > 0) this.opts.diag.add(`decode.ipv${v}_reassembled`, 'warning', { detail: `${f.completed} fragmented ${whole} reassembled` }, f.completed);
      if (f.dropped > 0) this.opts.diag.add(`decode.ipv${v}_fragments_dropped`, 'anomaly', { detail: `${f.dropped} incomplete or over-limit fragmented ${dropped} dropped` }, f.dropped);
    }
    return this.connections;
  }
}
