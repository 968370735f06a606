/**
 * `npm run bench [-- --quick] [--only id,id] [--out FILE] [--build]`: runs the benchmarks against in-process simulators on
 * loopback, prints one table and writes the results (with Node version, CPU model and date) as JSON.
 *
 *   --quick   few iterations of each (the test suite runs this); results go to a temporary file unless --out is given,
 *             so a quick run never overwrites the full run's bench/results.json
 *   --only    run only these benchmarks (ids: see `--list`)
 *   --out     where to write the JSON
 *   --build   build the renderer first (`npm run build:renderer`); it is built anyway when missing
 *
 * Exits non-zero when a benchmark fails, a final-state check fails, or (in a full run) a goal is missed; the goals are
 * written with the figures in the results file.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { actionToWire } from './benchmarks/actionToWire';
import { bigMailbox } from './benchmarks/bigMailbox';
import { burst } from './benchmarks/burst';
import { capacity } from './benchmarks/capacity';
import { coldStart } from './benchmarks/coldStart';
import { eventToDom } from './benchmarks/eventToDom';
import { eventToState } from './benchmarks/eventToState';
import { flood } from './benchmarks/flood';
import { idle } from './benchmarks/idle';
import { memory } from './benchmarks/memory';
import { sizes } from './benchmarks/sizes';
import { stationToBridge } from './benchmarks/stationToBridge';
import { stationToWindow } from './benchmarks/stationToWindow';
import { rendererBuilt, ROOT } from './harness';
import { formatTable } from './table';
import type { Benchmark, BenchmarkReport, ResultsFile } from './types';

const BENCHMARKS: readonly Benchmark[] = [
  eventToState,
  eventToDom,
  actionToWire,
  burst,
  bigMailbox,
  idle,
  memory,
  capacity,
  sizes,
  stationToBridge,
  stationToWindow,
  flood,
  coldStart,
];
const NEEDS_RENDERER = new Set(['event-to-dom', 'big-mailbox', 'sizes', 'station-to-window']);

interface Args {
  quick: boolean;
  only: string[] | null;
  out: string | null;
  build: boolean;
  list: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { quick: false, only: null, out: null, build: false, list: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    if (flag === '--quick') args.quick = true;
    else if (flag === '--build') args.build = true;
    else if (flag === '--list') args.list = true;
    else if (flag === '--only') args.only = value().split(',').map((id) => id.trim()).filter(Boolean);
    else if (flag === '--out') args.out = value();
    else throw new Error(`unknown option ${flag}; use --quick, --only ids, --out FILE, --build, --list`);
  }
  return args;
}

function buildRenderer(): void {
  console.error('building the renderer (npm run build:renderer)…');
  const result = spawnSync('npm', ['run', '--silent', 'build:renderer'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error('npm run build:renderer failed');
}

async function runBenchmarks(args: Args): Promise<{ file: string; results: ResultsFile; failed: boolean }> {
  const selected = args.only ? BENCHMARKS.filter((b) => args.only!.includes(b.id)) : [...BENCHMARKS];
  const unknown = (args.only ?? []).filter((id) => !BENCHMARKS.some((b) => b.id === id));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.id).join(', ')}`);
  if (args.build || (!rendererBuilt() && selected.some((b) => NEEDS_RENDERER.has(b.id)))) buildRenderer();

  const started = performance.now();
  const reports: BenchmarkReport[] = [];
  const ctx = { quick: args.quick, root: ROOT, log: (line: string) => console.error(line) };
  for (const benchmark of selected) {
    console.error(`▶ ${benchmark.title}${args.quick ? ' (quick)' : ''}`);
    const t0 = performance.now();
    try {
      const outcome = await benchmark.run(ctx);
      reports.push({ id: benchmark.id, title: benchmark.title, durationMs: performance.now() - t0, ...outcome });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      console.error(`  ✗ ${benchmark.id} failed: ${message}`);
      reports.push({ id: benchmark.id, title: benchmark.title, durationMs: performance.now() - t0, figures: [], checks: [], error: message });
    }
    console.error(`  done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }

  const cpu = cpus();
  const results: ResultsFile = {
    date: new Date().toISOString(),
    mode: args.quick ? 'quick' : 'full',
    node: process.version,
    cpu: { model: cpu[0]?.model ?? 'unknown', cores: cpu.length, speedMHz: cpu[0]?.speed ?? 0 },
    platform: `${platform()} ${release()}`,
    totalMemoryMB: Math.round(totalmem() / 1024 / 1024),
    durationMs: performance.now() - started,
    figures: reports.flatMap((report) => report.figures),
    benchmarks: reports,
  };
  const file = args.out ?? (args.quick ? join(tmpdir(), `icws-bench-quick-${process.pid}.json`) : join(ROOT, 'bench', 'results.json'));
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  // A missed goal fails the run as a failed check or an error does (timing stays out of `npm test`: it runs --quick).
  const missed = (report: BenchmarkReport) => report.figures.some((figure) => figure.goal !== undefined && !figure.goal.met);
  const failed = reports.some(
    (report) => report.error !== undefined || report.checks.some((check) => !check.ok) || (!args.quick && missed(report)),
  );
  return { file, results, failed };
}

async function main(): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  if (args.list) {
    for (const benchmark of BENCHMARKS) console.log(`${benchmark.id.padEnd(16)} ${benchmark.title}`);
    return 0;
  }
  const { file, results, failed } = await runBenchmarks(args);
  console.log(
    `\nICWS Companion benchmarks (${results.mode}) — ${results.date}, Node ${results.node}, ${results.cpu.model} × ${results.cpu.cores}\n`,
  );
  console.log(formatTable(results.figures));
  for (const report of results.benchmarks) {
    if (report.error) console.log(`\n✗ ${report.id}: ${report.error.split('\n')[0]}`);
    for (const check of report.checks.filter((c) => !c.ok)) {
      console.log(`✗ ${report.id}: check failed: ${check.name}${check.detail ? ` (${check.detail})` : ''}`);
    }
    for (const figure of report.figures.filter((f) => f.goal && !f.goal.met)) {
      console.log(`✗ ${report.id}: goal missed: ${figure.figure} = ${String(figure.value)} ${figure.unit} (goal ${figure.goal!.text})`);
    }
  }
  console.log(`\nresults: ${file} (${(results.durationMs / 1000).toFixed(0)} s)`);
  return failed ? 1 : 0;
}

// Servers, sockets and Chromium are all closed by the benchmarks; exit anyway so a stray handle cannot hang the run.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
