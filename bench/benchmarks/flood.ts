/**
 * 11. Flood: the simulator writes 500,000 new voicemails (one `voicemailMessagesAdded` delta each, one event per write)
 * into the shipped host while two bridge clients are attached; a third client asks `state.get` every 100 ms throughout.
 * The flood is written in slices of 2,000, at most four slices ahead of what the host has applied (as TCP would hold a
 * real server back), so that this process, which also times the answers, keeps reading. Figures: the slowest `state.get` answer, the host alive at the end, its peak RSS,
 * and the mailbox it shows (the newest 20,000, the rest counted as not shown).
 */
import { performance } from 'node:perf_hooks';
import { MAILBOX_LIMIT } from '../../preload/contract';
import { sleep, userId } from '../harness';
import { ensureHostBuilt, ShippedHost, startEventSim } from '../shipped';
import { summarize } from '../stats';
import type { Benchmark, BenchContext, BenchmarkOutcome } from '../types';

const B = '11 flood';
const SLICE = 2000;

export async function measureFlood(ctx: BenchContext): Promise<BenchmarkOutcome> {
  ensureHostBuilt();
  const total = ctx.quick ? 40_000 : 500_000;
  const sim = await startEventSim({ mailbox: 3 });
  const host = await ShippedHost.start();
  try {
    await host.signIn(sim, 0, 3);
    await host.connect();
    const probe = await host.connect();
    host.resetPeak();

    let flooding = true;
    const answers: number[] = [];
    let slowest = 0;
    let lost: string | null = null;
    const asking = (async () => {
      while (flooding && lost === null) {
        const start = performance.now();
        const answered = probe.call('state.get').then(
          () => performance.now() - start,
          (error: unknown) => {
            lost = error instanceof Error ? error.message : String(error);
            return performance.now() - start;
          },
        );
        // A deadline turns a host that stopped answering into a figure instead of a hang.
        const took = await Promise.race([answered, sleep(30_000).then(() => 30_000)]);
        answers.push(took);
        slowest = Math.max(slowest, took);
        await sleep(100);
      }
    })();

    const start = performance.now();
    const applied = () => {
      const voicemail = host.client.state?.voicemail;
      return voicemail ? voicemail.messages.length + voicemail.notShown - 3 : 0;
    };
    // A host that cannot keep up is not waited for without end: past the budget, what it applied is the figure.
    const budgetEnd = start + (ctx.quick ? 60_000 : 240_000);
    let sent = 0;
    while (sent < total && host.alive && performance.now() < budgetEnd) {
      const count = Math.min(SLICE, total - sent);
      sim.control.burst({ userId: userId(0), count, kind: 'voicemailAdded' });
      sent += count;
      // At most a few slices ahead of what the host has applied, as TCP's window would hold a real server back: the
      // writes then wait in the host's socket, not in this process's memory.
      while (applied() < sent - 4 * SLICE && host.alive && performance.now() < budgetEnd) await sleep(2);
    }
    const expected = Math.min(total + 3, MAILBOX_LIMIT);
    const notShown = total + 3 - expected;
    await host.client
      .waitForState(
        (state) => state.voicemail.messages.length === expected && state.voicemail.notShown === notShown,
        Math.max(1, budgetEnd - performance.now()),
        'the flood applied',
      )
      .catch(() => undefined);
    const appliedMs = performance.now() - start;
    flooding = false;
    await asking;
    const alive = host.alive;
    const usage = alive ? host.usage() : null;
    const state = host.client.state;
    const summary = summarize(answers);
    ctx.log(`  ${total} voicemails in ${(appliedMs / 1000).toFixed(1)} s; state.get slowest ${slowest.toFixed(0)} ms; ${usage ? `peak RSS ${usage.peakMiB.toFixed(0)} MiB` : 'the host exited'}`);
    return {
      figures: [
        {
          benchmark: B,
          figure: `state.get slowest answer during ${total.toLocaleString('en-US')} voicemails`,
          unit: 'ms',
          value: slowest,
          goal: { text: 'host alive, state.get answered within 1 s throughout', met: alive && lost === null && slowest < 1000 },
          note: `${answers.length} answers, p99 ${summary.p99.toFixed(1)} ms${lost ? `; then no answer: ${String(lost)}` : ''}`,
        },
        {
          benchmark: B,
          figure: 'flood applied (last voicemail in the bridge client)',
          unit: 'ms',
          value: appliedMs,
          note: `${sent.toLocaleString('en-US')} written, ${applied().toLocaleString('en-US')} applied`,
        },
        {
          benchmark: B,
          figure: 'host RSS peak during the flood',
          unit: 'MiB',
          value: usage?.peakMiB ?? null,
          note: usage ? 'VmHWM of the host process' : 'the host exited during the flood',
        },
      ],
      checks: [
        { name: 'the host is alive after the flood', ok: alive },
        { name: 'the bridge kept answering state.get', ok: lost === null, detail: lost ?? '' },
        {
          name: `the bridge client shows the newest ${expected.toLocaleString('en-US')} and counts ${notShown.toLocaleString('en-US')} not shown`,
          ok: state?.voicemail.messages.length === expected && state.voicemail.notShown === notShown,
          detail: `${String(state?.voicemail.messages.length)} shown, ${String(state?.voicemail.notShown)} not shown`,
        },
      ],
      details: { total, stateGet: summary, slowestMs: slowest, lost, hostAlive: alive, appliedMs, peakMiB: usage?.peakMiB ?? null, clientGaps: host.clients.map((c) => c.gaps) },
    };
  } finally {
    await host.close();
    await sim.close();
  }
}

export const flood: Benchmark = {
  id: 'flood',
  title: '11. Flood of 500,000 voicemails into the shipped host, two clients attached, state.get asked throughout',
  run: measureFlood,
};
