/**
 * 12. Cold start: `npm run host` until it prints its `ui:` line, with out/ already built for the sources (the launcher
 * then builds nothing), and the bundle alone (`node out/host/cli.js`) for comparison. Median of several starts, each with
 * a fresh data folder; the process group is ended once the line is read.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sleep } from '../harness';
import { ensureHostBuilt, HOST_ROOT } from '../shipped';
import { median } from '../stats';
import type { Benchmark, BenchContext, BenchmarkOutcome } from '../types';

const B = '12 cold start';

/** Milliseconds from spawning `command` until its standard output shows `ui:`, and whether it said it was building. */
async function timeToUi(command: string, args: string[]): Promise<{ ms: number; built: boolean }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'companion-cold-'));
  const start = performance.now();
  const child = spawn(command, [...args, '--port', '0', '--data-dir', dataDir], { cwd: HOST_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('ui: ')) resolve(performance.now() - start);
      });
      child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${String(code)} before printing ui:`)));
    });
    return { ms, built: errors.includes('Building') };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
    await sleep(100);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function measureColdStart(ctx: BenchContext): Promise<BenchmarkOutcome> {
  ensureHostBuilt();
  const runs = ctx.quick ? 2 : 7;
  const npm: number[] = [];
  const node: number[] = [];
  let rebuilt = 0;
  for (let i = 0; i < runs; i++) {
    const started = await timeToUi('npm', ['run', '--silent', 'host', '--']);
    npm.push(started.ms);
    if (started.built) rebuilt++;
    node.push((await timeToUi(process.execPath, [join(HOST_ROOT, 'out', 'host', 'cli.js')])).ms);
  }
  ctx.log(`  npm run host: ${npm.map((t) => t.toFixed(0)).join(', ')} ms; node out/host/cli.js: ${node.map((t) => t.toFixed(0)).join(', ')} ms`);
  const value = median(npm);
  return {
    figures: [
      {
        benchmark: B,
        figure: 'npm run host → ui: line, built',
        unit: 'ms',
        value,
        goal: { text: '< 500 ms', met: value < 500 },
        note: `median of ${runs}; nothing rebuilt`,
      },
      { benchmark: B, figure: 'node out/host/cli.js → ui: line', unit: 'ms', value: median(node), note: `median of ${runs}; npm itself costs the difference` },
    ],
    checks: [{ name: 'npm run host built nothing (out/ was current)', ok: rebuilt === 0, detail: `${rebuilt} of ${runs} starts rebuilt` }],
    details: { npmRunHostMs: npm, nodeOutHostMs: node },
  };
}

export const coldStart: Benchmark = {
  id: 'cold-start',
  title: '12. npm run host to its ui: line, out/ current',
  run: measureColdStart,
};
