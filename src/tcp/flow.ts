/**
 * One TCP connection that carries payload: its endpoints as numbers (direction 0 = the sender of
 * the first payload packet), TCP handshake facts, the two half-streams and the TLS session.
 * (Connections without payload yet live as rows of the embryo table, embryos.ts.) Flows are
 * linked into a hash-bucket chain and an LRU list (no per-packet allocation).
 */
import type { PacketView } from '../decode/packet-view.js';
import type { TlsSession } from '../tls/tls-session.js';
import { HalfStream } from './half-stream.js';

/** Lifecycle: carrying data → closing (RST, grace period for data in flight). */
export const FlowState = { live: 0, closing: 1 } as const;
export type FlowState = (typeof FlowState)[keyof typeof FlowState];

export class Flow {
  ipVersion: 4 | 6;
  a0: number; a1: number; a2: number; a3: number; aPort: number;
  b0: number; b1: number; b2: number; b3: number; bPort: number;
  /** bit d: a SYN (or SYN/ACK) was seen from direction d */
  synBits = 0;
  /** bit d: a FIN was seen from direction d */
  finBits = 0;
  /** an RST was seen */
  rst = false;
  isn0 = 0;
  isn1 = 0;
  /** direction of the SYN sender (client), -1 unknown */
  synClientDir = -1;
  lastMicros: number;
  readonly streams: [HalfStream, HalfStream];
  readonly session: TlsSession;
  /** bytes this flow holds (out-of-order segments + TLS partial messages), as last accounted */
  buffered = 0;
  nextInBucket: Flow | null = null;
  prev: Flow | null = null;
  next: Flow | null = null;
  /** which FlowTable list holds the flow (FlowState) */
  state: FlowState = FlowState.live;
  /** capture time after which a closing flow (RST seen, or FIN with holes) is closed */
  closeAt = 0;

  constructor(
    readonly id: number,
    readonly hash: number,
    /** second, independent hash (tombstone fingerprint) */
    readonly hash2: number,
    v: PacketView,
    readonly startMicros: number,
    readonly firstPacket: number,
    readonly fileIndex: number,
    session: TlsSession,
    maxOutOfOrder: number,
  ) {
    this.ipVersion = v.ipVersion;
    this.a0 = v.src0; this.a1 = v.src1; this.a2 = v.src2; this.a3 = v.src3; this.aPort = v.srcPort;
    this.b0 = v.dst0; this.b1 = v.dst1; this.b2 = v.dst2; this.b3 = v.dst3; this.bPort = v.dstPort;
    this.lastMicros = startMicros;
    this.session = session;
    this.streams = [new HalfStream(0, maxOutOfOrder), new HalfStream(1, maxOutOfOrder)];
  }

  /** 0 when the view goes a→b, 1 when b→a, -1 when it is another flow. */
  directionOf(v: PacketView): number {
    if (v.ipVersion !== this.ipVersion) return -1;
    if (v.srcPort === this.aPort && v.dstPort === this.bPort && v.src0 === this.a0 && v.dst0 === this.b0
      && v.src1 === this.a1 && v.src2 === this.a2 && v.src3 === this.a3
      && v.dst1 === this.b1 && v.dst2 === this.b2 && v.dst3 === this.b3) return 0;
    if (v.srcPort === this.bPort && v.dstPort === this.aPort && v.src0 === this.b0 && v.dst0 === this.a0
      && v.src1 === this.b1 && v.src2 === this.b2 && v.src3 === this.b3
      && v.dst1 === this.a1 && v.dst2 === this.a2 && v.dst3 === this.a3) return 1;
    return -1;
  }

  synSeen(dir: number): boolean {
    return (this.synBits & (1 << dir)) !== 0;
  }

  isn(dir: number): number {
    return dir === 0 ? this.isn0 : this.isn1;
  }

  setIsn(dir: number, isn: number): void {
    if (dir === 0) this.isn0 = isn; else this.isn1 = isn;
    this.synBits |= 1 << dir;
  }
}

/** Doubly linked list of flows, oldest (least recently active) first. */
export class FlowList {
  head: Flow | null = null;
  tail: Flow | null = null;
  size = 0;

  append(f: Flow): void {
    f.prev = this.tail;
    f.next = null;
    if (this.tail !== null) this.tail.next = f; else this.head = f;
    this.tail = f;
    this.size++;
  }

  remove(f: Flow): void {
    if (f.prev !== null) f.prev.next = f.next; else this.head = f.next;
    if (f.next !== null) f.next.prev = f.prev; else this.tail = f.prev;
    f.prev = f.next = null;
    this.size--;
  }

  /** Mark as most recently active. */
  touch(f: Flow): void {
    if (this.tail === f) return;
    this.remove(f);
    this.append(f);
  }
}
