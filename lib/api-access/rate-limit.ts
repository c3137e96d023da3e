/**
 * A token bucket per key, held in this process's memory: each server process counts on its own,
 * so N processes behind a load balancer allow up to N times the rate, and a restart refills
 * every bucket. That is enough to slow secret guessing against one client.
 */
export class TokenBucketLimiter {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    /** Requests allowed in a burst. */
    private readonly capacity: number,
    /** Requests added back per second. */
    private readonly refillPerSecond: number,
    /** Most keys tracked; the oldest are dropped first, so random client ids cannot exhaust memory. */
    private readonly maxKeys = 10_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Takes one token for `key`; returns 0 when allowed, else the seconds until the next token. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, updatedAt: now };
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.capacity, bucket.tokens + elapsedSeconds * this.refillPerSecond);
    bucket.updatedAt = now;

    // Re-inserting moves the key to the end of the Map's order, which makes eviction oldest-first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next().value;
      if (oldest !== undefined) this.buckets.delete(oldest);
    }

    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.refillPerSecond);
  }
}
