/**
 * Reconnect delays: exponential with full jitter (delay = random × min(cap, base × 2^attempt)), so a CIC switchover is
 * not hammered by every agent at the same instant, and the first retry comes well under a second. The attempt count
 * decays: it is forgotten only once a connection has stayed up for `stableMs`, so a server that accepts and then drops
 * every connection keeps being retried slowly instead of at the fastest rate.
 */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  stableMs?: number;
  random?: () => number;
}

export class Backoff {
  readonly baseMs: number;
  readonly capMs: number;
  readonly stableMs: number;
  private readonly random: () => number;
  private attempt = 0;
  private connectedAt: number | null = null;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 500;
    this.capMs = options.capMs ?? 60_000;
    this.stableMs = options.stableMs ?? 60_000;
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call counts as one attempt. */
  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.floor(this.random() * ceiling);
  }

  get attempts(): number {
    return this.attempt;
  }

  /** A connection came up at `now`. */
  connected(now: number): void {
    this.connectedAt = now;
  }

  /** The connection was lost at `now`: the count restarts only if it had been up long enough. */
  disconnected(now: number): void {
    if (this.connectedAt !== null && now - this.connectedAt >= this.stableMs) this.attempt = 0;
    this.connectedAt = null;
  }

  reset(): void {
    this.attempt = 0;
    this.connectedAt = null;
  }
}
