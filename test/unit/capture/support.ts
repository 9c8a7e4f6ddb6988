/** Shared helpers for the capture tests: open in-memory bytes and collect packets (copied). */
import { iterableByteSource } from '../../../src/capture/byte-source.js';
import type { CaptureReader } from '../../../src/capture/capture-reader.js';
import { forEachPacket } from '../../../src/capture/for-each-packet.js';
import { openCapture } from '../../../src/capture/open-capture.js';
import { Diagnostics } from '../../../src/diagnostics/diagnostics.js';
import { DEFAULT_LIMITS, type Limits } from '../../../src/options.js';

export interface Collected {
  index: number;
  fileIndex: number;
  tsMicros: number;
  caplen: number;
  origlen: number;
  linkType: number;
  bytes: Uint8Array;
}

/** Yield `bytes` in chunks of `chunk` bytes (default: one chunk). */
export async function* chunks(bytes: Uint8Array, chunk = bytes.length || 1): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < bytes.length; o += chunk) yield bytes.subarray(o, Math.min(bytes.length, o + chunk));
}

export interface OpenOpts {
  bufferSize?: number;
  readAhead?: boolean;
  chunk?: number;
  limits?: Partial<Limits>;
  diag?: Diagnostics;
  fileIndex?: number;
  path?: string;
}

export async function openBytes(bytes: Uint8Array, o: OpenOpts = {}): Promise<CaptureReader> {
  return openCapture(iterableByteSource(chunks(bytes, o.chunk), bytes.length), {
    path: o.path ?? 'mem.pcap', fileIndex: o.fileIndex ?? 0,
    limits: { ...DEFAULT_LIMITS, ...o.limits }, diag: o.diag ?? new Diagnostics(), bufferSize: o.bufferSize, readAhead: o.readAhead,
  });
}

export function collector(): { list: Collected[]; on: (rec: import('../../../src/capture/packet-record.js').PacketRecord) => void } {
  const list: Collected[] = [];
  return {
    list,
    on: (rec) => list.push({
      index: rec.index, fileIndex: rec.fileIndex, tsMicros: rec.tsMicros, caplen: rec.caplen, origlen: rec.origlen,
      linkType: rec.linkType, bytes: rec.data.slice(rec.offset, rec.offset + rec.caplen),
    }),
  };
}

/** Open, read everything, close; returns the packets (copied), the reader and the diagnostics. */
export async function readAll(bytes: Uint8Array, o: OpenOpts = {}): Promise<{ packets: Collected[]; reader: CaptureReader; diag: Diagnostics }> {
  const diag = o.diag ?? new Diagnostics();
  const reader = await openBytes(bytes, { ...o, diag });
  const c = collector();
  await forEachPacket([reader], c.on);
  await reader.close();
  return { packets: c.list, reader, diag };
}
