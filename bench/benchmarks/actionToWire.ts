/**
 * 2. Action to wire: `voicemail.stop` (no id: whatever is playing, as the hotkey sends it) until the simulator receives
 * the `play/stop` request. From a bridge client (JSON-RPC over the loopback WebSocket) and in-process through
 * `companion.handlers['voicemail.stop']` (the path the global hotkey takes), alternating.
 */
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { nextRequest, signIn, startHost, startSim, userId } from '../harness';
import { summarize } from '../stats';
import type { Benchmark, BenchContext, BenchmarkOutcome } from '../types';

const VOICEMAIL = `vm-${userId(0)}-0002`;
const isStop = (method: string, path: string) => method === 'POST' && path.endsWith('/voicemail-message/play/stop');

export async function measureActionToWire(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const samplesPerPath = ctx.quick ? 15 : 300;
  const warmup = ctx.quick ? 3 : 20;
  const sim = await startSim({ users: 1 });
  const host = await startHost();
  try {
    await signIn(host, sim, 0);
    const { client, companion } = host;
    const bridge: number[] = [];
    const inProcess: number[] = [];
    const failures: string[] = [];
    // Garbage collections of this process, to tell a slow sample caused by GC from one caused by the code path.
    const pauses: { start: number; end: number }[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) pauses.push({ start: entry.startTime, end: entry.startTime + entry.duration });
    });
    observer.observe({ entryTypes: ['gc'] });
    const slow: { ms: number; gc: boolean }[] = [];

    for (let i = 0; i < 2 * (warmup + samplesPerPath); i++) {
      const viaBridge = i % 2 === 0;
      sim.control.setPlayStatus({ userId: userId(0), unifiedMessageId: VOICEMAIL, playStatus: 0 });
      await client.waitForState((state) => state.voicemail.playing === VOICEMAIL, 5000, 'playing');
      const wire = nextRequest(sim, isStop, 5000);
      const start = performance.now();
      const done = viaBridge
        ? client.call('voicemail.stop').then(
            () => null,
            (error: Error) => error.message,
          )
        : companion.handlers['voicemail.stop'](undefined).then((result) => (result.ok ? null : result.error.message));
      const arrived = await wire.arrived;
      const failure = await done;
      if (failure) failures.push(failure);
      await client.waitForState((state) => state.voicemail.playing === null, 5000, 'stopped');
      if (i >= 2 * warmup) {
        (viaBridge ? bridge : inProcess).push(arrived - start);
        if (arrived - start > 2) slow.push({ ms: arrived - start, gc: pauses.some((p) => p.end >= start && p.start <= arrived) });
      }
    }
    observer.disconnect();

    const b = summarize(bridge);
    const p = summarize(inProcess);
    const finalPlaying = sim.control.state().playStatus[userId(0)]?.playStatus;
    return {
      figures: [
        { benchmark: '2 action→wire', figure: 'bridge p50', unit: 'ms', value: b.p50 },
        { benchmark: '2 action→wire', figure: 'bridge p99', unit: 'ms', value: b.p99, goal: { text: 'p99 < 5 ms', met: b.p99 < 5 } },
        { benchmark: '2 action→wire', figure: 'in-process (hotkey) p50', unit: 'ms', value: p.p50 },
        { benchmark: '2 action→wire', figure: 'in-process (hotkey) p99', unit: 'ms', value: p.p99, goal: { text: 'p99 < 5 ms', met: p.p99 < 5 } },
      ],
      checks: [
        { name: 'every stop succeeded', ok: failures.length === 0, detail: failures.slice(0, 3).join('; ') },
        { name: 'the simulator ends stopped, the companion too', ok: finalPlaying === 1 && companion.publicState.voicemail.playing === null },
      ],
      details: {
        bridge: b,
        inProcess: p,
        warmupExcludedPerPath: warmup,
        samplesOver2ms: slow.length,
        samplesOver2msDuringGc: slow.filter((x) => x.gc).length,
        slowest: slow.sort((a, b) => b.ms - a.ms).slice(0, 8),
      },
    };
  } finally {
    await host.close();
    await sim.close();
  }
}

export const actionToWire: Benchmark = {
  id: 'action-to-wire',
  title: '2. Action to wire (voicemail.stop)',
  run: measureActionToWire,
};
