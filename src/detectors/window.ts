/**
 * Burst detection in bounded memory: remembers only the last `threshold` event times per key, so
 * "at least N events within W ms" is one comparison and a million sources cost a million small rings.
 * Events are expected roughly in time order (as log files are); a late event only shortens a burst.
 */
export class BurstCounter {
  private readonly rings = new Map<string, { times: number[]; next: number }>();
  private readonly tripped = new Set<string>();

  constructor(
    private readonly threshold: number,
    private readonly windowMs: number,
  ) {}

  /** Records an event; true once the key has had `threshold` events within the window. */
  add(key: string, time: number): boolean {
    if (this.tripped.has(key)) return true;
    let ring = this.rings.get(key);
    if (!ring) {
      ring = { times: [], next: 0 };
      this.rings.set(key, ring);
    }
    if (ring.times.length < this.threshold) ring.times.push(time);
    else {
      ring.times[ring.next] = time;
      ring.next = (ring.next + 1) % this.threshold;
    }
    if (ring.times.length < this.threshold) return false;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const t of ring.times) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
    if (max - min <= this.windowMs) {
      this.tripped.add(key);
      this.rings.delete(key);
      return true;
    }
    return false;
  }

  has(key: string): boolean {
    return this.tripped.has(key);
  }
}
