/**
 * Counts kept in memory between database writes (page views, banner impressions and
 * clicks): adding is a map update, so a beacon costs no query; a periodic flush drains the
 * buffer and writes one upsert per key.
 */
export class CountBuffer {
  private pending = new Map<string, number>();

  add(key: string, n = 1): void {
    this.pending.set(key, (this.pending.get(key) ?? 0) + n);
  }

  /** Keys waiting to be written. */
  get size(): number {
    return this.pending.size;
  }

  /** Everything counted so far; the buffer starts again empty. */
  drain(): Map<string, number> {
    const taken = this.pending;
    this.pending = new Map();
    return taken;
  }

  /** Puts back counts a failed write could not store, so none are lost. */
  restore(counts: ReadonlyMap<string, number>): void {
    for (const [key, n] of counts) this.add(key, n);
  }
}
