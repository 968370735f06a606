import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, SecretRegistry } from '../../../main/common/log';
import { logFileSink } from '../../../main/common/logFile';

const folders: string[] = [];
const folder = () => {
  const made = mkdtempSync(join(tmpdir(), 'companion-logs-'));
  folders.push(made);
  return made;
};
afterEach(() => {
  for (const made of folders.splice(0)) rmSync(made, { recursive: true, force: true });
});

describe('the log file', () => {
  it('holds one redacted line a record, readable by the user only', () => {
    const file = join(folder(), 'logs', 'companion.log');
    const secrets = new SecretRegistry();
    secrets.add('csrf-0123456789');
    const log = createLogger({ sink: logFileSink(file), secrets, scope: 'desktop' });
    log.info('signed in', { sessionId: '42', csrfToken: 'csrf-0123456789' });
    log.warn('token csrf-0123456789 echoed');
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/INFO \[desktop\] signed in \{"sessionId":"42","csrfToken":"\[redacted\]"\}$/);
    expect(lines[1]).toMatch(/WARN \[desktop\] token \[redacted\] echoed$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
  });

  it('rotates by size and keeps only a few old files', () => {
    const dir = folder();
    const file = join(dir, 'companion.log');
    const log = createLogger({ sink: logFileSink(file, { maxBytes: 400, keep: 2 }) });
    for (let i = 0; i < 40; i++) log.info(`line ${i} ${'x'.repeat(40)}`);
    expect(readdirSync(dir).sort()).toEqual(['companion.1.log', 'companion.2.log', 'companion.log']);
    for (const name of readdirSync(dir)) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(400);
    expect(readFileSync(file, 'utf8')).toContain('line 39 ');
  });

  it('never takes the companion down when the file cannot be written, and says so once', () => {
    const dir = folder();
    // A file where the log folder should be: no user, not even root, can create the log inside it.
    writeFileSync(join(dir, 'logs'), 'not a folder');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const log = createLogger({ sink: logFileSink(join(dir, 'logs', 'companion.log')) });
    try {
      expect(() => {
        log.info('first');
        log.info('second');
      }).not.toThrow();
      expect(stderr).toHaveBeenCalledTimes(1);
      expect(String(stderr.mock.calls[0]![0])).toContain('cannot be written');
    } finally {
      stderr.mockRestore();
    }
  });
});
