/**
 * `npm run bench -- --quick`, once, so the benchmarks never rot. Asserts nothing about time: only that every benchmark
 * ran, produced its figures, and that every final-state check held. The results go to a temporary file, never to
 * bench/results.json (the full run's).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../bench/types';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BENCHMARKS = ['event-to-state', 'event-to-dom', 'action-to-wire', 'burst', 'big-mailbox', 'idle', 'memory', 'capacity', 'sizes', 'station-to-bridge', 'station-to-window', 'flood'];

function run(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench', 'run.ts'), ...args], { cwd: root });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('npm run bench -- --quick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'companion-bench-test-'));
  const out = join(dir, 'quick.json');
  const fullResults = join(root, 'bench', 'results.json');
  const fullBefore = existsSync(fullResults) ? statSync(fullResults).mtimeMs : null;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every benchmark, produces every figure, and ends in correct states', { timeout: 170_000 }, async () => {
    const started = Date.now();
    const { code, output } = await run(['--quick', '--out', out]);
    const seconds = (Date.now() - started) / 1000;
    console.log(`bench --quick took ${seconds.toFixed(1)} s`);
    expect(existsSync(out), output).toBe(true);
    const results = JSON.parse(readFileSync(out, 'utf8')) as ResultsFile;

    expect(results.mode).toBe('quick');
    expect(results.node).toBe(process.version);
    expect(results.cpu.model.length).toBeGreaterThan(0);
    expect(results.benchmarks.map((b) => b.id)).toEqual(BENCHMARKS);
    for (const benchmark of results.benchmarks) {
      expect(benchmark.error, `${benchmark.id} failed:\n${benchmark.error ?? ''}`).toBeUndefined();
      expect(benchmark.figures.length, `${benchmark.id} produced no figures`).toBeGreaterThan(0);
      for (const figure of benchmark.figures) {
        const label = `${benchmark.id}: ${figure.figure}`;
        if (figure.value === null) {
          // Only a bundle that is not built may lack its figure, and it says so.
          expect(figure.note, label).toBe('not built');
          continue;
        }
        expect(Number.isFinite(figure.value), `${label} = ${figure.value}`).toBe(true);
        if (figure.baseline) expect(Number.isFinite(figure.baseline.value), `${label} baseline`).toBe(true);
      }
      expect(benchmark.checks.length, `${benchmark.id} checked nothing`).toBeGreaterThan(0);
      for (const check of benchmark.checks) expect(check.ok, `${benchmark.id}: ${check.name} ${check.detail ?? ''}`).toBe(true);
    }
    expect(results.figures.find((f) => f.figure === 'renderer JS (gzip)')?.value, 'renderer JS size').not.toBeNull();
    expect(code, output).toBe(0);
    expect(output).toContain('| benchmark');
    // A quick run never overwrites the full run's results.
    expect(existsSync(fullResults) ? statSync(fullResults).mtimeMs : null).toBe(fullBefore);
  });
});
