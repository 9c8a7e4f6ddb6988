/** Capture input: bytes → PacketRecord (re-exports only). */
export { fileByteSource, iterableByteSource, type ByteSource } from './byte-source.js';
export type { CaptureReader, CaptureStats } from './capture-reader.js';
export { forEachPacket, type OnPacket, type OnProgress } from './for-each-packet.js';
export { DEFAULT_BUFFER_SIZE, openCapture, type OpenCaptureOptions } from './open-capture.js';
export { LinkType, linkTypeName, newPacketRecord, type PacketRecord } from './packet-record.js';
export { sniffFormat, SNIFF_BYTES, type SniffedFormat } from './sniff.js';
