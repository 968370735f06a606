/**
 * 3. Burst: the simulator writes 10,000 voicemail deltas (each flips one message's read state), one event per write as
 * CIC does, into the shipped host (its own process), with 3 and with 10,000 voicemails in the mailbox. Timed from the
 * burst until a bridge client sees a sentinel change written right after it (messages of a session arrive in order, so
 * the sentinel proves the whole burst was applied). CPU and peak RSS are the host process's own.
 */
import { performance } from 'node:perf_hooks';
import type { PublicState } from '../../preload/contract';
import type { Simulator } from '../../sim/index';
import type { BridgeClient } from '../bridgeClient';
import { sleep, userId } from '../harness';
import { ensureHostBuilt, HOST_ROOT, ShippedHost, startEventSim } from '../shipped';
import { median } from '../stats';
import type { Benchmark, BenchContext, BenchmarkOutcome, Check } from '../types';

export const BURST = 10_000;
const BIG_MAILBOX = 10_000;
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

interface SizeResult {
  mailbox: number;
  runs: (BurstResult & { hostCpuMs: number; peakMiB: number })[];
  checks: Check[];
}

/** Bursts against the shipped host with a mailbox of `mailbox` voicemails (a warm-up burst of 1,000 first). */
async function burstsWith(ctx: BenchContext, mailbox: number, runs: number): Promise<SizeResult> {
  const sim = await startEventSim({ mailbox });
  const host = await ShippedHost.start();
  try {
    await host.signIn(sim, 0, mailbox);
    await burstOnce(sim, host.client, 1000);
    const results: SizeResult['runs'] = [];
    const checks: Check[] = [];
    for (let i = 0; i < runs; i++) {
      await sleep(200);
      host.resetPeak();
      const before = host.usage();
      const result = await burstOnce(sim, host.client, BURST);
      // The host may still be sending the last changes to other clients: its CPU is read once it is idle again.
      await sleep(100);
      const after = host.usage();
      results.push({ ...result, hostCpuMs: after.cpuMs - before.cpuMs, peakMiB: after.peakMiB });
      const check = mailboxMatches(sim, host.client.state!);
      checks.push({ name: `${mailbox} voicemails, run ${i + 1}: the bridge client's final state is the simulator's`, ok: check.ok, detail: check.detail });
      ctx.log(`  ${mailbox} voicemails, run ${i + 1}/${runs}: ${result.elapsedMs.toFixed(0)} ms, host CPU ${after.cpuMs - before.cpuMs} ms, ${result.stateEvents} state.changed, peak ${after.peakMiB.toFixed(0)} MiB`);
    }
    checks.push({ name: `${mailbox} voicemails: the host is alive`, ok: host.alive });
    return { mailbox, runs: results, checks };
  } finally {
    await host.close();
    await sim.close();
  }
}

export async function measureBurst(ctx: BenchContext): Promise<BenchmarkOutcome> {
  ensureHostBuilt();
  const runs = ctx.quick ? 1 : 5;
  const small = await burstsWith(ctx, 3, runs);
  const big = await burstsWith(ctx, BIG_MAILBOX, runs);
  const b = '3 burst 10,000';
  const time = (size: SizeResult) => median(size.runs.map((r) => r.elapsedMs));
  const cpu = (size: SizeResult) => median(size.runs.map((r) => r.hostCpuMs));
  const events = (size: SizeResult) => median(size.runs.map((r) => r.stateEvents));
  const peak = Math.max(...big.runs.map((r) => r.peakMiB));
  const ratio = time(big) / time(small);
  return {
    figures: [
      {
        benchmark: b,
        figure: 'time to apply, 10,000 voicemails',
        unit: 'ms',
        value: time(big),
        baseline: { label: '3 voicemails', value: time(small) },
        ratio: time(small) / time(big),
        goal: { text: '< 500 ms and < 3× the 3-voicemail burst', met: time(big) < 500 && ratio < 3 },
        note: `median of ${runs}; one event per write; ${ratio.toFixed(2)}× the 3-voicemail burst`,
      },
      { benchmark: b, figure: 'time to apply, 3 voicemails', unit: 'ms', value: time(small), note: `median of ${runs}` },
      { benchmark: b, figure: 'host CPU, 10,000 voicemails', unit: 'ms', value: cpu(big), note: 'the host process alone (/proc)' },
      { benchmark: b, figure: 'host CPU, 3 voicemails', unit: 'ms', value: cpu(small) },
      { benchmark: b, figure: 'state.changed per burst, 10,000 voicemails', unit: 'events', value: events(big) },
      { benchmark: b, figure: 'state.changed per burst, 3 voicemails', unit: 'events', value: events(small) },
      {
        benchmark: b,
        figure: 'host RSS peak during the burst, 10,000 voicemails',
        unit: 'MiB',
        value: peak,
        goal: { text: '< 150 MiB', met: peak < 150 },
        note: 'VmHWM of the host process, reset before each burst',
      },
      { benchmark: b, figure: 'host RSS peak during the burst, 3 voicemails', unit: 'MiB', value: Math.max(...small.runs.map((r) => r.peakMiB)) },
    ],
    checks: [...small.checks, ...big.checks],
    details: { host: HOST_ROOT, threeVoicemails: small.runs, tenThousandVoicemails: big.runs, warmup: '1 burst of 1,000 excluded' },
  };
}

export const burst: Benchmark = {
  id: 'burst',
  title: '3. Burst of 10,000 deltas, one event per write, into the shipped host (3 and 10,000 voicemails)',
  run: measureBurst,
};
