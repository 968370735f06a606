/**
 * 5. Idle cost: two host companions in their own processes, signed in and idle over the same window (60 s; quick: 3 s),
 * one on Server-Sent Events and one polling (a simulator with messaging feature 1). Requests the simulator received from
 * each, and each host process's CPU time.
 */
import { POLL_BASELINE, RequestLog, signInProcess, sleep, spawnHost, startSim } from '../harness';
import type { Benchmark, BenchContext, BenchmarkOutcome } from '../types';

export async function measureIdle(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const windowMs = ctx.quick ? 3000 : 60_000;
  const sseSim = await startSim({ users: 1, messaging: 2 });
  const pollSim = await startSim({ users: 1, messaging: 1 });
  const sseHost = await spawnHost();
  const pollHost = await spawnHost({ pollIntervalMs: POLL_BASELINE.intervalMs });
  try {
    await Promise.all([signInProcess(sseHost, sseSim, 0), signInProcess(pollHost, pollSim, 0)]);
    await sleep(ctx.quick ? 500 : 3000); // settle: sign-in's own requests are not idle traffic
    const sseLog = new RequestLog(sseSim);
    const pollLog = new RequestLog(pollSim);
    const [sseBefore, pollBefore] = await Promise.all([sseHost.usage(), pollHost.usage()]);
    ctx.log(`  idle for ${windowMs / 1000} s`);
    await sleep(windowMs);
    const [sseAfter, pollAfter] = await Promise.all([sseHost.usage(), pollHost.usage()]);
    sseLog.stop();
    pollLog.stop();

    const perMinute = (count: number) => (count * 60_000) / windowMs;
    const isPoll = (r: { method: string; path: string }) => r.method === 'GET' && r.path.endsWith('/messaging/messages');
    const ssePolls = sseLog.records.filter(isPoll).length;
    const sseCpu = ((sseAfter.cpuMicros - sseBefore.cpuMicros) / 1000) * (60_000 / windowMs);
    const pollCpu = ((pollAfter.cpuMicros - pollBefore.cpuMicros) / 1000) * (60_000 / windowMs);
    const sseRequests = perMinute(sseLog.records.length);
    const pollRequests = perMinute(pollLog.records.length);
    const [sseState, pollState] = [sseHost.client.state, pollHost.client.state];
    return {
      figures: [
        {
          benchmark: '5 idle',
          figure: 'SSE requests',
          unit: 'req/min',
          value: sseRequests,
          baseline: { label: 'polling', value: pollRequests },
          ...(sseRequests > 0 ? { ratio: pollRequests / sseRequests } : {}),
        },
        {
          benchmark: '5 idle',
          figure: 'SSE message polls',
          unit: 'req/min',
          value: perMinute(ssePolls),
          goal: { text: 'zero polling requests on SSE', met: ssePolls === 0 },
        },
        {
          benchmark: '5 idle',
          figure: 'SSE host CPU',
          unit: 'ms/min',
          value: sseCpu,
          baseline: { label: 'polling', value: pollCpu },
          ratio: pollCpu / sseCpu,
        },
        { benchmark: '5 idle', figure: 'polling requests', unit: 'req/min', value: pollRequests, note: POLL_BASELINE.note },
        { benchmark: '5 idle', figure: 'polling host CPU', unit: 'ms/min', value: pollCpu },
      ],
      checks: [
        { name: 'both hosts still signed in', ok: sseState?.connection.status === 'connected' && pollState?.connection.status === 'connected' },
        {
          name: 'messaging modes as intended',
          ok: sseState?.connection.messaging === 'sse' && pollState?.connection.messaging === 'poll',
          detail: `${String(sseState?.connection.messaging)} / ${String(pollState?.connection.messaging)}`,
        },
      ],
      details: {
        windowMs,
        sse: { requests: sseLog.records.length, messagePolls: ssePolls, paths: countPaths(sseLog.records) },
        polling: { requests: pollLog.records.length, paths: countPaths(pollLog.records) },
      },
    };
  } finally {
    await Promise.all([sseHost.close(), pollHost.close()]);
    await Promise.all([sseSim.close(), pollSim.close()]);
  }
}

/** Request counts by method and path, session ids replaced by `{id}`. */
function countPaths(records: readonly { method: string; path: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { method, path } of records) {
    const key = `${method} ${path.replace(/^\/icws\/\d+\//, '/icws/{id}/')}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export const idle: Benchmark = {
  id: 'idle',
  title: '5. Idle cost (60 s signed in)',
  run: measureIdle,
};
