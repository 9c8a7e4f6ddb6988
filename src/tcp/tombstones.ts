/**
 * Finished flows, remembered compactly so their later packets (retransmissions, ACKs, FIN/RST,
 * encrypted bulk data) cost one lookup and create nothing; bounded by `maxTombstones` (oldest
 * forgotten first). The client's initial sequence number is kept so that a new connection
 * reusing the 4-tuple (a SYN with another ISN) is recognised, while a retransmitted SYN is not.
 */
import { FingerprintTable } from './fingerprint-table.js';

const ISN = 0, HAS_ISN = 1;

export class Tombstones {
  private readonly t: FingerprintTable;

  constructor(max: number) {
    this.t = new FingerprintTable(max, [Uint32Array, Uint8Array]);
  }

  get size(): number {
    return this.t.size;
  }

  /** Slot of the tombstone, or -1. */
  find(h1: number, h2: number): number {
    return this.t.find(h1, h2);
  }

  /** The client's ISN recorded at `slot`, or -1 when unknown. */
  isnAt(slot: number): number {
    return this.t.cols[HAS_ISN][slot] !== 0 ? this.t.cols[ISN][slot] : -1;
  }

  /** Remember a finished flow (replacing an older entry for the same fingerprint). */
  add(h1: number, h2: number, clientIsn: number): void {
    const old = this.t.find(h1, h2);
    if (old >= 0) this.t.deleteSlot(old);
    const slot = this.t.insert(h1, h2);
    this.t.cols[ISN][slot] = clientIsn >= 0 ? clientIsn : 0;
    this.t.cols[HAS_ISN][slot] = clientIsn >= 0 ? 1 : 0;
  }

  /** Forget the tombstone at `slot` (its 4-tuple starts a new connection). */
  deleteSlot(slot: number): void {
    this.t.deleteSlot(slot);
  }
}
