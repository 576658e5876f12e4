/**
 * 64-bit fingerprints of (reader, article) pairs already counted today, in an open-address
 * table of two typed arrays. A million of them take 16 MB; a Set of hash strings would
 * take well over 100 MB, and a Set of numbers about 50 MB.
 *
 * The table starts small and doubles at half full. It never holds more than
 * `maxEntries`: the caller decides what to do when it is full (see `full`).
 */
export class FingerprintSet {
  private high: Uint32Array;
  private low: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(
    readonly maxEntries: number,
    private readonly initialSlots = 1 << 12,
  ) {
    if ((initialSlots & (initialSlots - 1)) !== 0 || initialSlots < 2)
      throw new RangeError('initialSlots must be a power of two');
    this.high = new Uint32Array(initialSlots);
    this.low = new Uint32Array(initialSlots);
    this.mask = initialSlots - 1;
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count >= this.maxEntries;
  }

  /** Whether the fingerprint is remembered. */
  has(high: number, low: number): boolean {
    return this.slotOf(high >>> 0, (low | 1) >>> 0).found;
  }

  /**
   * Remembers the fingerprint; true when it is new. The slot comes from `high` and the
   * lowest bit of `low` is forced on, so an all-zero slot always means empty: 63 bits
   * are compared, a false "seen before" about once in 10^13 pairs at a million entries.
   * A new fingerprint when full is an error: the caller decides what gives.
   */
  add(high: number, low: number): boolean {
    const hi = high >>> 0;
    const lo = (low | 1) >>> 0;
    const { slot, found } = this.slotOf(hi, lo);
    if (found) return false;
    if (this.full) throw new RangeError('FingerprintSet is full');
    this.high[slot] = hi;
    this.low[slot] = lo;
    this.count++;
    if (this.count * 2 > this.high.length) this.grow();
    return true;
  }

  /** Linear probing from the slot `hi` names, to the fingerprint or the first empty slot. */
  private slotOf(hi: number, lo: number): { slot: number; found: boolean } {
    let slot = hi & this.mask;
    for (;;) {
      const storedLow = this.low[slot] as number;
      if (storedLow === 0) return { slot, found: false };
      if (storedLow === lo && this.high[slot] === hi) return { slot, found: true };
      slot = (slot + 1) & this.mask;
    }
  }

  /** Forgets everything and gives the memory back. */
  clear(): void {
    this.high = new Uint32Array(this.initialSlots);
    this.low = new Uint32Array(this.initialSlots);
    this.mask = this.initialSlots - 1;
    this.count = 0;
  }

  private grow(): void {
    const oldHigh = this.high;
    const oldLow = this.low;
    const slots = oldHigh.length * 2;
    this.high = new Uint32Array(slots);
    this.low = new Uint32Array(slots);
    this.mask = slots - 1;
    for (let i = 0; i < oldHigh.length; i++) {
      const lo = oldLow[i] as number;
      if (lo === 0) continue;
      const hi = oldHigh[i] as number;
      let slot = hi & this.mask;
      while (this.low[slot] !== 0) slot = (slot + 1) & this.mask;
      this.high[slot] = hi;
      this.low[slot] = lo;
    }
  }
}
