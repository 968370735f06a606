/** What every benchmark returns, and what `bench/run.ts` prints and writes to `results.json`. */

export interface Figure {
  /** Short id of the benchmark, e.g. `1 event→state`. */
  benchmark: string;
  /** What was measured, e.g. `SSE p99`. */
  figure: string;
  unit: string;
  /** null when it could not be measured (e.g. a bundle that is not built); `note` says why. */
  value: number | null;
  /** The figure it is compared with (the polling client, a previous state), measured in the same run. */
  baseline?: { label: string; value: number };
  /** baseline ÷ value: how many times better (lower is better for every figure that has a baseline). */
  ratio?: number;
  /** The goal this figure answers, and whether it was met; a missed goal makes a full `npm run bench` fail. */
  goal?: { text: string; met: boolean };
  note?: string;
}

export interface Check {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface BenchmarkOutcome {
  figures: Figure[];
  /** Correctness of the final state (never about time): the test suite asserts these. */
  checks: Check[];
  /** Anything else worth keeping in results.json: sample counts, full summaries, settings used. */
  details?: Record<string, unknown>;
}

export interface BenchContext {
  quick: boolean;
  /** Repository root. */
  root: string;
  /** Progress lines (stderr), never the table. */
  log(line: string): void;
}

export interface Benchmark {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchmarkOutcome>;
}

export interface BenchmarkReport extends BenchmarkOutcome {
  id: string;
  title: string;
  durationMs: number;
  error?: string;
}

export interface ResultsFile {
  date: string;
  mode: 'full' | 'quick';
  node: string;
  cpu: { model: string; cores: number; speedMHz: number };
  platform: string;
  totalMemoryMB: number;
  durationMs: number;
  figures: Figure[];
  benchmarks: BenchmarkReport[];
}
