// The packaged app as a black box (CI, after `npm run package:dir`): COMPANION_PACKAGED_APP is its executable. Its fuses
// are read back from the binary; it is started with a debugging port and driven over CDP; on Windows and macOS, where
// Electron validates the asar's integrity, a copy with a modified app.asar must refuse to start.
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CompanionApi, PublicState, Result } from '../../preload/contract';
import { EXPECTED_FUSES, readFuses } from './fuses';
import { appEnv, artifacts } from './harness';

declare global {
  interface Window {
    companion: CompanionApi;
  }
}

const executable = process.env.COMPANION_PACKAGED_APP ?? '';
/** The folder the package was unpacked to: the .app bundle on macOS, the executable's folder elsewhere. */
const packageRoot = process.platform === 'darwin' ? executable.slice(0, executable.indexOf('.app') + 4) : dirname(executable);
const asarPath = (root: string) => (process.platform === 'darwin' ? join(root, 'Contents', 'Resources', 'app.asar') : join(root, 'resources', 'app.asar'));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function start(path: string, args: string[]): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(path, args, { env: appEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

describe('the packaged app (COMPANION_PACKAGED_APP)', () => {
  let userData: string;
  let app: ReturnType<typeof start>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!executable) throw new Error('COMPANION_PACKAGED_APP must name the packaged executable.');
    userData = await mkdtemp(join(tmpdir(), 'companion-packaged-'));
    const port = await freePort();
    app = start(executable, [`--remote-debugging-port=${port}`, `--user-data-dir=${userData}`]);
    browser = await vi.waitUntil(() => chromium.connectOverCDP(`http://127.0.0.1:${port}`).catch(() => null), { timeout: 60_000, interval: 500 });
    page = await vi.waitUntil(() => browser.contexts().flatMap((context) => context.pages()).find((p) => p.url().startsWith('app://companion/')), {
      timeout: 60_000,
      interval: 250,
    });
  });

  afterAll(async () => {
    await page?.screenshot({ path: join(artifacts, 'packaged.png') }).catch(() => {});
    await browser?.close().catch(() => {});
    if (app && app.child.exitCode === null) {
      app.child.kill();
      await app.exited;
    }
    if (userData) {
      const log = await readFile(join(userData, 'logs', 'companion.log'), 'utf8').catch(() => '');
      await writeFile(join(artifacts, 'packaged.log'), log).catch(() => {});
      await rm(userData, { recursive: true, force: true }).catch(() => {});
    }
  });

  it('has the fuses of the security checklist in its binary', async () => {
    expect(await readFuses(process.platform === 'darwin' ? packageRoot : executable)).toEqual(EXPECTED_FUSES);
  });

  it('runs its window on app://companion/ with window.companion and no Node, driven over CDP', async () => {
    const facts = await page.evaluate(() => ({
      companion: typeof window.companion,
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      background: getComputedStyle(document.body).backgroundColor,
    }));
    expect(facts).toMatchObject({ companion: 'object', require: 'undefined', process: 'undefined' });
    expect(facts.background).not.toBe('rgba(0, 0, 0, 0)');
  });

  it('signs in to the built-in demo (the simulator and its dependencies are in the package)', async () => {
    await page.getByRole('button', { name: 'Try the demo' }).click();
    await vi.waitUntil(
      async () => (await page.evaluate(async () => ((await window.companion.state.get()) as Result<PublicState> & { ok: true }).value.connection.status)) === 'connected',
      { timeout: 60_000, interval: 250 },
    );
  });

  // Electron validates app.asar against the hash built into the binary on macOS and Windows only.
  if (process.platform === 'darwin' || process.platform === 'win32') {
    it('refuses to start from a modified app.asar', async () => {
      const copy = await mkdtemp(join(tmpdir(), 'companion-tampered-'));
      const tampered = join(copy, process.platform === 'darwin' ? 'ICWS Companion.app' : 'app');
      await cp(packageRoot, tampered, { recursive: true, verbatimSymlinks: true });
      const archive = asarPath(tampered);
      const bytes = await readFile(archive);
      // A byte of the main bundle's code, past the archive's header: only the integrity check can notice it.
      const at = bytes.indexOf(Buffer.from('ICWS Companion could not start'));
      expect(at).toBeGreaterThan(0);
      bytes[at] = 'i'.charCodeAt(0);
      await writeFile(archive, bytes);
      const profile = await mkdtemp(join(tmpdir(), 'companion-tampered-profile-'));
      const run = start(join(tampered, relative(packageRoot, executable)), [`--user-data-dir=${profile}`]);
      const code = await Promise.race([run.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 30_000))]);
      if (code === 'running') run.child.kill();
      expect(code, run.output()).not.toBe('running');
      expect(code, run.output()).not.toBe(0);
      await rm(copy, { recursive: true, force: true }).catch(() => {});
      await rm(profile, { recursive: true, force: true }).catch(() => {});
    });
  }
});
