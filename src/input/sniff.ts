/**
 * Content type by magic bytes, never by extension:
 * - pcap: a1b2c3d4 / a1b23c4d (ns) / a1b2cd34 (Kuznetzov), either byte order (libpcap savefile)
 * - pcapng: Section Header Block type 0a0d0d0a (draft-ietf-opsawg-pcapng §4.1)
 * - gzip: 1f 8b 08 (RFC 1952 §2.3.1)
 * - zip: `PK\3\4` local header, `PK\5\6` empty archive (APPNOTE.TXT §4.3.7, §4.3.16)
 * - tar: `ustar` at offset 257 (POSIX.1-1988 / GNU), or a v7 header whose checksum verifies
 * - bzip2 `BZh`, xz fd 37 7a 58 5a 00, 7z 37 7a bc af 27 1c: recognised only to say "unsupported"
 * - PEM: `-----BEGIN ` after optional BOM / whitespace (RFC 7468)
 * - text: no NUL and mostly printable
 */
export type Sniffed = 'pcap' | 'pcapng' | 'gzip' | 'zip' | 'tar' | 'bzip2' | 'xz' | '7z' | 'pem' | 'text' | 'empty' | 'unknown';

/** bytes to read for a reliable answer (tar needs the whole first header) */
export const SNIFF_BYTES = 512;

const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xa1b23c4d, 0xa1b2cd34]);

function u32be(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
function u32le(b: Uint8Array, o: number): number {
  return ((b[o + 3] << 24) | (b[o + 2] << 16) | (b[o + 1] << 8) | b[o]) >>> 0;
}

/** POSIX tar header checksum: sum of the 512 bytes with the checksum field read as spaces. */
export function tarChecksumOk(h: Uint8Array): boolean {
  if (h.length < 512) return false;
  const field = new TextDecoder('latin1').decode(h.subarray(148, 156)).replace(/[\0 ]+$/g, '').trim();
  if (!/^[0-7]{1,7}$/.test(field)) return false;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return sum === parseInt(field, 8) && h[0] !== 0;
}

function isText(b: Uint8Array): boolean {
  let bad = 0;
  for (const c of b) {
    if (c === 0) return false;
    if (c < 0x09 || (c > 0x0d && c < 0x20 && c !== 0x1b) || c === 0x7f) bad++;
  }
  return bad * 20 <= b.length;
}

export function sniff(b: Uint8Array): Sniffed {
  if (b.length === 0) return 'empty';
  if (b.length >= 4) {
    const be = u32be(b, 0);
    if (PCAP_MAGICS.has(be) || PCAP_MAGICS.has(u32le(b, 0))) return 'pcap';
    if (be === 0x0a0d0d0a) return 'pcapng';
    if (b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6))) return 'zip';
  }
  if (b.length >= 3 && b[0] === 0x1f && b[1] === 0x8b && b[2] === 0x08) return 'gzip';
  if (b.length >= 262 && String.fromCharCode(...b.subarray(257, 262)) === 'ustar') return 'tar';
  if (tarChecksumOk(b)) return 'tar';
  if (b.length >= 3 && b[0] === 0x42 && b[1] === 0x5a && b[2] === 0x68) return 'bzip2';
  if (b.length >= 6 && b[0] === 0xfd && b[1] === 0x37 && b[2] === 0x7a && b[3] === 0x58 && b[4] === 0x5a && b[5] === 0) return 'xz';
  if (b.length >= 6 && b[0] === 0x37 && b[1] === 0x7a && b[2] === 0xbc && b[3] === 0xaf && b[4] === 0x27 && b[5] === 0x1c) return '7z';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 64)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('-----BEGIN ')) return 'pem';
  return isText(b) ? 'text' : 'unknown';
}

export function isCaptureKind(s: Sniffed): boolean {
  return s === 'pcap' || s === 'pcapng';
}

export function isContainerKind(s: Sniffed): boolean {
  return s === 'tar' || s === 'zip';
}
