/** Packet decoding: PacketRecord → PacketView (re-exports only). */
export { DEFAULT_REASSEMBLY_LIMITS, Ipv4Reassembler, type ReassemblyCounters, type ReassemblyLimits } from './ipv4-reassembly.js';
export { DECODABLE_LINK_TYPES, decodePacket } from './link.js';
export { DECODE_STATUS_NAMES, DecodeStatus, formatIp, newPacketView, TcpFlag, type PacketView } from './packet-view.js';
