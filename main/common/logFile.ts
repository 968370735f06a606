import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatLogRecord, type LogRecord, type LogSink } from './log';

export interface LogFileOptions {
  /** Past this size the file is rotated (`companion.log` → `companion.1.log` …). */
  maxBytes?: number;
  /** Rotated files kept besides the current one. */
  keep?: number;
}

/**
 * A log file an IT admin can ask an agent for: one line a record (already redacted by the logger), rotated by size so
 * a companion that runs for months keeps a few megabytes at most. Writing is synchronous: log lines are few, and a
 * line written just before a crash is the one that matters.
 */
export function logFileSink(file: string, options: LogFileOptions = {}): LogSink {
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const keep = options.keep ?? 3;
  let size = existsSync(file) ? statSync(file).size : 0;
  let broken = false;
  return (record: LogRecord) => {
    if (broken) return;
    const line = `${formatLogRecord(record)}\n`;
    try {
      if (size > 0 && size + Buffer.byteLength(line) > maxBytes) {
        rotate(file, keep);
        size = 0;
      }
      if (size === 0) mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      appendFileSync(file, line, { mode: 0o600 });
      size += Buffer.byteLength(line);
    } catch (error) {
      // A log that cannot be written (full disk, read-only folder) must never take the companion down with it.
      broken = true;
      process.stderr.write(`The log file ${file} cannot be written (${(error as Error).message}); logging to it stops.\n`);
    }
  };
}

function rotate(file: string, keep: number): void {
  const numbered = (n: number) => file.replace(/(\.log)?$/, `.${n}.log`);
  rmSync(numbered(keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) if (existsSync(numbered(n))) renameSync(numbered(n), numbered(n + 1));
  renameSync(file, numbered(1));
}

/** Sends every record to each sink (the console and the log file). */
export function teeSink(...sinks: LogSink[]): LogSink {
  return (record) => {
    for (const sink of sinks) sink(record);
  };
}
