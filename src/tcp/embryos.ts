/**
 * Connections seen only by their handshake (SYN, SYN/ACK) and no payload yet. They are kept as
 * rows of typed arrays, not objects (a SYN flood to a million ports allocates nothing per SYN),
 * bounded (oldest forgotten first) and expired by capture time. When the first payload arrives,
 * the row becomes a Flow: the id, first packet and ISNs it recorded are handed over.
 *
 * The client is identified by a hash of its endpoint (address + port), so the direction of the
 * later payload packet can be told apart without storing addresses.
 */
import { FingerprintTable } from './fingerprint-table.js';
import type { PacketClock } from './packet-clock.js';

const ID = 0, START = 1, LAST = 2, FIRST_PACKET = 3, FILE = 4, CLIENT = 5, ISN_C = 6, ISN_S = 7, BITS = 8;

/** syn / synAck: seen (with their ISNs); closed: a FIN or RST followed (a retransmitted SYN revives it) */
export const EmbryoBits = { syn: 1, synAck: 2, closed: 4 } as const;

/** What an embryo hands over when its connection carries data. */
export interface Embryo {
  id: number;
  startMicros: number;
  firstPacket: number;
  fileIndex: number;
  /** endpoint hash of the client (SYN sender / SYN-ACK receiver) */
  client: number;
  isnClient: number;
  isnServer: number;
  bits: number;
}

export class Embryos {
  private readonly t: FingerprintTable;

  /** `clock`: the flow table's capture time, which rows are stamped with */
  constructor(max: number, private readonly clock: PacketClock) {
    this.t = new FingerprintTable(max, [Float64Array, Float64Array, Float64Array, Float64Array, Int32Array, Int32Array, Uint32Array, Uint32Array, Uint8Array]);
  }

  get size(): number {
    return this.t.size;
  }

  /** rows forgotten because the table was full (e.g. a SYN flood) */
  get evictions(): number {
    return this.t.evictions;
  }

  find(h1: number, h2: number): number {
    return this.t.find(h1, h2);
  }

  /** Record a new connection attempt (its first packet is the one the clock is on). */
  create(h1: number, h2: number, id: number, client: number): number {
    const s = this.t.insert(h1, h2);
    const c = this.t.cols, k = this.clock;
    c[ID][s] = id; c[START][s] = k.ts; c[LAST][s] = k.ts; c[FIRST_PACKET][s] = k.packet; c[FILE][s] = k.file;
    c[CLIENT][s] = client; c[ISN_C][s] = 0; c[ISN_S][s] = 0; c[BITS][s] = 0;
    return s;
  }

  /**
   * SYN from the client (`isn`), or SYN/ACK from the server. Returns false when the SYN carries
   * another ISN than the one recorded: that is a new connection attempt on the same 4-tuple.
   */
  handshake(slot: number, synAck: boolean, isn: number): boolean {
    const c = this.t.cols;
    const bits = c[BITS][slot];
    if (!synAck && (bits & EmbryoBits.syn) !== 0 && c[ISN_C][slot] !== isn >>> 0) return false;
    c[LAST][slot] = this.clock.now;
    c[synAck ? ISN_S : ISN_C][slot] = isn; // several SYN/ACKs with different ISNs: the last one before data counts
    c[BITS][slot] = (bits | (synAck ? EmbryoBits.synAck : EmbryoBits.syn)) & ~EmbryoBits.closed;
    return true;
  }

  /** A FIN or RST: kept (Wireshark keeps one stream when the SYN is retransmitted after an RST). */
  markClosed(slot: number): void {
    this.t.cols[BITS][slot] |= EmbryoBits.closed;
  }

  clientAt(slot: number): number {
    return this.t.cols[CLIENT][slot];
  }

  isnClientAt(slot: number): number {
    return (this.t.cols[BITS][slot] & EmbryoBits.syn) !== 0 ? this.t.cols[ISN_C][slot] : -1;
  }

  /** Remove and return the row (the connection now carries data). */
  take(slot: number): Embryo {
    const c = this.t.cols;
    const e: Embryo = {
      id: c[ID][slot], startMicros: c[START][slot], firstPacket: c[FIRST_PACKET][slot], fileIndex: c[FILE][slot],
      client: c[CLIENT][slot], isnClient: c[ISN_C][slot], isnServer: c[ISN_S][slot], bits: c[BITS][slot],
    };
    this.t.deleteSlot(slot);
    return e;
  }

  delete(slot: number): void {
    this.t.deleteSlot(slot);
  }

  /** Last activity of the oldest row (the one `expire` checks first); Infinity when there is none. */
  oldestLast(): number {
    const s = this.t.oldest();
    return s < 0 ? Infinity : this.t.cols[LAST][s];
  }

  /** Forget rows idle for more than `idleMicros` of capture time (checked from the oldest insertion). */
  expire(idleMicros: number): void {
    const limitMicros = this.clock.now - idleMicros;
    for (let s = this.t.oldest(); s >= 0 && this.t.cols[LAST][s] < limitMicros; s = this.t.oldest()) this.t.deleteSlot(s);
  }
}
