// The desktop app in real Electron (the built out/, launched as `electron .` with a temporary user data folder): the
// security checklist as it holds at run time, the demo through Chromium's network stack, certificate pinning against
// the simulator over TLS, the keychain, single instance, a command-line action and a clean quit. Runs where an Electron
// binary exists (CI's desktop workflow; see vitest.config.ts). Steps run in order and build on each other.
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CompanionApi, PublicState, Result, Settings } from '../../preload/contract';
import { startSimulator, type Simulator } from '../../sim/index';
import { ensureBuilt, keepArtifacts, launchApp, launchSecond, mainWindowFacts, type LaunchedApp } from './harness';

declare global {
  interface Window {
    companion: CompanionApi;
  }
}

describe('ICWS Companion in Electron', () => {
  let launched: LaunchedApp;
  let tls: Simulator;

  const page = () => launched.window;
  const state = () => page().evaluate(async () => ((await window.companion.state.get()) as Result<PublicState> & { ok: true }).value);
  const settings = () => page().evaluate(async () => ((await window.companion.settings.get()) as Result<Settings> & { ok: true }).value);
  const until = <T>(read: () => Promise<T>, check: (value: T) => boolean, timeout = 30_000) =>
    vi.waitUntil(async () => check(await read()), { timeout, interval: 200 });

  beforeAll(async () => {
    await ensureBuilt();
    tls = await startSimulator({ tls: true, quiet: true });
    launched = await launchApp();
  });

  afterAll(async () => {
    if (launched) {
      await keepArtifacts(launched, 'app');
      if (launched.app.process().exitCode === null) await launched.app.close().catch(() => {});
      await rm(launched.userData, { recursive: true, force: true }).catch(() => {});
    }
    await tls?.close();
  });

  it('opens one window on app://companion/, its renderer sandboxed, with the hotkeys registered', async () => {
    await until(() => mainWindowFacts(launched.app), (facts) => facts.url.startsWith('app://companion/'));
    const facts = await mainWindowFacts(launched.app);
    expect(facts.count).toBe(1);
    expect(facts.url).toMatch(/^app:\/\/companion\//);
    // Reported by Chromium on Windows and macOS only (null on Linux, where the page checks below still hold).
    expect(facts.rendererSandboxed).not.toBe(false);
    const hotkeys = (await state()).hotkeys;
    expect(hotkeys.stopPlayback).toEqual({ accelerator: 'CommandOrControl+Shift+F9', registered: true });
  });

  it('runs as the development app, with the application menu of its platform (none on Windows and Linux)', async () => {
    const facts = await launched.app.evaluate(({ app, Menu }) => ({
      name: app.getName(),
      platform: process.platform,
      roles: Menu.getApplicationMenu()?.items.map((item) => String(item.role ?? '').toLowerCase()) ?? null,
    }));
    // Unpackaged, as `npm start` runs it: its own name and user data folder, never the installed app's.
    expect(facts.name).toBe('ICWS Companion (development)');
    expect(facts.roles).toEqual(facts.platform === 'darwin' ? ['appmenu', 'editmenu', 'windowmenu'] : null);
  });

  it('gives the page window.companion and nothing of Node or Electron', async () => {
    const page_ = await page().evaluate(() => ({
      companion: typeof window.companion,
      stateGet: typeof window.companion?.state?.get,
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      module: typeof (globalThis as { module?: unknown }).module,
      ipcRenderer: typeof (window.companion as unknown as { ipcRenderer?: unknown }).ipcRenderer,
    }));
    expect(page_).toEqual({ companion: 'object', stateGet: 'function', require: 'undefined', process: 'undefined', module: 'undefined', ipcRenderer: 'undefined' });
  });

  it('is styled, under the Content Security Policy header, with no CSP or preload error in the console', async () => {
    await page().getByRole('button', { name: 'Try the demo' }).waitFor({ timeout: 30_000 });
    const background = await page().evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
    const policy = await page().evaluate(async () => (await fetch('/index.html')).headers.get('content-security-policy'));
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("style-src 'self'");
    expect(launched.problems).toEqual([]);
  });

  it('refuses window.open and blocks a navigation off the app', async () => {
    expect(await page().evaluate(() => window.open('https://example.com/') === null)).toBe(true);
    await page().evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page().waitForTimeout(1_000);
    const facts = await mainWindowFacts(launched.app);
    expect(facts.count).toBe(1);
    expect(facts.url).toMatch(/^app:\/\/companion\//);
  });

  it('"Try the demo" reaches a logged-in station through Chromium\'s network stack', async () => {
    await page().getByRole('button', { name: 'Try the demo' }).click();
    await until(state, (now) => now.connection.status === 'connected', 60_000);
    const station = await page().evaluate(() => window.companion.station.logIn({ kind: 'workstation', workstation: '7001' }));
    expect(station).toMatchObject({ ok: true, value: { extension: '7001', kind: 'workstation' } });
    await until(state, (now) => now.station?.extension === '7001');
    // The session cookie lives in Chromium's cookie jar of the ICWS session, not in the core.
    const cookies = await launched.app.evaluate(async ({ session }) => (await session.fromPartition('persist:icws').cookies.get({})).length);
    expect(cookies).toBeGreaterThan(0);
  });

  it('runs a command-line action of a second launch in the first (--stop-playback)', async () => {
    const play = await page().evaluate(() => window.companion.voicemail.play({ id: 'vm-agent1-0003' }));
    expect(play).toEqual({ ok: true, value: null });
    await until(state, (now) => now.voicemail.playing === 'vm-agent1-0003');
    const second = await launchSecond(launched.userData, ['--stop-playback']);
    expect(second.code).toBe(0);
    await until(state, (now) => now.voicemail.playing === null);
    expect((await mainWindowFacts(launched.app)).count).toBe(1);
  });

  it('stays a single instance: a plain second launch exits and shows the first window', async () => {
    await launched.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.hide());
    expect((await mainWindowFacts(launched.app)).visible).toBe(false);
    const second = await launchSecond(launched.userData);
    expect(second.code).toBe(0);
    await until(() => mainWindowFacts(launched.app), (facts) => facts.visible);
    expect((await mainWindowFacts(launched.app)).count).toBe(1);
  });

  it('asks to pin the simulator\'s self-signed certificate (the dialog answered here), then signs in over TLS', async () => {
    expect(await page().evaluate(() => window.companion.session.signOut())).toEqual({ ok: true, value: null });
    await launched.app.evaluate(({ dialog }) => {
      const asked: string[] = [];
      (globalThis as { pinPrompts?: string[] }).pinPrompts = asked;
      dialog.showMessageBox = (async (...args: unknown[]) => {
        const options = args.at(-1) as { message: string; detail?: string; buttons: string[] };
        asked.push(`${options.message}\n${options.detail ?? ''}`);
        return { response: options.buttons.indexOf('Trust this certificate'), checkboxChecked: false };
      }) as typeof dialog.showMessageBox;
    });
    const first = await page().evaluate((server) => window.companion.session.signIn({ server, userId: 'agent1', password: '1234' }), tls.url);
    expect(first).toMatchObject({ ok: false, error: { kind: 'untrustedCertificate' } });
    await until(settings, (now) => now.certificatePins.length === 1);
    const prompts = await launched.app.evaluate(() => (globalThis as { pinPrompts?: string[] }).pinPrompts ?? []);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain(tls.fingerprint256!.slice(0, 20));
    expect((await settings()).certificatePins[0]!.fingerprint256).toBe(tls.fingerprint256);
    const again = await page().evaluate((server) => window.companion.session.signIn({ server, userId: 'agent1', password: '1234' }), tls.url);
    expect(again).toMatchObject({ ok: true, value: { status: 'connected' } });
  });

  it('keeps the password in the OS keychain with "remember me", signs in with it, and forgets it', async () => {
    await page().evaluate(() => window.companion.session.signOut());
    const remembered = await page().evaluate((server) => window.companion.session.signIn({ server, userId: 'agent1', password: '1234', remember: true }), tls.url);
    expect(remembered).toMatchObject({ ok: true, value: { status: 'connected', passwordSaved: true } });
    await page().evaluate(() => window.companion.session.signOut());
    const fromKeychain = await page().evaluate((server) => window.companion.session.signIn({ server, userId: 'agent1' }), tls.url);
    expect(fromKeychain).toMatchObject({ ok: true, value: { status: 'connected' } });
    // Nothing stays behind in this machine's keychain.
    expect(await page().evaluate(() => window.companion.session.forgetPassword())).toMatchObject({ ok: true });
  });

  it('reloads the window when its renderer crashes', async () => {
    await launched.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.forcefullyCrashRenderer());
    const ready = () =>
      launched.app.evaluate(({ BrowserWindow }) => {
        const contents = BrowserWindow.getAllWindows()[0]!.webContents;
        return !contents.isCrashed() && !contents.isLoading() && contents.getURL().startsWith('app://companion/');
      });
    await until(ready, (done) => done);
    const companion = await launched.app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows()[0]!.webContents.executeJavaScript('typeof window.companion'),
    );
    expect(companion).toBe('object');
    expect((await mainWindowFacts(launched.app)).count).toBe(1);
    const log = await readFile(join(launched.userData, 'logs', 'companion.log'), 'utf8');
    expect(log).toContain('the window crashed; reloading it');
  });

  it('quits cleanly: the core signs out, the process exits 0, the log has no error', async () => {
    const exited = new Promise<number | null>((resolve) => launched.app.process().once('exit', (code) => resolve(code)));
    await launched.app.evaluate(({ app }) => app.quit());
    expect(await exited).toBe(0);
    const log = await readFile(join(launched.userData, 'logs', 'companion.log'), 'utf8');
    expect(log).toContain('command-line action from another launch');
    expect(log.split('\n').filter((line) => / ERROR \[/.test(line))).toEqual([]);
    expect(launched.problems).toEqual([]);
  });
});
