/**
 * 7. Simulator capacity: 200 concurrent signed-in sessions, each subscribed to voicemail and holding an SSE stream (bare
 * ICWS clients, one socket each, in this process). One play-status change fans out to all of them; timed from the change
 * until the last session received it, and per session.
 */
import { performance } from 'node:perf_hooks';
import { inBatches, PASSWORD, sleep, startSim, userId } from '../harness';
import { RawSession } from '../rawSession';
import { summarize } from '../stats';
import type { Benchmark, BenchContext, BenchmarkOutcome } from '../types';

const SESSIONS = 200;
const VOICEMAIL = `vm-${userId(0)}-0002`;

export async function measureCapacity(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const iterations = ctx.quick ? 3 : 100;
  const warmup = ctx.quick ? 1 : 5;
  const sim = await startSim({ users: 1 });
  const sessions: RawSession[] = [];
  try {
    const signInStart = performance.now();
    sessions.push(
      ...(await inBatches(SESSIONS, 20, async () => {
        const session = await RawSession.signIn(sim.url, userId(0), PASSWORD);
        await session.subscribe('unified-messaging/voicemail-messages');
        await session.stream();
        return session;
      })),
    );
    const signInMs = performance.now() - signInStart;
    await sleep(200);
    const streaming = sim.control.state().sessions.filter((s) => s.streaming).length;
    ctx.log(`  ${streaming} sessions streaming (set up in ${signInMs.toFixed(0)} ms)`);

    const fanOut: number[] = [];
    const perSession: number[] = [];
    let playing = false;
    for (let i = 0; i < warmup + iterations; i++) {
      playing = !playing;
      const playStatus = playing ? 0 : 1;
      const start = performance.now();
      const arrivals = sessions.map(
        (session) =>
          new Promise<number>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error('a session did not receive the change within 10 s')), 10_000);
            const off = session.onMessage(({ at, message }) => {
              if (message.__type !== 'urn:inin.com:unifiedMessaging:voicemailPlayStatusMessage' || message.playStatus !== playStatus) return;
              clearTimeout(timer);
              off();
              resolve(at - start);
            });
          }),
      );
      sim.control.setPlayStatus({ userId: userId(0), unifiedMessageId: VOICEMAIL, playStatus });
      const times = await Promise.all(arrivals);
      if (i >= warmup) {
        fanOut.push(Math.max(...times));
        perSession.push(...times);
      }
      await sleep(5);
    }
    const all = summarize(fanOut);
    const each = summarize(perSession);
    const received = sessions.every((s) => s.messages >= warmup + iterations + 1);
    return {
      figures: [
        { benchmark: '7 sim capacity', figure: 'sessions streaming', unit: 'sessions', value: streaming },
        { benchmark: '7 sim capacity', figure: 'fan-out to all 200, p50', unit: 'ms', value: all.p50 },
        { benchmark: '7 sim capacity', figure: 'fan-out to all 200, p99', unit: 'ms', value: all.p99, note: `${iterations} changes` },
        { benchmark: '7 sim capacity', figure: 'per-session delivery p99', unit: 'ms', value: each.p99, note: `${each.count} deliveries` },
      ],
      checks: [
        { name: `${SESSIONS} sessions streaming`, ok: streaming === SESSIONS, detail: `${streaming}` },
        { name: 'every session received every change', ok: received },
      ],
      details: { signInMs, fanOut: all, perSession: each, warmupExcluded: warmup },
    };
  } finally {
    for (const session of sessions) session.close();
    await sim.close();
  }
}

export const capacity: Benchmark = {
  id: 'capacity',
  title: '7. Simulator capacity (200 SSE sessions)',
  run: measureCapacity,
};
