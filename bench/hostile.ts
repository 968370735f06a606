/**
 * `npx tsx bench/hostile.ts [scenario ...] [--seconds N]`: the companion against a deliberately broken server
 * (tests/fixtures/hostileServer.ts), one scenario per child process so each figure is the companion's alone:
 *
 *   peak RSS        the child's peak resident set (the kernel's VmHWM, sampled while it runs), MB
 *   blocked         the longest the child's event loop was blocked (monitorEventLoopDelay max), ms
 *   req/s           requests the server received per second of the run
 *   leaked          for `echo`: how many forms of the password reached the sentence shown to the agent
 *
 * The child runs with `--max-old-space-size=1536`, so a client that grows without bound dies of "heap out of memory"
 * (reported as `crashed`) instead of taking the machine's memory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { startHostileServer, type HostileRoutes } from '../tests/fixtures/hostileServer';
import { createBenchCompanion } from './benchCompanion';

const PASSWORD = 'Pa"ss\\wörd<&>%1';

const SCENARIOS: Record<string, HostileRoutes> = {
  'endless-line': { messages: { kind: 'endlessLine' } },
  'endless-event': { messages: { kind: 'endlessEvent' } },
  'short-streams': { messages: { kind: 'shortStream' } },
  'stream-refused': { messages: { kind: 'html', status: 502, html: '<title>Bad Gateway</title>' } },
  'html-page': { signIn: { kind: 'html', status: 500, html: `<html><body>${'<script>'.repeat(115_000)}</body></html>` } },
  'huge-sign-in': { signIn: { kind: 'hugeBody', bytes: 200 * 1024 * 1024, declareLength: true } },
  'huge-messages': { messages: { kind: 'hugeBody', bytes: 200 * 1024 * 1024, declareLength: true } },
  'deep-json': { signIn: { kind: 'deepJson', depth: 1_000_000 } },
  'deep-json-1mb': { signIn: { kind: 'deepJson', depth: 500_000 } },
  echo: { signIn: { kind: 'echo', status: 400 } },
};

interface ChildReport {
  signIn: string;
  blockedMs: number;
  alive: boolean;
}

async function child(base: string, seconds: number): Promise<void> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const dataDir = mkdtempSync(join(tmpdir(), 'companion-hostile-'));
  const companion = await createBenchCompanion(dataDir);
  const result = await Promise.race([
    companion.handlers['session.signIn']({ server: base, userId: 'agent1', password: PASSWORD, remember: false }),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), seconds * 1000)),
  ]);
  const signIn = result === null ? 'still signing in' : result.ok ? 'signed in' : result.error.message;
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  delay.disable();
  const report: ChildReport = { signIn, blockedMs: Math.round(delay.max / 1e6), alive: true };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}

function leakedForms(message: string): number {
  const forms = [PASSWORD, JSON.stringify(PASSWORD).slice(1, -1), encodeURIComponent(PASSWORD), Buffer.from(PASSWORD).toString('base64')];
  return forms.filter((form) => message.includes(form)).length;
}

async function run(name: string, seconds: number): Promise<void> {
  const server = await startHostileServer(SCENARIOS[name]);
  const started = Date.now();
  const script = fileURLToPath(import.meta.url);
  const proc = spawn(process.execPath, ['--max-old-space-size=1536', '--import', 'tsx', script, '--child', server.base, String(seconds)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The kernel's high-water mark, read while the child runs: a child that dies of "heap out of memory" reports nothing.
  let peakKb = 0;
  const sampler = setInterval(() => {
    try {
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? 0);
      peakKb = Math.max(peakKb, kb);
    } catch {
      // gone already
    }
  }, 50);
  let out = '';
  let err = '';
  proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  proc.stderr.on('data', (chunk: Buffer) => (err = (err + chunk.toString()).slice(-2000)));
  const usage = await new Promise<{ code: number | null; signal: string | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  clearInterval(sampler);
  const elapsed = (Date.now() - started) / 1000;
  const requests = server.counts.signIn + server.counts.messages + server.counts.call;
  await server.close();
  const report = out.trim() ? (JSON.parse(out.trim().split('\n').pop() as string) as ChildReport) : null;
  const crashed = !report ? `crashed (${usage.signal ?? `exit ${usage.code}`}${/heap out of memory/i.test(err) ? ', heap out of memory' : ''})` : '';
  const line = [
    name.padEnd(14),
    `peak RSS ${Math.round(peakKb / 1024)} MB`.padEnd(18),
    `blocked ${report ? `${report.blockedMs} ms` : '?'}`.padEnd(18),
    `${(requests / elapsed).toFixed(1)} req/s`.padEnd(14),
    name === 'echo' && report ? `leaked forms ${leakedForms(report.signIn)}` : '',
    crashed || `sign-in: ${report?.signIn.slice(0, 140)}`,
  ].join(' ');
  process.stdout.write(`${line}\n`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') {
  void child(argv[1] as string, Number(argv[2]));
} else {
  const secondsAt = argv.indexOf('--seconds');
  const seconds = secondsAt >= 0 ? Number(argv[secondsAt + 1]) : 10;
  const names = argv.filter((arg, index) => !arg.startsWith('--') && !(secondsAt >= 0 && index === secondsAt + 1));
  for (const name of names.length > 0 ? names : Object.keys(SCENARIOS)) await run(name, seconds);
}
