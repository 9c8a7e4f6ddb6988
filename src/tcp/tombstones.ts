/**
 * Finished flows, remembered compactly so their later packets (retransmissions, ACKs, FIN/RST,
 * encrypted bulk data) cost one lookup and create nothing; bounded by `maxTombstones` (oldest
 * forgotten first). The client's initial sequence number is kept so that a new connection
 * reusing the 4-tuple (a SYN with another ISN) is recognised, while a retransmitted SYN is not.
 *
 * A tombstone whose connection has ended (a FIN each way, or an RST) is forgotten a grace period of
 * capture time later: a capture of millions of short connections keeps as many tombstones as it has
 * connections open or just closed, not one per connection it ever saw. Packets after that (a last
 * ACK, a retransmitted FIN) create nothing either: bare ACKs and FINs never start a flow. One that sees
 * no packet for the idle timeout (capture time) is forgotten too, like an idle flow: a later packet of
 * it starts a flow again ("capture starts mid-connection").
 */
import { FingerprintTable } from './fingerprint-table.js';
import { KeyRing } from './key-ring.js';
import type { PacketClock } from './packet-clock.js';

const ISN = 0, FLAGS = 1, SIDE = 2, LAST = 3;
/** FLAGS bits: the ISN is known; a FIN came from side A (the endpoint hashed in SIDE) / from side B; ended */
const HAS_ISN = 1, FIN_A = 2, FIN_B = 4, ENDED = 8;

export class Tombstones {
  private readonly t: FingerprintTable;
  /** tombstones of ended connections with the capture time to forget them at, in the order they ended (stale ones are skipped) */
  private readonly ended = new KeyRing(true);

  constructor(
    private readonly max: number,
    /** `clock`: the flow table's capture time (entries are stamped with, and expire by, `clock.now`) */
    private readonly clock: PacketClock,
    /** how long an ended connection's tombstone is kept (capture time) */
    private readonly graceMicros = 2_000_000,
  ) {
    this.t = new FingerprintTable(max, [Uint32Array, Uint8Array, Int32Array, Float64Array]);
  }

  get size(): number {
    return this.t.size;
  }

  /** Tombstones of ended connections waiting for their grace period to pass. */
  get endedPending(): number {
    return this.ended.length;
  }

  /** Capture time at which the longest-ended tombstone is forgotten (Infinity when none waits). */
  nextEndedTime(): number {
    return this.ended.length > 0 ? this.ended.headTime() : Infinity;
  }

  /** Slot of the tombstone, or -1. */
  find(h1: number, h2: number): number {
    return this.t.find(h1, h2);
  }

  /** The client's ISN recorded at `slot`, or -1 when unknown. */
  isnAt(slot: number): number {
    return (this.t.cols[FLAGS][slot] & HAS_ISN) !== 0 ? this.t.cols[ISN][slot] : -1;
  }

  /**
   * Remember a finished flow (replacing an older entry for the same fingerprint). `sideA` is the hash
   * of one endpoint (flow-key.ts sideEndpointHash), to tell the two directions' FINs apart later;
   * `ended` when the connection already closed (a FIN each way or an RST).
   */
  add(h1: number, h2: number, clientIsn: number, sideA: number, ended: boolean): void {
    const old = this.t.find(h1, h2);
    if (old >= 0) this.t.deleteSlot(old);
    const slot = this.t.insert(h1, h2);
    this.t.cols[ISN][slot] = clientIsn >= 0 ? clientIsn : 0;
    this.t.cols[FLAGS][slot] = clientIsn >= 0 ? HAS_ISN : 0;
    this.t.cols[SIDE][slot] = sideA;
    this.t.cols[LAST][slot] = this.clock.now;
    if (ended) this.end(slot, h1, h2);
  }

  /** A packet of the tombstone in `slot` was seen now (it is not idle). */
  touch(slot: number): void {
    this.t.cols[LAST][slot] = this.clock.now;
  }

  /**
   * Forget tombstones with no packet for `idleMicros` of capture time, looking at up to `budget` entries
   * in use (oldest first; each one in use goes to the back of the queue): the work per call is bounded.
   */
  expireIdle(idleMicros: number, budget: number): void {
    const limitMicros = this.clock.now - idleMicros;
    const last = this.t.cols[LAST];
    for (let seen = 0; seen < budget; seen++) {
      const slot = this.t.oldest();
      if (slot < 0) return;
      if (last[slot] < limitMicros) this.t.deleteSlot(slot);
      else this.t.requeueOldest();
    }
  }

  /** A FIN (from the endpoint hashed `src`) or an RST at the tombstone in `slot`. */
  close(slot: number, h1: number, h2: number, src: number, rst: boolean): void {
    const flags = this.t.cols[FLAGS];
    let f = flags[slot];
    if ((f & ENDED) !== 0) return;
    f |= rst ? FIN_A | FIN_B : src === this.t.cols[SIDE][slot] ? FIN_A : FIN_B;
    flags[slot] = f;
    if ((f & (FIN_A | FIN_B)) === (FIN_A | FIN_B)) this.end(slot, h1, h2);
  }

  /** Forget the tombstones of connections that ended more than the grace period ago. */
  expire(): void {
    const q = this.ended, now = this.clock.now;
    while (q.length > 0 && q.headTime() < now) this.forgetHead();
  }

  /** Forget the tombstone at `slot` (its 4-tuple starts a new connection). */
  deleteSlot(slot: number): void {
    this.t.deleteSlot(slot);
  }

  private end(slot: number, h1: number, h2: number): void {
    this.t.cols[FLAGS][slot] |= ENDED;
    // (read before forgetting another: a deletion may move this entry to another slot)
    const gen = this.t.genAt(slot);
    // bounded even when capture time stands still: the longest-ended is forgotten early
    if (this.ended.length >= this.max) this.forgetHead();
    this.ended.push(h1, h2, gen, this.clock.now + this.graceMicros);
  }

  private forgetHead(): void {
    const q = this.ended;
    const slot = this.t.find(q.head1(), q.head2());
    // (stale when the tombstone was replaced or evicted since: another generation, or gone)
    if (slot >= 0 && this.t.genAt(slot) === q.headGen()) this.t.deleteSlot(slot);
    q.shift();
  }
}
