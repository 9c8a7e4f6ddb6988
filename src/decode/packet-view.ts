/**
 * The single, reused, mutable result of decoding one packet down to TCP (gopacket
 * DecodingLayerParser idea): numbers and offsets only, no nested objects, no copies.
 *
 * Addresses: IPv4 uses `src0`/`dst0` (the address as an unsigned 32-bit number) and leaves
 * words 1..3 at zero; IPv6 uses all four 32-bit words, most significant first.
 */
export interface PacketView {
  ipVersion: 4 | 6;
  src0: number; src1: number; src2: number; src3: number;
  dst0: number; dst1: number; dst2: number; dst3: number;
  srcPort: number;
  dstPort: number;
  /** TCP sequence / acknowledgement numbers, unsigned 32-bit */
  seq: number;
  ack: number;
  /** TCP flags byte (FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10 URG=0x20 ...) */
  flags: number;
  /** TCP payload: data[payloadStart .. payloadEnd) (trimmed to the IP total length) */
  data: Uint8Array;
  payloadStart: number;
  payloadEnd: number;
  /** payload bytes that were on the wire but not captured (snaplen): > 0 means truncated */
  payloadMissing: number;
  /**
   * Offset in `data` of the IP header, set by decodePacket for `ok` and `fragment` (optional so
   * that views built elsewhere stay valid; used by IpReassembler).
   */
  ipStart?: number;
}

export function newPacketView(): PacketView {
  return {
    ipVersion: 4, src0: 0, src1: 0, src2: 0, src3: 0, dst0: 0, dst1: 0, dst2: 0, dst3: 0,
    srcPort: 0, dstPort: 0, seq: 0, ack: 0, flags: 0, data: new Uint8Array(0), payloadStart: 0, payloadEnd: 0,
    payloadMissing: 0, ipStart: 0,
  };
}

export const TcpFlag = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20 } as const;

/**
 * Result of `decodePacket`: a status code, never an exception (creating exceptions per packet is
 * expensive, and a corrupt capture can have millions of bad packets).
 */
export const DecodeStatus = {
  ok: 0,
  truncated: 1,
  unsupportedLink: 2,
  notIp: 3,
  notTcp: 4,
  badHeader: 5,
  fragment: 6,
} as const;
export type DecodeStatus = (typeof DecodeStatus)[keyof typeof DecodeStatus];
export const DECODE_STATUS_NAMES = ['ok', 'truncated', 'unsupported_link', 'not_ip', 'not_tcp', 'bad_header', 'ip_fragment'] as const;

/** Format a view's address (RFC 5952 for IPv6). Cold path only. */
export function formatIp(version: 4 | 6, w0: number, w1: number, w2: number, w3: number): string {
  if (version === 4) return `${w0 >>> 24}.${(w0 >>> 16) & 255}.${(w0 >>> 8) & 255}.${w0 & 255}`;
  const g = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  // IPv4-mapped ::ffff:a.b.c.d
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${g[6] >>> 8}.${g[6] & 255}.${g[7] >>> 8}.${g[7] & 255}`;
  }
  // longest run of zero groups (length ≥ 2), first one on ties
  let bestStart = -1, bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = (n: number) => n.toString(16);
  if (bestStart < 0) return g.map(hex).join(':');
  const head = g.slice(0, bestStart).map(hex).join(':');
  const tail = g.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}
