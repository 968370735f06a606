/**
 * 9. Station change → bridge clients of the shipped host (`node out/host/cli.js`, its own process), with 3 and with
 * 10,000 voicemails in the mailbox, with 1 and with 50 bridge clients attached: timed from the change at the simulator
 * (one event per write) until the last client has the `state.changed` that shows it. The polling baseline: shipped hosts
 * against a simulator that offers no SSE, so they poll at the product's own interval (1 s), measured the same way.
 */
import { performance } from 'node:perf_hooks';
import type { BridgeClient } from '../bridgeClient';
import { ChangeSequence } from '../changes';
import { POLL_BASELINE, sleep, staggered } from '../harness';
import { ensureHostBuilt, sampleCount, ShippedHost, startEventSim } from '../shipped';
import { summarize, type Summary } from '../stats';
import type { Benchmark, BenchContext, BenchmarkOutcome, Check, Figure } from '../types';

const TIMEOUT_MS = 10_000;
const B = '9 station→bridge';

/** Only station changes (the play-status changes of the sequence are skipped). */
function stationChange(sequence: ChangeSequence) {
  let change = sequence.next();
  if (change.kind !== 'station') change = sequence.next();
  return change;
}

/** The extension of the last station change per sequence, for the final-state check. */
const lastExtension = new WeakMap<ChangeSequence, string | null>();

async function sample(sequence: ChangeSequence, clients: BridgeClient[]): Promise<number> {
  const change = stationChange(sequence);
  lastExtension.set(sequence, change.expected);
  const arrivals = clients.map((client) => client.waitForState(change.inState, TIMEOUT_MS, `station ${String(change.expected)}`, false));
  const start = performance.now();
  change.inject();
  const seen = await Promise.all(arrivals);
  return Math.max(...seen.map(({ at }) => at)) - start;
}

interface Config {
  mailbox: number;
  clients: number;
  summary: Summary;
  hostCpuPerEventMs: number;
  check: Check;
}

async function measureConfig(ctx: BenchContext, mailbox: number, clientCount: number, samples: number): Promise<Config> {
  const sim = await startEventSim({ mailbox });
  const host = await ShippedHost.start();
  try {
    await host.signIn(sim, 0, mailbox);
    for (let i = 1; i < clientCount; i++) await host.connect();
    const sequence = new ChangeSequence(sim, 0);
    for (let i = 0; i < 20; i++) await sample(sequence, host.clients);
    const before = host.usage();
    const latencies: number[] = [];
    for (let i = 0; i < samples; i++) {
      latencies.push(await sample(sequence, host.clients));
      await sleep(2);
    }
    const after = host.usage();
    const summary = summarize(latencies);
    ctx.log(`  ${mailbox} voicemails, ${clientCount} clients: p50 ${summary.p50.toFixed(2)} ms, p99 ${summary.p99.toFixed(2)} ms`);
    return {
      mailbox,
      clients: clientCount,
      summary,
      hostCpuPerEventMs: (after.cpuMs - before.cpuMs) / samples,
      check: {
        name: `${mailbox} voicemails, ${clientCount} clients: every client ends with the simulator's station`,
        ok: host.clients.every((client) => client.state?.station?.extension === lastExtension.get(sequence)),
      },
    };
  } finally {
    await host.close();
    await sim.close();
  }
}

/** Shipped hosts polling (a simulator without SSE), signed in spread over one poll period; one change per host per round. */
async function measurePolling(ctx: BenchContext, hosts: number, rounds: number): Promise<Summary> {
  const sim = await startEventSim({ users: hosts, messaging: 1 });
  const started = await staggered(hosts, POLL_BASELINE.intervalMs, async (index) => {
    const host = await ShippedHost.start();
    await host.signIn(sim, index, 3);
    return host;
  });
  try {
    const sequences = started.map((_, index) => new ChangeSequence(sim, index));
    const latencies: number[] = [];
    for (let r = 0; r <= rounds; r++) {
      // A pause uniform over one poll period: each change lands at a random phase of each host's poll cycle.
      await sleep(Math.random() * POLL_BASELINE.intervalMs);
      const round = await Promise.all(started.map((host, i) => sample(sequences[i]!, [host.client])));
      if (r > 0) latencies.push(...round);
    }
    const summary = summarize(latencies);
    ctx.log(`  polling every ${POLL_BASELINE.intervalMs} ms (${hosts} hosts): p50 ${summary.p50.toFixed(0)} ms, p99 ${summary.p99.toFixed(0)} ms`);
    return summary;
  } finally {
    await Promise.all(started.map((host) => host.close()));
    await sim.close();
  }
}

export async function measureStationToBridge(ctx: BenchContext): Promise<BenchmarkOutcome> {
  ensureHostBuilt();
  const samples = sampleCount(ctx.quick ? 20 : 300);
  const configs: Config[] = [];
  for (const mailbox of [3, 10_000]) for (const clients of [1, 50]) configs.push(await measureConfig(ctx, mailbox, clients, samples));
  const polling = await measurePolling(ctx, ctx.quick ? 2 : 10, ctx.quick ? 2 : 20);

  const figures: Figure[] = [];
  for (const config of configs) {
    const what = `${config.mailbox === 3 ? '3' : '10,000'} voicemails, ${config.clients} client${config.clients > 1 ? 's' : ''}`;
    const s = config.summary;
    figures.push(
      {
        benchmark: B,
        figure: `SSE p50, ${what}`,
        unit: 'ms',
        value: s.p50,
        baseline: { label: 'polling p50', value: polling.p50 },
        ratio: polling.p50 / s.p50,
      },
      {
        benchmark: B,
        figure: `SSE p99, ${what}`,
        unit: 'ms',
        value: s.p99,
        baseline: { label: 'polling p99', value: polling.p99 },
        ratio: polling.p99 / s.p99,
        goal: { text: 'p99 < 10 ms', met: s.p99 < 10 },
        note: `${s.count} samples; until the last client has it`,
      },
      { benchmark: B, figure: `host CPU per change, ${what}`, unit: 'ms', value: config.hostCpuPerEventMs, note: 'host process (/proc), 10 ms ticks averaged' },
    );
  }
  figures.push(
    { benchmark: B, figure: 'polling p50', unit: 'ms', value: polling.p50, note: `shipped hosts polling every ${POLL_BASELINE.intervalMs} ms (the product's interval)` },
    { benchmark: B, figure: 'polling p99', unit: 'ms', value: polling.p99, note: `${polling.count} samples` },
  );
  return {
    figures,
    checks: configs.map((config) => config.check),
    details: { configs: configs.map(({ check: _check, ...config }) => config), polling },
  };
}

export const stationToBridge: Benchmark = {
  id: 'station-to-bridge',
  title: '9. Station change → bridge clients of the shipped host (1 and 50 clients, 3 and 10,000 voicemails), against polling',
  run: measureStationToBridge,
};
