/**
 * 1. Event to state: a change injected at the simulator (station change, voicemail play status, alternating) until the
 * `state.changed` notification showing it arrives at a bridge client. Server-Sent Events against a short-polling
 * companion (a simulator with messaging feature 1). Polling samples come from many companions at once (each its own
 * user, signed in spread over one poll period so their poll phases cover the whole cycle), in rounds alternating with
 * batches of SSE samples.
 */
import { performance } from 'node:perf_hooks';
import type { Simulator } from '../../sim/index';
import { ChangeSequence } from '../changes';
import { bigMailbox, POLL_BASELINE, signIn, sleep, startHost, staggered, startSim, userId, type Host } from '../harness';
import { summarize } from '../stats';
import type { Benchmark, BenchContext, BenchmarkOutcome, Check } from '../types';

const TIMEOUT_MS = 10_000;
const BIG_MAILBOX = 10_000;

interface Rig {
  sim: Simulator;
  hosts: Host[];
  sequences: ChangeSequence[];
}

async function rig(messaging: 1 | 2, companions: number, mailbox = 3): Promise<Rig> {
  const sim = await startSim({ users: companions, messaging });
  if (mailbox > 3) for (let i = 0; i < companions; i++) sim.control.setMailbox({ userId: userId(i), messages: bigMailbox(userId(i), mailbox) });
  const hosts = await staggered(companions, POLL_BASELINE.intervalMs, async (index) => {
    const host = await startHost(messaging === 1 ? { pollIntervalMs: POLL_BASELINE.intervalMs } : {});
    await signIn(host, sim, index, mailbox);
    return host;
  });
  return { sim, hosts, sequences: hosts.map((_, index) => new ChangeSequence(sim, index)) };
}

async function closeRig(rig: Rig): Promise<void> {
  await Promise.all(rig.hosts.map((host) => host.close()));
  await rig.sim.close();
}

/** One sample per companion of the rig, injected back to back; resolves with each latency in ms. */
async function round(rig: Rig, count = rig.hosts.length): Promise<number[]> {
  const waits: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    const host = rig.hosts[i]!;
    const change = rig.sequences[i]!.next();
    const arrived = host.client.waitForState(change.inState, TIMEOUT_MS, `${change.kind} → ${String(change.expected)}`, false);
    const start = performance.now();
    change.inject();
    waits.push(arrived.then(({ at }) => at - start));
  }
  return Promise.all(waits);
}

export async function measureEventToState(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const sseTarget = ctx.quick ? 30 : 1000;
  const sseWarmup = ctx.quick ? 5 : 50;
  const pollCompanions = ctx.quick ? 4 : 25;
  const pollRounds = ctx.quick ? 2 : 10;

  ctx.log(`  starting 1 SSE companion and ${pollCompanions} polling companions`);
  const sse = await rig(2, 1);
  const poll = await rig(1, pollCompanions);
  try {
    const sseSamples: number[] = [];
    const pollSamples: number[] = [];
    // Warm-up, excluded: the first changes through each path (JIT, first sockets).
    for (let i = 0; i < sseWarmup; i++) await round(sse);
    await round(poll);

    const perBatch = Math.ceil(sseTarget / pollRounds);
    for (let r = 0; r < pollRounds; r++) {
      for (let i = 0; i < perBatch && sseSamples.length < sseTarget; i++) {
        sseSamples.push(...(await round(sse)));
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      // The previous round ended right after a poll: a pause uniform over one poll period puts each injection at a
      // uniformly random phase of each companion's poll cycle (otherwise every change would land just after a poll).
      await sleep(Math.random() * POLL_BASELINE.intervalMs);
      pollSamples.push(...(await round(poll)));
      ctx.log(`  round ${r + 1}/${pollRounds}: ${sseSamples.length} SSE, ${pollSamples.length} polling samples`);
    }

    const checks: Check[] = [
      {
        name: 'SSE companion state matches the simulator',
        ok: sse.sequences[0]!.settled(sse.hosts[0]!.companion.publicState),
      },
      {
        name: 'polling companions state matches the simulator',
        ok: poll.hosts.every((host, i) => poll.sequences[i]!.settled(host.companion.publicState)),
      },
      {
        name: 'messaging modes as intended',
        ok:
          sse.hosts[0]!.companion.publicState.connection.messaging === 'sse' &&
          poll.hosts.every((host) => host.companion.publicState.connection.messaging === 'poll'),
        detail: `sse host: ${String(sse.hosts[0]!.companion.publicState.connection.messaging)}, poll hosts: ${[
          ...new Set(poll.hosts.map((host) => String(host.companion.publicState.connection.messaging))),
        ].join(',')}`,
      },
    ];

    // The same SSE path with 10,000 voicemails in the mailbox: a change carries only the slices that changed.
    const bigTarget = ctx.quick ? 5 : 200;
    const big = await rig(2, 1, BIG_MAILBOX);
    const bigSamples: number[] = [];
    try {
      for (let i = 0; i < (ctx.quick ? 3 : 10); i++) await round(big);
      while (bigSamples.length < bigTarget) bigSamples.push(...(await round(big)));
      checks.push({ name: 'SSE companion with 10,000 voicemails ends correct', ok: big.sequences[0]!.settled(big.hosts[0]!.companion.publicState) });
    } finally {
      await closeRig(big);
    }
    const m = summarize(bigSamples);

    const s = summarize(sseSamples);
    const p = summarize(pollSamples);
    const label = 'polling p50';
    const interval = POLL_BASELINE.note;
    return {
      figures: [
        { benchmark: '1 event→state', figure: 'SSE p50', unit: 'ms', value: s.p50, baseline: { label, value: p.p50 }, ratio: p.p50 / s.p50 },
        { benchmark: '1 event→state', figure: 'SSE p95', unit: 'ms', value: s.p95, baseline: { label: 'polling p95', value: p.p95 }, ratio: p.p95 / s.p95 },
        {
          benchmark: '1 event→state',
          figure: 'SSE p99',
          unit: 'ms',
          value: s.p99,
          baseline: { label: 'polling p99', value: p.p99 },
          ratio: p.p99 / s.p99,
          goal: { text: 'p99 < 10 ms and ≥ 50× better than polling p99', met: s.p99 < 10 && p.p99 / s.p99 >= 50 },
        },
        { benchmark: '1 event→state', figure: 'polling p50', unit: 'ms', value: p.p50, note: interval },
        { benchmark: '1 event→state', figure: 'polling p95', unit: 'ms', value: p.p95 },
        { benchmark: '1 event→state', figure: 'polling p99', unit: 'ms', value: p.p99 },
        { benchmark: '1 event→state', figure: 'SSE p50, 10,000 voicemails', unit: 'ms', value: m.p50, note: `${m.count} samples` },
        { benchmark: '1 event→state', figure: 'SSE p99, 10,000 voicemails', unit: 'ms', value: m.p99 },
      ],
      checks,
      details: {
        sse: { ...s, warmupExcluded: sseWarmup },
        sseWith10000Voicemails: { ...m, warmupExcluded: ctx.quick ? 3 : 10 },
        polling: { ...p, companions: pollCompanions, rounds: pollRounds, warmupRoundsExcluded: 1, interval },
      },
    };
  } finally {
    await closeRig(sse);
    await closeRig(poll);
  }
}

export const eventToState: Benchmark = {
  id: 'event-to-state',
  title: '1. Event to state (bridge client)',
  run: measureEventToState,
};
