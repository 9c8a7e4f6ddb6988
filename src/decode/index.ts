/** Packet decoding: PacketRecord → PacketView (re-exports only). */
export { IpReassembler, type ReassemblyCounters, type ReassemblyLimits } from './ip-reassembly.js';
export { DECODABLE_LINK_TYPES, decodePacket } from './link.js';
export { DECODE_STATUS_NAMES, DecodeStatus, formatIp, newPacketView, TcpFlag, type PacketView } from './packet-view.js';
