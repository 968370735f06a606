/**
 * 8. Sizes: gzip size (zlib, level 9) of what ships: the renderer's JS and CSS (`out/renderer`), and the main and preload
 * bundles (`out/main`, `out/preload`, written by `npm run build`). Whatever is not built is reported as such.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Benchmark, BenchContext, BenchmarkOutcome, Figure } from '../types';

const KB = 1024;

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

function gzipTotal(paths: readonly string[]): { raw: number; gzip: number; files: number } {
  let raw = 0;
  let gzip = 0;
  for (const path of paths) {
    const content = readFileSync(path);
    raw += content.length;
    gzip += gzipSync(content, { level: 9 }).length;
  }
  return { raw, gzip, files: paths.length };
}

export async function measureSizes(ctx: BenchContext): Promise<BenchmarkOutcome> {
  const out = join(ctx.root, 'out');
  const isJs = (path: string) => /\.(m|c)?js$/.test(path);
  const renderer = files(join(out, 'renderer'));
  const groups = [
    { figure: 'renderer JS', paths: renderer.filter(isJs), built: renderer.length > 0, goal: 60 },
    { figure: 'renderer CSS', paths: renderer.filter((path) => path.endsWith('.css')), built: renderer.length > 0 },
    { figure: 'main bundle', paths: files(join(out, 'main')).filter(isJs), built: existsSync(join(out, 'main')) },
    { figure: 'preload bundle', paths: files(join(out, 'preload')).filter(isJs), built: existsSync(join(out, 'preload')) },
  ];
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  for (const group of groups) {
    if (!group.built || group.paths.length === 0) {
      figures.push({ benchmark: '8 sizes', figure: `${group.figure} (gzip)`, unit: 'KB', value: null, note: 'not built' });
      continue;
    }
    const size = gzipTotal(group.paths);
    details[group.figure] = { ...size, paths: group.paths.map((path) => path.slice(ctx.root.length)) };
    figures.push({
      benchmark: '8 sizes',
      figure: `${group.figure} (gzip)`,
      unit: 'KB',
      value: size.gzip / KB,
      note: `${(size.raw / KB).toFixed(1)} KB raw, ${size.files} file${size.files === 1 ? '' : 's'}`,
      ...(group.goal ? { goal: { text: `< ${group.goal} KB`, met: size.gzip / KB < group.goal } } : {}),
    });
  }
  return {
    figures,
    checks: [{ name: 'the renderer is built', ok: renderer.some((path) => path.endsWith('index.html')) }],
    details,
  };
}

export const sizes: Benchmark = {
  id: 'sizes',
  title: '8. Sizes (gzip)',
  run: measureSizes,
};
