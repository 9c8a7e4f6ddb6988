/**
 * A FIFO of fingerprints (two 32-bit hashes and the generation of the table entry they named, so an
 * entry deleted and inserted again is not mistaken for the one queued), optionally with a time each,
 * in typed arrays grown by doubling: no object per entry. The fingerprint table keeps its entries'
 * age order in one; the tombstones keep their ended connections' deadlines in another.
 */
export class KeyRing {
  private k1 = new Int32Array(64);
  private k2 = new Int32Array(64);
  private gens = new Uint32Array(64);
  private times: Float64Array | null;
  private first = 0;
  private n = 0;

  constructor(withTimes = false) {
    this.times = withTimes ? new Float64Array(64) : null;
  }

  get length(): number {
    return this.n;
  }

  /** entries the ring holds before it must grow */
  get capacity(): number {
    return this.k1.length;
  }

  push(h1: number, h2: number, gen: number, time = 0): void {
    if (this.n === this.k1.length) this.resize(this.n * 2);
    const i = (this.first + this.n) & (this.k1.length - 1);
    this.k1[i] = h1; this.k2[i] = h2; this.gens[i] = gen;
    if (this.times !== null) this.times[i] = time;
    this.n++;
  }

  head1(): number { return this.k1[this.first]; }
  head2(): number { return this.k2[this.first]; }
  headGen(): number { return this.gens[this.first]; }
  headTime(): number { return this.times === null ? 0 : this.times[this.first]; }

  /** Drop the head (the ring must not be empty). */
  shift(): void {
    this.first = (this.first + 1) & (this.k1.length - 1);
    this.n--;
  }

  /** Keep, in order, only the entries `keep` accepts. */
  retain(keep: (h1: number, h2: number, gen: number) => boolean): void {
    const mask = this.k1.length - 1, t = this.times;
    let w = 0;
    for (let k = 0; k < this.n; k++) {
      const i = (this.first + k) & mask;
      if (!keep(this.k1[i], this.k2[i], this.gens[i])) continue;
      const j = (this.first + w) & mask;
      this.k1[j] = this.k1[i]; this.k2[j] = this.k2[i]; this.gens[j] = this.gens[i];
      if (t !== null) t[j] = t[i];
      w++;
    }
    this.n = w;
  }

  private resize(m: number): void {
    const mask = this.k1.length - 1, t = this.times;
    const k1 = new Int32Array(m), k2 = new Int32Array(m), gens = new Uint32Array(m), times = t === null ? null : new Float64Array(m);
    for (let k = 0; k < this.n; k++) {
      const i = (this.first + k) & mask;
      k1[k] = this.k1[i]; k2[k] = this.k2[i]; gens[k] = this.gens[i];
      if (times !== null) times[k] = t![i];
    }
    this.k1 = k1; this.k2 = k2; this.gens = gens; this.times = times;
    this.first = 0;
  }
}
