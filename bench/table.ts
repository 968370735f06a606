import type { Figure } from './types';

/** 0.123 → "0.12", 12.34 → "12.3", 12345.6 → "12,346". */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return '∞';
  const abs = Math.abs(value);
  const digits = abs === 0 ? 0 : abs < 10 ? 2 : abs < 100 ? 1 : 0;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratio(figure: Figure): string {
  if (figure.ratio === undefined || !Number.isFinite(figure.ratio)) return '';
  return `${formatNumber(figure.ratio)}×`;
}

function goal(figure: Figure): string {
  if (!figure.goal) return '';
  return `${figure.goal.met ? '✓' : '✗'} ${figure.goal.text}`;
}

/** One Markdown pipe table, padded so it also reads well in a terminal. */
export function formatTable(figures: readonly Figure[]): string {
  const header = ['benchmark', 'figure', 'value', 'unit', 'baseline', 'ratio', 'goal', 'note'];
  const rows = figures.map((f) => [
    f.benchmark,
    f.figure,
    f.value === null ? (f.note ?? '—') : formatNumber(f.value),
    f.unit,
    f.baseline ? `${formatNumber(f.baseline.value)} (${f.baseline.label})` : '',
    ratio(f),
    goal(f),
    f.value === null ? '' : (f.note ?? ''),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const numeric = new Set([2, 5]);
  const pad = (cell: string, i: number) => (numeric.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!));
  const line = (cells: readonly string[], head = false) => `| ${cells.map((cell, i) => (head ? cell.padEnd(widths[i]!) : pad(cell, i))).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => (numeric.has(i) ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`;
  return [line(header, true), rule, ...rows.map((row) => line(row))].join('\n');
}
