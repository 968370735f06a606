/**
 * 1b. Event to DOM: the same changes as benchmark 1, until the companion's UI in Chromium shows them (MutationObserver in
 * the page) and until that frame is painted. SSE against polling; polling samples come from several companions at once,
 * each with its own page, in rounds alternating with batches of SSE samples.
 */
import type { Browser } from 'playwright-core';
import type { Simulator } from '../../sim/index';
import { launchBrowser, nodeEpoch, ProbedPage } from '../browser';
import { ChangeSequence } from '../changes';
import { inBatches, POLL_BASELINE, rendererBuilt, signIn, sleep, staggered, startHost, startSim, type Host } from '../harness';
import { summarize } from '../stats';
import type { Benchmark, BenchContext, BenchmarkOutcome } from '../types';

interface Rig {
  sim: Simulator;
  hosts: Host[];
  pages: ProbedPage[];
  sequences: ChangeSequence[];
}

async function rig(browser: Browser, messaging: 1 | 2, companions: number): Promise<Rig> {
  const sim = await startSim({ users: companions, messaging });
  const hosts = await staggered(companions, POLL_BASELINE.intervalMs, async (index) => {
    const host = await startHost({ ui: true, ...(messaging === 1 ? { pollIntervalMs: POLL_BASELINE.intervalMs } : {}) });
    await signIn(host, sim, index);
    return host;
  });
  const pages = await inBatches(hosts.length, 2, (index) => ProbedPage.open(browser, hosts[index]!.server.uiUrl, '.extension'));
  return { sim, hosts, pages, sequences: hosts.map((_, index) => new ChangeSequence(sim, index)) };
}

async function closeRig(rig: Rig): Promise<void> {
  await Promise.all(rig.pages.map((page) => page.close()));
  await Promise.all(rig.hosts.map((host) => host.close()));
  await rig.sim.close();
}

interface Sample {
  dom: number;
  painted: number;
}

async function round(rig: Rig): Promise<Sample[]> {
  const armed = [];
  for (let i = 0; i < rig.hosts.length; i++) {
    const change = rig.sequences[i]!.next();
    armed.push({ change, page: rig.pages[i]!, shown: (await rig.pages[i]!.expect(change.kind, change.expected)).shown });
  }
  const waits = armed.map(({ change, page, shown }) => {
    const start = nodeEpoch();
    change.inject();
    return shown.then((report) => ({ dom: page.toNode(report.domAt) - start, painted: page.toNode(report.paintedAt) - start }));
  });
  return Promise.all(waits);
}

export async function measureEventToDom(ctx: BenchContext): Promise<BenchmarkOutcome> {
  if (!rendererBuilt()) throw new Error('the renderer is not built (out/renderer): run `npm run build:renderer`');
  const sseTarget = ctx.quick ? 10 : 300;
  const sseWarmup = ctx.quick ? 3 : 20;
  const pollCompanions = ctx.quick ? 2 : 10;
  const pollRounds = ctx.quick ? 2 : 20;

  const browser = await launchBrowser();
  ctx.log(`  Chromium ${browser.version()}: 1 SSE page, ${pollCompanions} polling pages`);
  let sse: Rig | undefined;
  let poll: Rig | undefined;
  try {
    sse = await rig(browser, 2, 1);
    poll = await rig(browser, 1, pollCompanions);
    const visibility = await Promise.all([...sse.pages, ...poll.pages].map((page) => page.visibility()));

    for (let i = 0; i < sseWarmup; i++) await round(sse);
    await round(poll);

    const sseSamples: Sample[] = [];
    const pollSamples: Sample[] = [];
    const perBatch = Math.ceil(sseTarget / pollRounds);
    for (let r = 0; r < pollRounds; r++) {
      for (let i = 0; i < perBatch && sseSamples.length < sseTarget; i++) {
        sseSamples.push(...(await round(sse)));
        await sleep(2);
      }
      // A pause uniform over one poll period: each injection lands at a random phase of each companion's poll cycle.
      await sleep(Math.random() * POLL_BASELINE.intervalMs);
      pollSamples.push(...(await round(poll)));
      if ((r + 1) % 5 === 0 || r + 1 === pollRounds) {
        ctx.log(`  round ${r + 1}/${pollRounds}: ${sseSamples.length} SSE, ${pollSamples.length} polling samples`);
      }
    }
    // The clock offset again, to bound its error: the better of both calibrations is kept.
    await Promise.all([...sse.pages, ...poll.pages].map((page) => page.calibrate(20)));

    const sseDom = summarize(sseSamples.map((s) => s.dom));
    const ssePainted = summarize(sseSamples.map((s) => s.painted));
    const pollDom = summarize(pollSamples.map((s) => s.dom));
    const pollPainted = summarize(pollSamples.map((s) => s.painted));
    const clockError = Math.max(...[...sse.pages, ...poll.pages].map((page) => page.offsetRttMs / 2));
    const b = '1b event→DOM';
    return {
      figures: [
        { benchmark: b, figure: 'SSE DOM p50', unit: 'ms', value: sseDom.p50, baseline: { label: 'polling DOM p50', value: pollDom.p50 }, ratio: pollDom.p50 / sseDom.p50 },
        { benchmark: b, figure: 'SSE DOM p95', unit: 'ms', value: sseDom.p95, baseline: { label: 'polling DOM p95', value: pollDom.p95 }, ratio: pollDom.p95 / sseDom.p95 },
        { benchmark: b, figure: 'SSE DOM p99', unit: 'ms', value: sseDom.p99, baseline: { label: 'polling DOM p99', value: pollDom.p99 }, ratio: pollDom.p99 / sseDom.p99 },
        { benchmark: b, figure: 'SSE painted p50', unit: 'ms', value: ssePainted.p50, baseline: { label: 'polling painted p50', value: pollPainted.p50 }, ratio: pollPainted.p50 / ssePainted.p50 },
        { benchmark: b, figure: 'SSE painted p99', unit: 'ms', value: ssePainted.p99, baseline: { label: 'polling painted p99', value: pollPainted.p99 }, ratio: pollPainted.p99 / ssePainted.p99 },
        { benchmark: b, figure: 'polling DOM p50', unit: 'ms', value: pollDom.p50, note: POLL_BASELINE.note },
        { benchmark: b, figure: 'polling DOM p99', unit: 'ms', value: pollDom.p99 },
      ],
      checks: [
        { name: 'SSE page and companion show the final state', ok: sse.sequences[0]!.settled(sse.hosts[0]!.companion.publicState) },
        {
          name: 'polling companions show the final state',
          ok: poll.hosts.every((host, i) => poll!.sequences[i]!.settled(host.companion.publicState)),
        },
      ],
      details: {
        chromium: browser.version(),
        clockOffsetErrorBoundMs: clockError,
        pageVisibility: [...new Set(visibility.map(String))],
        sse: { dom: sseDom, painted: ssePainted, warmupExcluded: sseWarmup },
        polling: { dom: pollDom, painted: pollPainted, companions: pollCompanions, rounds: pollRounds, warmupRoundsExcluded: 1 },
      },
    };
  } finally {
    if (sse) await closeRig(sse);
    if (poll) await closeRig(poll);
    await browser.close();
  }
}

export const eventToDom: Benchmark = {
  id: 'event-to-dom',
  title: '1b. Event to DOM (Chromium)',
  run: measureEventToDom,
};
