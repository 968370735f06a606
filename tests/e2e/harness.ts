import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const screenshotDir = join(repo, 'tests/artifacts/screenshots');

let built: Promise<void> | null = null;
/**
 * The renderer as `npm run host` serves it, built once per test file from the project's own config. Under `npm test`
 * it was built just before the tests (COMPANION_RENDERER_BUILT): building again would empty out/renderer while other
 * test files serve it.
 */
export function buildRenderer(): Promise<void> {
  if (process.env.COMPANION_RENDERER_BUILT === '1') return Promise.resolve();
  built ??= build({ configFile: join(repo, 'renderer/vite.config.ts'), logLevel: 'warn' }).then(() => undefined);
  return built;
}

export interface Host {
  ui: string;
  bridge: string;
  dataDir: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * `tsx main/host/cli.ts --port 0 --data-dir <tmp> [--demo]` (Node with tsx's loader: no npx wrapper, so the host is the
 * child itself on every OS), resolved once it prints its `ui:` and `bridge:` lines.
 */
export async function startHost(options: { demo?: boolean; extraArgs?: string[] } = {}): Promise<Host> {
  const dataDir = await mkdtemp(join(tmpdir(), 'companion-e2e-'));
  const args = ['--import', 'tsx', 'main/host/cli.ts', '--port', '0', '--data-dir', dataDir, ...(options.demo ? ['--demo'] : []), ...(options.extraArgs ?? [])];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const lines = await new Promise<{ ui: string; bridge: string }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ui = /^ui: (\S+)/m.exec(output)?.[1];
      const bridge = /^bridge: (\S+)/m.exec(output)?.[1];
      if (ui && bridge) resolve({ ui, bridge });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`The host exited (${code}) before it was ready:\n${output}`)));
  });
  return {
    ...lines,
    dataDir,
    output: () => output,
    stop: async () => {
      // Killed by a signal, a child has a signalCode and no exitCode: either means it is gone.
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export { launchChromium } from '../chromium';

export const SIZES = {
  narrow: { width: 380, height: 560 },
  wide: { width: 1280, height: 800 },
} as const;

export interface Window {
  context: BrowserContext;
  page: Page;
  /** Console errors and CSP violations seen on the page; a test asserts there are none. */
  problems: string[];
}

export async function openWindow(browser: Browser, url: string, colorScheme: 'light' | 'dark' = 'light'): Promise<Window> {
  const context = await browser.newContext({ viewport: SIZES.narrow, colorScheme });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // frame-ancestors cannot be set from a meta tag; the host sends it as a header. Chromium says so once.
    if (message.type() === 'error' && !/frame-ancestors/.test(message.text())) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(url);
  return { context, page, problems };
}

/**
 * Both sizes of the current state, as PNGs named for it. `focus` is what the state is about: it is scrolled into view
 * (below the sticky header), as an agent would see it after acting on it.
 */
export async function screenshots(page: Page, name: string, focus?: Locator): Promise<void> {
  await mkdir(screenshotDir, { recursive: true });
  const original = page.viewportSize();
  for (const [size, viewport] of Object.entries(SIZES)) {
    await page.setViewportSize(viewport);
    await page.evaluate(() => window.scrollTo(0, 0));
    if (focus) {
      await focus.evaluate((element) => {
        const header = document.querySelector('header')?.getBoundingClientRect().height ?? 0;
        const top = element.getBoundingClientRect().top + window.scrollY - header - 8;
        if (element.getBoundingClientRect().bottom > window.innerHeight) window.scrollTo(0, Math.max(0, top));
      });
    }
    await page.screenshot({ path: join(screenshotDir, `${name}-${size}.png`), fullPage: false });
  }
  if (original) await page.setViewportSize(original);
}

/** The status bar's "Connected" (not "Not connected"). */
export const CONNECTED = /^\s*Connected\b/;

/** Waits until the locator (its first match) contains the text. */
export async function expectText(locator: Locator, text: string | RegExp, timeout = 20_000): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout });
}

/** One JSON-RPC call over the bridge from Node (no Origin header: a local tool, let in by its token). */
export async function rpc<T = unknown>(bridgeUrl: string, method: string, params?: unknown): Promise<T> {
  const { WebSocket } = await import('ws');
  const socket = new WebSocket(bridgeUrl);
  try {
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return await new Promise<T>((resolve, reject) => {
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { id?: number; result?: T; error?: { message: string } };
        if (message.id !== 1) return;
        if (message.error) reject(new Error(message.error.message));
        else resolve(message.result as T);
      });
      socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params === undefined ? {} : { params }) }));
    });
  } finally {
    socket.close();
  }
}

/** The simulator's control API (`/sim/...` on the simulator's own origin). */
export async function simControl(server: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(path, new URL(server).origin), {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
