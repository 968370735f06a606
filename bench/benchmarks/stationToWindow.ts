/**
 * 10. Station change → the window painted, on the shipped host (`node out/host/cli.js` serving the UI, its own process)
 * with 3 and with 10,000 voicemails: Chromium's page on the host's UI address, the in-page probe of benchmark 1b
 * (MutationObserver, then a task queued from the next animation frame: the frame was painted).
 */
import { launchBrowser, nodeEpoch, ProbedPage } from '../browser';
import { ChangeSequence } from '../changes';
import { rendererBuilt, sleep } from '../harness';
import { ensureHostBuilt, sampleCount, ShippedHost, startEventSim } from '../shipped';
import { summarize, type Summary } from '../stats';
import type { Benchmark, BenchContext, BenchmarkOutcome, Check, Figure } from '../types';

const B = '10 station→window';
const FRAME_MS = 1000 / 60;

interface Result {
  mailbox: number;
  dom: Summary;
  painted: Summary;
  clockErrorMs: number;
  check: Check;
}

async function measure(ctx: BenchContext, browser: Awaited<ReturnType<typeof launchBrowser>>, mailbox: number, samples: number): Promise<Result> {
  const sim = await startEventSim({ mailbox });
  const host = await ShippedHost.start();
  let page: ProbedPage | null = null;
  try {
    await host.signIn(sim, 0, mailbox);
    page = await ProbedPage.open(browser, host.uiUrl, '.extension');
    const sequence = new ChangeSequence(sim, 0);
    const dom: number[] = [];
    const painted: number[] = [];
    let last: string | null = null;
    for (let i = 0; i < samples + 20; i++) {
      let change = sequence.next();
      if (change.kind !== 'station') change = sequence.next();
      last = change.expected;
      const { shown } = await page.expect('station', change.expected);
      const start = nodeEpoch();
      change.inject();
      const report = await shown;
      if (i >= 20) {
        dom.push(page.toNode(report.domAt) - start);
        painted.push(page.toNode(report.paintedAt) - start);
      }
      await sleep(5);
    }
    await page.calibrate(20);
    const result = { mailbox, dom: summarize(dom), painted: summarize(painted), clockErrorMs: page.offsetRttMs / 2 };
    ctx.log(`  ${mailbox} voicemails: painted p50 ${result.painted.p50.toFixed(1)} ms, p99 ${result.painted.p99.toFixed(1)} ms`);
    return {
      ...result,
      check: { name: `${mailbox} voicemails: the host ends with the last station change`, ok: host.client.state?.station?.extension === last },
    };
  } finally {
    await page?.close();
    await host.close();
    await sim.close();
  }
}

export async function measureStationToWindow(ctx: BenchContext): Promise<BenchmarkOutcome> {
  if (!rendererBuilt()) throw new Error('the renderer is not built (out/renderer): run `npm run build:renderer`');
  ensureHostBuilt();
  const samples = sampleCount(ctx.quick ? 10 : 300);
  const browser = await launchBrowser();
  try {
    const results = [await measure(ctx, browser, 3, samples), await measure(ctx, browser, 10_000, samples)];
    const figures: Figure[] = results.flatMap((r) => {
      const what = r.mailbox === 3 ? '3 voicemails' : '10,000 voicemails';
      return [
        { benchmark: B, figure: `DOM p99, ${what}`, unit: 'ms', value: r.dom.p99, note: `p50 ${r.dom.p50.toFixed(2)} ms` },
        { benchmark: B, figure: `painted p50, ${what}`, unit: 'ms', value: r.painted.p50 },
        {
          benchmark: B,
          figure: `painted p99, ${what}`,
          unit: 'ms',
          value: r.painted.p99,
          goal: { text: 'p99 < 16.7 ms (one frame)', met: r.painted.p99 < FRAME_MS },
          note: `${r.painted.count} samples; clock error ≤ ${r.clockErrorMs.toFixed(2)} ms`,
        },
      ];
    });
    return { figures, checks: results.map((r) => r.check), details: { chromium: browser.version(), results: results.map(({ check: _c, ...r }) => r) } };
  } finally {
    await browser.close();
  }
}

export const stationToWindow: Benchmark = {
  id: 'station-to-window',
  title: '10. Station change → window painted, shipped host (3 and 10,000 voicemails)',
  run: measureStationToWindow,
};
