/**
 * Recognise an input by its first bytes (magic numbers), never by its file name.
 *
 * - classic pcap (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html §4): magic
 *   0xA1B2C3D4 (µs) or 0xA1B23C4D (ns), in either byte order;
 * - pcapng (draft-ietf-opsawg-pcapng §4.1): Section Header Block type 0x0A0D0D0A (a palindrome);
 * - gzip (RFC 1952 §2.3.1): ID1 ID2 = 1f 8b;
 * - tar (POSIX ustar): "ustar" at offset 257;
 * - zip (PKWARE APPNOTE 4.3.7): local file header "PK\x03\x04".
 */
export type SniffedFormat = 'pcap' | 'pcapng' | 'gzip' | 'tar' | 'zip' | 'unknown';

/** Bytes worth reading before calling `sniffFormat` (tar needs 262). */
export const SNIFF_BYTES = 512;

function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** Classify the start of an input (pass at least `SNIFF_BYTES` bytes when available). */
export function sniffFormat(head: Uint8Array): SniffedFormat {
  if (head.length >= 4) {
    const m = u32be(head, 0);
    if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1) return 'pcap';
    if (m === 0x0a0d0d0a) return 'pcapng';
    if (m === 0x504b0304) return 'zip';
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 262 &&
      head[257] === 0x75 && head[258] === 0x73 && head[259] === 0x74 && head[260] === 0x61 && head[261] === 0x72) {
    return 'tar';
  }
  return 'unknown';
}
