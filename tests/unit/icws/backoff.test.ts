import { describe, expect, it } from 'vitest';
import { Backoff } from '../../../main/icws/backoff';

describe('Backoff (exponential, full jitter)', () => {
  it('doubles the ceiling per attempt up to the cap, scaled by the random draw', () => {
    const backoff = new Backoff({ baseMs: 500, capMs: 60_000, random: () => 0.999999 });
    const delays = Array.from({ length: 10 }, () => backoff.next());
    expect(delays).toEqual([499, 999, 1999, 3999, 7999, 15999, 31999, 59999, 59999, 59999]);
  });

  it('uses the whole range from zero (full jitter), the first retry under a second', () => {
    const draws = [0, 0.5];
    const backoff = new Backoff({ baseMs: 500, random: () => draws.shift() ?? 0 });
    expect(backoff.next()).toBe(0);
    expect(backoff.next()).toBe(500);
    expect(new Backoff({ random: () => 0.9999 }).next()).toBeLessThan(1000);
  });

  it('forgets the attempts only after a connection stayed up for stableMs', () => {
    const backoff = new Backoff({ baseMs: 100, stableMs: 30_000, random: () => 0.5 });
    backoff.next();
    backoff.next();
    backoff.next();
    backoff.connected(1_000);
    backoff.disconnected(5_000); // up for 4 s: not stable, keeps decaying slowly
    expect(backoff.next()).toBe(400);
    backoff.connected(10_000);
    backoff.disconnected(40_000); // up for 30 s: stable
    expect(backoff.attempts).toBe(0);
    expect(backoff.next()).toBe(50);
  });
});
