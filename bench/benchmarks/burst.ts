/**
 * 3. Message throughput: the simulator queues 10,000 voicemail deltas at once (each flips one message's read state) and
 * they stream through SSE into the companion. Timed from the burst until a bridge client sees a sentinel change queued
 * right after the burst (messages of a session arrive in order, so the sentinel proves the whole burst was applied).
 * CPU is this process's (simulator, companion and bridge client share it).
 */
import { performance } from 'node:perf_hooks';
import type { PublicState } from '../../preload/contract';
import type { Simulator } from '../../sim/index';
import type { BridgeClient } from '../bridgeClient';
import { signIn, startHost, startSim, userId } from '../harness';
import { median, summarize } from '../stats';
import type { Benchmark, BenchContext, BenchmarkOutcome, Check } from '../types';

export const BURST = 10_000;
const SENTINEL = `vm-${userId(0)}-0003`;

/** The companion's mailbox read flags and waiting count equal the simulator's. */
export function mailboxMatches(sim: Simulator, state: PublicState, user = userId(0)): { ok: boolean; detail: string } {
  const world = sim.control.state();
  const entries = world.mailboxes[user] ?? [];
  const read = new Map(state.voicemail.messages.map((message) => [message.id, message.read]));
  const wrong = entries.filter((entry) => read.get(entry.unifiedMessageId) !== (entry.state === 1));
  const waiting = world.messagesWaiting[user];
  const ok = wrong.length === 0 && entries.length === state.voicemail.messages.length && waiting === state.voicemail.waiting;
  return { ok, detail: `${wrong.length} of ${entries.length} read flags differ; waiting ${state.voicemail.waiting} vs ${String(waiting)}` };
}

export interface BurstResult {
  elapsedMs: number;
  cpuMs: number;
  stateEvents: number;
}

/** One burst of `count` deltas, then the sentinel; resolves once the bridge client saw the sentinel. */
export async function burstOnce(sim: Simulator, client: BridgeClient, count: number): Promise<BurstResult> {
  // The sentinel toggles the play status of a voicemail; the burst changes read states only.
  const sentinelPlaying = client.state?.voicemail.playing !== SENTINEL;
  const expected = sentinelPlaying ? SENTINEL : null;
  const seen = client.waitForState((state) => state.voicemail.playing === expected, 60_000, 'the sentinel', false);
  const eventsBefore = client.stateEvents;
  const cpu = process.cpuUsage();
  const start = performance.now();
  sim.control.burst({ userId: userId(0), count });
  sim.control.setPlayStatus({ userId: userId(0), unifiedMessageId: SENTINEL, playStatus: sentinelPlaying ? 0 : 1 });
  const { at } = await seen;
  const used = process.cpuUsage(cpu);
  return { elapsedMs: at - start, cpuMs: (used.user + used.system) / 1000, stateEvents: client.stateEvents - eventsBefore };
}

export async function measureBurst(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const runs = ctx.quick ? 1 : 7;
  const sim = await startSim({ users: 1 });
  const host = await startHost();
  try {
    await signIn(host, sim, 0);
    await burstOnce(sim, host.client, 1000); // warm-up, excluded
    const results: BurstResult[] = [];
    const checks: Check[] = [];
    for (let i = 0; i < runs; i++) {
      results.push(await burstOnce(sim, host.client, BURST));
      const check = mailboxMatches(sim, host.companion.publicState);
      const bridge = mailboxMatches(sim, host.client.state!);
      checks.push({ name: `run ${i + 1}: final state correct (companion and bridge client)`, ok: check.ok && bridge.ok, detail: check.detail });
      ctx.log(`  run ${i + 1}/${runs}: ${results[i]!.elapsedMs.toFixed(1)} ms, ${results[i]!.stateEvents} state.changed`);
    }
    const elapsed = median(results.map((r) => r.elapsedMs));
    const cpu = median(results.map((r) => r.cpuMs));
    return {
      figures: [
        {
          benchmark: '3 burst 10,000',
          figure: 'time to apply',
          unit: 'ms',
          value: elapsed,
          goal: { text: '< 500 ms', met: elapsed < 500 },
          note: `median of ${runs}`,
        },
        { benchmark: '3 burst 10,000', figure: 'throughput', unit: 'msg/s', value: BURST / (elapsed / 1000) },
        { benchmark: '3 burst 10,000', figure: 'CPU time (sim + companion + client)', unit: 'ms', value: cpu },
        {
          benchmark: '3 burst 10,000',
          figure: 'state.changed per burst',
          unit: 'events',
          value: median(results.map((r) => r.stateEvents)),
        },
      ],
      checks,
      details: { runs: results, elapsed: summarize(results.map((r) => r.elapsedMs)), warmup: '1 burst of 1,000 excluded' },
    };
  } finally {
    await host.close();
    await sim.close();
  }
}

export const burst: Benchmark = {
  id: 'burst',
  title: '3. Message throughput (10,000 deltas over SSE)',
  run: measureBurst,
};
