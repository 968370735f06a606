// Launching the built desktop app in real Electron with Playwright's `_electron` (playwright-core): a temporary user
// data folder per launch, the console collected, screenshots and the app's own log kept under tests/artifacts/electron
// for CI to upload.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { findElectronBinary } from './electronBinary.mjs';

export const root = join(import.meta.dirname, '../..');
export const artifacts = join(root, 'tests/artifacts/electron');

/** The Electron binary; the suite exists only where there is one (vitest.config.ts), so its absence here is an error. */
export function electronBinary(): string {
  const found = findElectronBinary(root);
  if (!found.ok) throw new Error(`No Electron binary: ${found.reason}.`);
  return found.path;
}

/** `npm run build` once per run, unless out/ is already built (npm test's packaging step builds it). */
export async function ensureBuilt(): Promise<void> {
  if (['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every((file) => existsSync(join(root, file)))) return;
  await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: root, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' });
}

/**
 * Chromium's sandbox stays on. Linux CI runs under Xvfb (an X11 session: the global hotkeys register there); the
 * environment never carries ELECTRON_RUN_AS_NODE (the fuse would refuse it anyway).
 */
export function appEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.ELECTRON_RENDERER_URL;
  return { ...env, ...extra };
}

export interface LaunchedApp {
  app: ElectronApplication;
  window: Page;
  userData: string;
  /** Console errors, page errors and CSP violations of the window. */
  problems: string[];
  /** Every console line of the window. */
  console: string[];
}

export async function newUserData(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'companion-electron-'));
}

export async function launchApp(options: { userData?: string; args?: string[] } = {}): Promise<LaunchedApp> {
  const userData = options.userData ?? (await newUserData());
  const app = await _electron.launch({
    executablePath: electronBinary(),
    args: [root, `--user-data-dir=${userData}`, ...(options.args ?? [])],
    cwd: root,
    env: appEnv(),
    timeout: 60_000,
  });
  const problems: string[] = [];
  const lines: string[] = [];
  const window = await app.firstWindow();
  window.on('console', (message) => {
    lines.push(`${message.type()}: ${message.text()}`);
    if (message.type() === 'error') problems.push(message.text());
  });
  window.on('pageerror', (error) => problems.push(error.message));
  await window.waitForLoadState('domcontentloaded');
  return { app, window, userData, problems, console: lines };
}

/** A second launch of the same app (same user data folder), as a desktop shortcut or a script would start it. */
export function launchSecond(userData: string, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(electronBinary(), [root, `--user-data-dir=${userData}`, ...args], {
      cwd: root,
      env: appEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the second launch did not exit within 30 s:\n${output}`));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Keeps the window's picture and the app's log for CI's artifacts. */
export async function keepArtifacts(launched: LaunchedApp, name: string): Promise<void> {
  await mkdir(artifacts, { recursive: true });
  if (!launched.window.isClosed()) await launched.window.screenshot({ path: join(artifacts, `${name}.png`) }).catch(() => {});
  const log = join(launched.userData, 'logs', 'companion.log');
  if (existsSync(log)) await copyFile(log, join(artifacts, `${name}.log`));
}

/**
 * The main process's own view of the window. Electron has no getter for a window's webPreferences any more; what they
 * do is checked instead: the renderer's OS-level sandbox (reported on Windows and macOS) and, in the page, no Node.
 */
export async function mainWindowFacts(app: ElectronApplication) {
  return app.evaluate(({ app: electronApp, BrowserWindow }) => {
    const windows = BrowserWindow.getAllWindows();
    const window = windows[0]!;
    const pid = window.webContents.getOSProcessId();
    return {
      count: windows.length,
      url: window.webContents.getURL(),
      visible: window.isVisible(),
      rendererSandboxed: electronApp.getAppMetrics().find((metric) => metric.pid === pid)?.sandboxed ?? null,
    };
  });
}
