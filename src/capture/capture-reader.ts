/**
 * The reader contract shared by the classic pcap and pcapng readers (the machinery they share is in
 * buffered-reader.ts).
 */
import type { PacketRecord } from './packet-record.js';

export interface CaptureStats {
  /** packets handed out */
  packets: number;
  /** sum of caplen of the packets handed out */
  bytes: number;
  /** earliest and latest packet timestamp (µs since the epoch), null before the first packet */
  firstMicros: number | null;
  lastMicros: number | null;
  /** blocks/records that could not be read (bad lengths, unknown interface, ...) */
  decodeErrors: number;
  /** the file ended inside a record/block (or a damaged gzip stream ended early) */
  truncated: boolean;
  /** distinct LINKTYPE_* values declared by the file, in order of appearance */
  linkTypes: number[];
  /** bytes read from the underlying source (compressed bytes for gzip input), for progress */
  bytesRead: number;
}

export interface CaptureReader {
  readonly path: string;
  readonly fileIndex: number;
  readonly format: 'pcap' | 'pcapng';
  readonly stats: CaptureStats;
  readonly compressed: boolean;
  /** Sync: fill `rec` (reused) with the next packet in the buffer; false when more bytes are needed or at EOF. */
  next(rec: PacketRecord): boolean;
  /** Read more bytes; false at EOF (or when the file was abandoned). */
  fill(): Promise<boolean>;
  close(): Promise<void>;
}

export function newCaptureStats(): CaptureStats {
  return { packets: 0, bytes: 0, firstMicros: null, lastMicros: null, decodeErrors: 0, truncated: false, linkTypes: [], bytesRead: 0 };
}
