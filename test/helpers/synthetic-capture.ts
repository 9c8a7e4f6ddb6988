/**
 * A large, realistic, fully in-order classic pcap (draft-ietf-opsawg-pcap; Ethernet/IPv4/TCP) for
 * performance and allocation tests: a few long-lived connections interleaved packet by packet.
 *
 * - TLS flows: three-way handshake, a TLS 1.2 handshake (ClientHello with SNI; ServerHello,
 *   Certificate, ServerHelloDone; ClientKeyExchange, ChangeCipherSpec, encrypted Finished; server
 *   ChangeCipherSpec + Finished), then bulk application_data records (RFC 5246 §6.2), one record per
 *   segment, mostly server → client, with a pure ACK from the receiver every second segment.
 * - HTTP flows: the same TCP shape carrying `GET` and a large `200 OK` body in clear text.
 * - Every flow ends with FIN/ACK from both sides.
 *
 * Frames are written straight into one preallocated buffer (no per-packet arrays), with correct
 * IPv4 header and TCP checksums (RFC 791, RFC 9293 §3.1) so that tshark accepts the file.
 */
import { DEFAULT_TS_MICROS } from './pcap-writer.js';
import { parseIp } from './packet-builder.js';
import {
  CT, ascii, ccsRecord, certificate, clientHello, clientKeyExchange, concat, fakeDer, opaqueRecord, record, serverHello, serverHelloDone,
} from './tls-builder.js';

export interface BulkFlowSpec {
  kind: 'tls' | 'http';
  client: string;
  server: string;
  sport: number;
  dport: number;
  /** SNI of the TLS ClientHello (default: none) */
  sni?: string;
}

export interface BulkCaptureOptions {
  /** total number of packets to write (handshakes and FINs included) */
  packets: number;
  /** default: 4 TLS flows and 2 HTTP flows */
  flows?: BulkFlowSpec[];
  /** TCP payload bytes of each bulk data segment (default 200) */
  segmentBytes?: number;
  /** time of the first packet, µs since the epoch */
  startMicros?: number;
  /** time between packets, µs (default 5) */
  stepMicros?: number;
  /** DER certificate chain every TLS server sends (default: a fake 600-byte DER per flow, which tshark calls malformed) */
  certificates?: Uint8Array[];
}

export interface BulkCapture {
  pcap: Uint8Array;
  packets: number;
  /** bulk data segments (after the TLS / HTTP handshakes) */
  dataSegments: number;
  tlsFlows: number;
  httpFlows: number;
}

export const DEFAULT_BULK_FLOWS: readonly BulkFlowSpec[] = [
  { kind: 'tls', client: '10.0.0.1', server: '10.0.1.1', sport: 50001, dport: 443, sni: 'bulk1.example' },
  { kind: 'tls', client: '10.0.0.2', server: '10.0.1.2', sport: 50002, dport: 8443, sni: 'bulk2.example' },
  { kind: 'http', client: '10.0.0.3', server: '10.0.1.3', sport: 50003, dport: 80 },
  { kind: 'tls', client: '10.0.0.4', server: '10.0.1.1', sport: 50004, dport: 443, sni: 'bulk3.example' },
  { kind: 'http', client: '10.0.0.5', server: '10.0.1.5', sport: 50005, dport: 8080 },
  { kind: 'tls', client: '10.0.0.6', server: '10.0.1.6', sport: 50006, dport: 6972 },
];

const SYN = 0x02, ACK = 0x10, PSH = 0x08, FIN = 0x01;
const ETH = 14, IP = 20, TCP = 20, REC = 16;

/** One packet to write: flow, direction (0 = client → server), TCP flags and payload. */
interface Pkt { flow: number; dir: 0 | 1; flags: number; payload: Uint8Array }

class FlowState {
  readonly seq: [number, number];
  readonly ipId: [number, number] = [1, 1];
  readonly src: [Uint8Array, Uint8Array];
  readonly ports: [number, number];
  constructor(readonly spec: BulkFlowSpec, i: number) {
    this.seq = [(0x10000000 * (i + 1)) >>> 0, (0xf0000000 - 0x01000000 * i) >>> 0];
    this.src = [parseIp(spec.client), parseIp(spec.server)];
    this.ports = [spec.sport, spec.dport];
  }
}

const EMPTY = new Uint8Array(0);

function tlsSetup(spec: BulkFlowSpec, i: number, chain: Uint8Array[] | undefined): Pkt[] {
  const ch = record(CT.handshake, clientHello({ sni: spec.sni, ciphers: [0xc02f, 0xc030, 0x009c] }), 0x0301);
  const flight = record(CT.handshake, concat(serverHello({ cipher: 0xc02f }), certificate(chain ?? [fakeDer(600, i + 1)]), serverHelloDone()));
  const cke = concat(record(CT.handshake, clientKeyExchange()), ccsRecord(), opaqueRecord(CT.handshake, 40));
  const fin = concat(ccsRecord(), opaqueRecord(CT.handshake, 40));
  return [
    { flow: i, dir: 0, flags: PSH | ACK, payload: ch },
    { flow: i, dir: 1, flags: PSH | ACK, payload: flight },
    { flow: i, dir: 0, flags: PSH | ACK, payload: cke },
    { flow: i, dir: 1, flags: PSH | ACK, payload: fin },
  ];
}

function httpSetup(spec: BulkFlowSpec, i: number): Pkt[] {
  const get = ascii(`GET /bulk/${i} HTTP/1.1\r\nHost: ${spec.server}\r\nUser-Agent: synthetic\r\n\r\n`);
  const head = ascii('HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000000000\r\n\r\n');
  return [
    { flow: i, dir: 0, flags: PSH | ACK, payload: get },
    { flow: i, dir: 1, flags: PSH | ACK, payload: head },
  ];
}

/** The packet list: handshakes of every flow, bulk data round-robin, then the FINs. */
function plan(flows: readonly BulkFlowSpec[], total: number, segmentBytes: number, chain: Uint8Array[] | undefined): { pkts: Pkt[]; dataSegments: number } {
  const head: Pkt[] = [];
  flows.forEach((_, i) => head.push({ flow: i, dir: 0, flags: SYN, payload: EMPTY }, { flow: i, dir: 1, flags: SYN | ACK, payload: EMPTY }, { flow: i, dir: 0, flags: ACK, payload: EMPTY }));
  flows.forEach((spec, i) => head.push(...(spec.kind === 'tls' ? tlsSetup(spec, i, chain) : httpSetup(spec, i))));
  const tail: Pkt[] = [];
  flows.forEach((_, i) => tail.push({ flow: i, dir: 0, flags: FIN | ACK, payload: EMPTY }, { flow: i, dir: 1, flags: FIN | ACK, payload: EMPTY }, { flow: i, dir: 0, flags: ACK, payload: EMPTY }));
  const bulk = total - head.length - tail.length;
  if (bulk < flows.length * 3) throw new RangeError(`buildBulkCapture: ${total} packets are too few for ${flows.length} flows`);
  // one bulk payload per flow kind, shared by every segment (only the TCP header changes)
  const appData = record(CT.appData, new Uint8Array(segmentBytes - 5).fill(0xa5));
  const body = new Uint8Array(segmentBytes).fill(0x78);
  const pkts = head;
  const target = head.length + bulk;
  let dataSegments = 0;
  for (let step = 0; pkts.length < target; step++) {
    const i = step % flows.length;
    const round = Math.floor(step / flows.length);
    const dir: 0 | 1 = round % 8 === 7 ? 0 : 1; // mostly downloads, some uploads
    pkts.push({ flow: i, dir, flags: PSH | ACK, payload: flows[i].kind === 'tls' ? appData : body });
    dataSegments++;
    if (round % 2 === 1 && pkts.length < target) pkts.push({ flow: i, dir: dir === 1 ? 0 : 1, flags: ACK, payload: EMPTY });
  }
  pkts.push(...tail);
  return { pkts, dataSegments };
}

function onesSum(b: Uint8Array, s: number, e: number, sum: number): number {
  for (let i = s; i + 1 < e; i += 2) sum += (b[i] << 8) | b[i + 1];
  if ((e - s) & 1) sum += b[e - 1] << 8;
  return sum;
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}

/** Build the capture. Deterministic: the same options give the same bytes. */
export function buildBulkCapture(o: BulkCaptureOptions): BulkCapture {
  const flowsSpec = o.flows ?? DEFAULT_BULK_FLOWS;
  const segmentBytes = o.segmentBytes ?? 200;
  if (segmentBytes < 6) throw new RangeError('segmentBytes must be ≥ 6 (one TLS record)');
  const { pkts, dataSegments } = plan(flowsSpec, o.packets, segmentBytes, o.certificates);
  const flows = flowsSpec.map((spec, i) => new FlowState(spec, i));
  let size = 24;
  for (const p of pkts) size += REC + ETH + IP + TCP + p.payload.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  // global header: magic, v2.4, thiszone 0, sigfigs 0, snaplen, LINKTYPE_ETHERNET
  dv.setUint32(0, 0xa1b2c3d4, true); dv.setUint16(4, 2, true); dv.setUint16(6, 4, true);
  dv.setUint32(16, 262144, true); dv.setUint32(20, 1, true);
  let off = 24;
  let ts = o.startMicros ?? DEFAULT_TS_MICROS;
  const step = o.stepMicros ?? 5;
  for (const p of pkts) {
    const f = flows[p.flow];
    const d = p.dir, r = 1 - d;
    const len = ETH + IP + TCP + p.payload.length;
    dv.setUint32(off, Math.floor(ts / 1e6), true); dv.setUint32(off + 4, ts % 1e6, true);
    dv.setUint32(off + 8, len, true); dv.setUint32(off + 12, len, true);
    ts += step;
    const e = off + REC;
    // Ethernet: locally administered MACs, one per endpoint side
    out.set([2, 0, 0, 0, r, p.flow, 2, 0, 0, 0, d, p.flow], e);
    dv.setUint16(e + 12, 0x0800);
    const ip = e + ETH;
    out[ip] = 0x45;
    dv.setUint16(ip + 2, IP + TCP + p.payload.length);
    dv.setUint16(ip + 4, f.ipId[d]++ & 0xffff);
    dv.setUint16(ip + 6, 0x4000);
    out[ip + 8] = 64; out[ip + 9] = 6;
    out.set(f.src[d], ip + 12); out.set(f.src[r], ip + 16);
    dv.setUint16(ip + 10, fold(onesSum(out, ip, ip + IP, 0)));
    const tcp = ip + IP;
    dv.setUint16(tcp, f.ports[d]); dv.setUint16(tcp + 2, f.ports[r]);
    dv.setUint32(tcp + 4, f.seq[d]);
    dv.setUint32(tcp + 8, (p.flags & ACK) !== 0 ? f.seq[r] : 0);
    out[tcp + 12] = (TCP / 4) << 4; out[tcp + 13] = p.flags;
    dv.setUint16(tcp + 14, 65535);
    out.set(p.payload, tcp + TCP);
    const segLen = TCP + p.payload.length;
    let sum = onesSum(out, ip + 12, ip + 20, 6 + segLen); // pseudo-header: addresses, protocol, TCP length
    sum = onesSum(out, tcp, tcp + segLen, sum);
    dv.setUint16(tcp + 16, fold(sum));
    f.seq[d] = (f.seq[d] + p.payload.length + ((p.flags & (SYN | FIN)) !== 0 ? 1 : 0)) >>> 0;
    off += REC + len;
  }
  return {
    pcap: out, packets: pkts.length, dataSegments,
    tlsFlows: flowsSpec.filter((s) => s.kind === 'tls').length, httpFlows: flowsSpec.filter((s) => s.kind === 'http').length,
  };
}
