/**
 * One captured packet as the readers hand it out.
 *
 * Ownership rule (gopacket ScatterGather): the record and `data` are reused by the reader;
 * `data[offset .. offset+caplen)` is valid only until the reader's next `next()`/`fill()`.
 * Anything kept must be copied.
 */
export interface PacketRecord {
  /** buffer holding the packet bytes (a view into the reader's reused buffer) */
  data: Uint8Array;
  /** offset of the first packet byte in `data` */
  offset: number;
  /** bytes captured (≤ snaplen) */
  caplen: number;
  /** length on the wire */
  origlen: number;
  /** capture time, integer microseconds since the Unix epoch (UTC) */
  tsMicros: number;
  /** libpcap LINKTYPE_* value of the interface the packet came from */
  linkType: number;
  /** 1-based packet number within its capture file (as Wireshark numbers frames) */
  index: number;
  /** index of the capture file in the run (0-based) */
  fileIndex: number;
}

export function newPacketRecord(): PacketRecord {
  return { data: new Uint8Array(0), offset: 0, caplen: 0, origlen: 0, tsMicros: 0, linkType: 0, index: 0, fileIndex: 0 };
}

/** libpcap LINKTYPE_* values we decode (https://www.tcpdump.org/linktypes.html). */
export const LinkType = {
  NULL: 0,
  EN10MB: 1,
  RAW_OPENBSD: 12,
  RAW_BSDOS: 14,
  PPP_ETHER: 51,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;
export type LinkType = (typeof LinkType)[keyof typeof LinkType];

const LINK_NAMES: Record<number, string> = {
  0: 'NULL', 1: 'EN10MB', 9: 'PPP', 12: 'RAW', 14: 'RAW', 51: 'PPP_ETHER', 101: 'RAW', 105: 'IEEE802_11',
  108: 'LOOP', 113: 'LINUX_SLL', 127: 'IEEE802_11_RADIOTAP', 228: 'IPV4', 229: 'IPV6', 276: 'LINUX_SLL2',
};

/** LINKTYPE name as libpcap spells it; unknown values print as `LINKTYPE_<n>`. */
export function linkTypeName(lt: number): string {
  return LINK_NAMES[lt] ?? `LINKTYPE_${lt}`;
}
