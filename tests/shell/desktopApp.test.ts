import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PublicState, Result, Settings } from '../../preload/contract';
import { SettingsStore } from '../../main/core/settings/settingsStore';
import { runDesktopApp, type DesktopApp, type DesktopOptions } from '../../main/shell/desktopApp';
import { Companion } from '../../main/core/companion';
import { interpretPolicy, type LoadedPolicy } from '../../main/core/settings/policy';
import { machinePolicyFile } from '../../main/shell/policyFile';
import { commandChannel, EVENT_CHANNEL } from '../../main/shell/ipc';
import { AUTOSTART_FILE } from '../../main/shell/startup';
import { startSimulator } from '../../sim/index';
import { electronFetch, fakeElectron, FakeBrowserWindow, FakeEvent, FakeNotification, flush, ipcEvent, recordingLogger, type FakeElectron } from './fakes';

/** Chromium's session keeps cookies; this stand-in over Node's fetch does the same so the real core can run the demo. */
function cookieKeepingFetch() {
  const jar = new Map<string, string>();
  return async (url: string, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    if (jar.size > 0) headers.set('Cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
    return response;
  };
}

let dir: string;
let electron: FakeElectron;
let running: DesktopApp | null;

async function launch(
  over: Partial<DesktopOptions> = {},
  settings: Partial<Settings> = {},
  policy?: LoadedPolicy,
  configure?: (fake: FakeElectron) => void,
) {
  const userData = await mkdtemp(join(tmpdir(), 'desktop-'));
  dir = userData;
  electron = fakeElectron(userData);
  configure?.(electron);
  if (Object.keys(settings).length > 0) {
    const store = SettingsStore.inFolder(userData, recordingLogger().log);
    await store.load();
    await store.update((s) => ({ ...s, ...settings }));
  }
  const home = join(userData, 'home');
  running = await runDesktopApp(electron.ports, {
    argv: ['/opt/ICWS Companion/icws-companion'],
    env: { XDG_CONFIG_HOME: join(home, '.config') },
    platform: 'linux',
    execPath: '/opt/ICWS Companion/icws-companion',
    resourcesPath: '/opt/ICWS Companion/resources',
    appPath: '/opt/ICWS Companion/resources/app.asar',
    preloadPath: '/app/out/preload/index.cjs',
    rendererDir: '/app/out/renderer',
    log: recordingLogger().log,
    startBridge: async ({ port }) => ({ port: port || 50123, bridgeUrl: `ws://127.0.0.1:${port || 50123}/bridge?token=t0ken`, close: async () => {} }),
    createCore: async ({ dataDir, transport, log }) => {
      const store = SettingsStore.inFolder(dataDir, log);
      const companion = new Companion({
        appInfo: { name: 'ICWS Companion', version: '0.0.0', runtime: 'electron', platform: 'linux', demoAvailable: true },
        settings: store,
        log,
        createTransport: () => transport,
        startDemoServer: () => startSimulator({ quiet: true }),
        ...(policy ? { policy } : {}),
      });
      return { companion, saveWindowBounds: async (bounds) => void (await store.update((s) => ({ ...s, window: bounds }))) };
    },
    ...over,
  });
  return running;
}

const window = () => FakeBrowserWindow.instances[0]!;
const invoke = (command: string, params?: unknown) =>
  electron.ipcMain.invoke(commandChannel(command), ipcEvent(window().webContents.id, 'app://companion/index.html'), ...(params === undefined ? [] : [params])) as Promise<Result<unknown>>;

beforeEach(() => {
  running = null;
});
afterEach(async () => {
  if (running) {
    electron.app.quit();
    await running.stopped;
  }
});

describe('desktop app life', () => {
  it('a second instance quits and the first shows its window', async () => {
    const first = await launch();
    expect(first).not.toBeNull();
    window().hide();
    electron.app.emit('second-instance');
    expect(window().visible).toBe(true);

    const secondElectron = fakeElectron(dir);
    secondElectron.app.gotLock = false;
    const second = await runDesktopApp(secondElectron.ports, {
      argv: [], env: {}, platform: 'linux', execPath: '/x', resourcesPath: '/r', appPath: '/a', preloadPath: '/p', rendererDir: '/d',
      log: recordingLogger().log,
      startBridge: async () => { throw new Error('not expected'); },
      createCore: async () => { throw new Error('not expected'); },
    });
    expect(second).toBeNull();
    expect(secondElectron.app.quitCalls).toBe(1);
    expect(secondElectron.schemes).toEqual([]);
  });

  it('starts visible by default, in the tray with --hidden or settings.startHidden', async () => {
    await launch();
    window().emit('ready-to-show');
    expect(window().visible).toBe(true);
    electron.app.quit();
    await running!.stopped;

    await launch({ argv: ['/opt/x', '--hidden'] });
    window().emit('ready-to-show');
    expect(running!.startHidden).toBe(true);
    expect(window().visible).toBe(false);
    expect(electron.trays).toHaveLength(1);
    electron.app.quit();
    await running!.stopped;

    await launch({}, { startHidden: true });
    window().emit('ready-to-show');
    expect(window().visible).toBe(false);
  });

  it('registers the privileged scheme, hardens the window, denies permissions, loads app://companion', async () => {
    await launch();
    expect(electron.schemes).toEqual([{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }]);
    expect(electron.protocolHandlers.has('app')).toBe(true);
    expect(window().loaded).toEqual(['app://companion/index.html']);
    expect(window().webContents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(window().webContents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(window().webContents.listenerCount('will-navigate')).toBe(1); // hardened once, not twice
    for (const session of [electron.defaultSession, electron.icwsSession]) expect(session.permissionCheck!({}, 'media')).toBe(false);
    expect(electron.icwsSession.verifyProc).not.toBeNull();
    expect(electron.app.userModelId).toBeNull(); // Windows only
  });

  it('sets the AppUserModelId on Windows and uses login items there, only when the setting changes', async () => {
    await launch({ platform: 'win32' }, { startAtLogin: true });
    expect(electron.app.userModelId).toBe('com.icwscompanion.app');
    await flush();
    // Not re-applied at start: that would switch back on an entry the user turned off in Task Manager.
    expect(electron.app.loginItems).toEqual([]);
    await invoke('settings.update', { startAtLogin: false });
    await invoke('settings.update', { startAtLogin: true });
    await flush();
    expect(electron.app.loginItems).toEqual([
      { openAtLogin: false, path: '/opt/ICWS Companion/icws-companion', args: [] },
      { openAtLogin: true, path: '/opt/ICWS Companion/icws-companion', args: [] },
    ]);
  });

  it('serves IPC from its window only, and forwards state changes to it', async () => {
    await launch();
    await expect(invoke('app.info')).resolves.toMatchObject({ ok: true, value: { runtime: 'electron', demoAvailable: true } });
    const foreign = await electron.ipcMain.invoke(commandChannel('state.get'), ipcEvent(window().webContents.id + 100, 'app://companion/'));
    expect(foreign).toMatchObject({ ok: false, error: { kind: 'refused' } });
    await invoke('settings.update', { notifications: { voicemail: false } });
    expect(window().webContents.sent.some(([channel, name]) => channel === EVENT_CHANNEL && name === 'settings.changed')).toBe(true);
  });

  it('closing the window hides it; Quit tears everything down', async () => {
    const app = await launch();
    window().show();
    expect(window().clickClose()).toBe(true);
    expect(window().visible).toBe(false);
    expect(electron.globalShortcut.registered.size).toBe(2);
    electron.trays[0]!.item('quit').click!();
    await app!.stopped;
    expect(electron.globalShortcut.registered.size).toBe(0);
    expect(electron.trays[0]!.destroyed).toBe(true);
    expect(electron.ipcMain.handlers.size).toBe(0);
    expect(electron.app.quitCalls).toBe(2); // the menu's quit, then again once the core stopped
    // Quitting closes the hidden window for real (a close it prevented would have cancelled the quit).
    expect(window().isDestroyed()).toBe(true);
    expect(window().clickClose()).toBe(false);
    running = null;
  });

  it('reports hotkeys in the public state and re-registers them when settings change', async () => {
    const app = await launch();
    const state = () => app!.companion.publicState as PublicState;
    expect(state().hotkeys.stopPlayback).toEqual({ accelerator: 'CommandOrControl+Shift+F9', registered: true });
    const updated = await invoke('settings.update', { hotkeys: { stopPlayback: 'Ctrl+Alt+P' } });
    expect(updated.ok).toBe(true);
    expect(state().hotkeys.stopPlayback).toEqual({ accelerator: 'Ctrl+Alt+P', registered: true });
    expect([...electron.globalShortcut.registered.keys()].sort()).toEqual(['CommandOrControl+Shift+F10', 'Ctrl+Alt+P']);
    // A reserved key is refused when it is set, with the reason; the working hotkey stays registered.
    const reserved = await invoke('settings.update', { hotkeys: { recordFollowMe: 'Alt+F4' } });
    expect(reserved).toMatchObject({ ok: false, error: { kind: 'invalidInput', message: expect.stringMatching(/reserved/) } });
    expect(state().hotkeys.recordFollowMe).toEqual({ accelerator: 'CommandOrControl+Shift+F10', registered: true });
    // One taken by another application is reported in the state and by a notification.
    electron.globalShortcut.taken.add('CommandOrControl+Shift+F8');
    expect((await invoke('settings.update', { hotkeys: { recordFollowMe: 'CommandOrControl+Shift+F8' } })).ok).toBe(true);
    expect(state().hotkeys.recordFollowMe).toMatchObject({ registered: false, error: expect.any(String) });
    expect(FakeNotification.shown.some((n) => n.options.title.startsWith('Hotkey for Record follow-me prompt'))).toBe(true);
  });

  it('a hotkey pressed while signed out says why in a notification', async () => {
    await launch();
    electron.globalShortcut.press('CommandOrControl+Shift+F10');
    await flush();
    expect(FakeNotification.shown.map((n) => n.options.body)).toEqual(['You are signed out. Open the companion and sign in first.']);
    FakeNotification.shown[0]!.click();
    expect(window().visible).toBe(true);
  });

  it('keeps the tray in step with the state; "Try the demo" runs the simulator through the Electron transport', async () => {
    await launch();
    electron.icwsSession.fetch.mockImplementation(electronFetch(cookieKeepingFetch()));
    const tray = electron.trays[0]!;
    expect(tray.images.at(-1)).toMatch(/tray\/signedOut\.png$/);
    expect(tray.images.at(-1)).toContain(join('/opt/ICWS Companion/resources', 'icons'));
    const demo = await invoke('session.startDemo');
    expect(demo).toMatchObject({ ok: true });
    await expect.poll(() => tray.images.at(-1)).toMatch(/tray\/(station|connected)\.png$/);
    expect(tray.tooltips.at(-1)).toMatch(/\(agent1\) \(demo\)/);
    expect(tray.item('signOut').enabled).toBe(true);
    expect(electron.icwsSession.fetch).toHaveBeenCalled();
    tray.item('signOut').click!();
    await expect.poll(() => tray.images.at(-1)).toMatch(/signedOut\.png$/);
  });

  it('asks to pin a refused certificate; once pinned, a fresh ICWS session accepts it at once', async () => {
    const app = await launch();
    const first = electron.icwsSession;
    const fingerprint = `sha256/${Buffer.alloc(32, 7).toString('base64')}`;
    const hex = Array(32).fill('07').join(':');
    const handshake = { hostname: 'cic1.example.com', verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID', errorCode: -202, certificate: { fingerprint } };
    electron.dialogAnswers.push(1); // "Trust this certificate"
    first.fetch.mockImplementation(async () => {
      // Chromium refuses the connection when the verdict is not 0.
      if ((await first.verifyCertificate(handshake)) !== 0) throw new Error('net::ERR_FAILED');
      return new Response('{}', { status: 200 });
    });
    const signIn = await invoke('session.signIn', { server: 'https://cic1.example.com:8019', userId: 'agent1', password: 'pw' });
    expect(signIn).toMatchObject({ ok: false, error: { kind: 'untrustedCertificate' } });
    await expect.poll(() => app!.companion.settings.certificatePins).toEqual([{ host: 'cic1.example.com:8019', fingerprint256: hex, addedAt: expect.any(String) }]);
    expect(electron.dialogs[0]!.detail).toContain(hex);
    // The refusal stays cached in the first session whatever its proc now says (electron/electron#41448)…
    expect(await first.verifyCertificate(handshake)).toBe(-2);
    // …so the pin change opened a fresh session, with the verify proc and no permissions, and dropped the old connections.
    await expect.poll(() => electron.sessions.size).toBe(2);
    const fresh = electron.latestIcwsSession();
    expect(fresh).not.toBe(first);
    expect(first.closedConnections).toBeGreaterThan(0);
    expect(fresh.permissionCheck?.({}, 'media')).toBe(false);
    expect(await fresh.verifyCertificate(handshake)).toBe(0);
    // Signing in again goes through the fresh session, past the certificate check.
    fresh.fetch.mockImplementation(async () => {
      if ((await fresh.verifyCertificate(handshake)) !== 0) throw new Error('net::ERR_FAILED');
      return new Response('{}', { status: 200 });
    });
    const callsBefore = first.fetch.mock.calls.length;
    const again = await invoke('session.signIn', { server: 'https://cic1.example.com:8019', userId: 'agent1', password: 'pw' });
    expect(again).not.toMatchObject({ error: { kind: 'untrustedCertificate' } });
    expect(fresh.fetch).toHaveBeenCalled();
    expect(first.fetch.mock.calls.length).toBe(callsBefore);
  });

  it('reads the policy from the machine-wide folder of each OS', () => {
    const usual = 'C:\\ProgramData\\ICWS Companion\\policy.json';
    const nothing = () => false;
    expect(machinePolicyFile('win32', { ProgramData: 'D:\\ProgramData' }, nothing)).toBe('D:\\ProgramData\\ICWS Companion\\policy.json');
    // An agent's own %ProgramData% cannot hide the policy IT put in the usual place; a relative one is ignored.
    expect(machinePolicyFile('win32', { ProgramData: 'C:\\Users\\agent\\mine' }, (path) => path === usual)).toBe(usual);
    expect(machinePolicyFile('win32', { ProgramData: 'mine' }, nothing)).toBe(usual);
    expect(machinePolicyFile('win32', {}, nothing)).toBe(usual);
    expect(machinePolicyFile('darwin', {})).toBe('/Library/Application Support/ICWS Companion/policy.json');
    expect(machinePolicyFile('linux', {})).toBe('/etc/icws-companion/policy.json');
  });

  it('under a policy: start at login forced, hotkeys fixed, notifications forced, whatever the agent had chosen', async () => {
    const policy = interpretPolicy(
      JSON.stringify({
        startAtLogin: true,
        hotkeys: { editable: false, stopPlayback: 'CommandOrControl+Shift+F9' },
        notifications: { actionFailures: false },
        localBridge: false,
      }),
      'C:\\ProgramData\\ICWS Companion\\policy.json',
      'win32',
    );
    const agentChose = { startAtLogin: false, hotkeys: { stopPlayback: 'CommandOrControl+Alt+P', recordFollowMe: null }, bridge: { enabled: true, port: 0 } };
    await launch({ platform: 'win32' }, agentChose, policy);
    await flush();
    expect(electron.app.loginItems.at(-1)).toEqual({ openAtLogin: true, path: '/opt/ICWS Companion/icws-companion', args: [] });
    expect([...electron.globalShortcut.registered.keys()].sort()).toEqual(['CommandOrControl+Shift+F10', 'CommandOrControl+Shift+F9']);
    const refused = await invoke('settings.update', { hotkeys: { stopPlayback: null } });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'refused', message: 'Your administrator sets the stop playback hotkey; it cannot be changed here.' } });
    expect(await invoke('settings.update', { startAtLogin: false })).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(electron.globalShortcut.registered.size).toBe(2);
    // A tray action that cannot run would say why in a notification; the policy turned those off.
    expect(await running!.actions.recordFollowMe('tray')).toBe(false);
    expect(FakeNotification.shown).toEqual([]);
    // The agent had turned the bridge on; the policy keeps it off.
    expect(await readFile(join(dir, 'bridge-url.txt'), 'utf8').then(() => 'running', () => 'off')).toBe('off');
    expect(await invoke('settings.update', { bridge: { enabled: true } })).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(await invoke('state.get')).toMatchObject({ ok: true, value: { policy: { managed: { startAtLogin: expect.any(String), 'hotkeys.stopPlayback': expect.any(String) } } } });
  });

  it('does not offer to trust a refused certificate where the policy keeps trust to IT', async () => {
    await launch({}, {}, interpretPolicy(JSON.stringify({ certificates: { agentMayPin: false } }), '/etc/icws-companion/policy.json', 'linux'));
    const handshake = { hostname: 'cic1.example.com', verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID', errorCode: -202, certificate: { fingerprint: `sha256/${Buffer.alloc(32, 7).toString('base64')}` } };
    electron.icwsSession.fetch.mockImplementation(async () => {
      if ((await electron.icwsSession.verifyCertificate(handshake)) !== 0) throw new Error('net::ERR_FAILED');
      return new Response('{}', { status: 200 });
    });
    const signIn = await invoke('session.signIn', { server: 'https://cic1.example.com:8019', userId: 'agent1', password: 'pw' });
    expect(signIn).toMatchObject({ ok: false, error: { kind: 'untrustedCertificate' } });
    await flush();
    expect(electron.dialogs).toEqual([]);
    expect(running!.companion.settings.certificatePins).toEqual([]);
  });

  it('writes and removes the Linux autostart entry as startAtLogin changes', async () => {
    await launch();
    await invoke('settings.update', { startAtLogin: true });
    const file = join(dir, 'home', '.config', 'autostart', AUTOSTART_FILE);
    await expect.poll(() => readFile(file, 'utf8').catch(() => '')).toContain('Exec="/opt/ICWS Companion/icws-companion"');
    await invoke('settings.update', { startAtLogin: false });
    await expect.poll(() => readFile(file, 'utf8').then(() => 'present', () => 'gone')).toBe('gone');
  });

  it('starts the bridge when enabled in settings and keeps its secret URL out of the log', async () => {
    await launch();
    await invoke('settings.update', { bridge: { enabled: true } });
    await expect.poll(() => readFile(join(dir, 'bridge-url.txt'), 'utf8').catch(() => '')).toContain('token=t0ken');
    await invoke('settings.update', { bridge: { enabled: false } });
    await expect.poll(() => readFile(join(dir, 'bridge-url.txt'), 'utf8').then(() => 'present', () => 'gone')).toBe('gone');
  });

  it('remembers the window bounds in settings.window', async () => {
    const app = await launch();
    window().bounds = { x: 40, y: 50, width: 420, height: 640 };
    window().emit('resize');
    app!.window.flushBounds();
    await expect.poll(() => app!.companion.settings.window).toEqual({ x: 40, y: 50, width: 420, height: 640 });
  });

  it('a will-quit event is held until the core has stopped', async () => {
    const app = await launch();
    const event = new FakeEvent();
    electron.app.emit('will-quit', event);
    expect(event.defaultPrevented).toBe(true);
    await app!.stopped;
    running = null;
  });

  it('a command-line action of a second launch runs in the first, through the same action as the tray', async () => {
    const app = await launch();
    window().hide();
    electron.app.emit('second-instance', {}, ['/usr/bin/icws-companion', '--stop-playback'], '/home/pat', { action: 'stopPlayback' });
    await flush();
    // The same action as the hotkey: signed out, so a notification says why; the window is not pulled up.
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['Stop voicemail playback: nothing done']);
    expect(window().visible).toBe(false);
    // Through argv alone (another process's data is not trusted), and Mark for finishing via the dispatcher.
    electron.app.emit('second-instance', {}, ['/usr/bin/icws-companion', '--mark-for-finishing'], '/home/pat', { action: 'rm -rf' });
    await flush();
    expect(FakeNotification.shown.at(-1)!.options.title).toBe('Mark Dialer call for finishing failed');
    // A plain second launch still shows the window.
    electron.app.emit('second-instance', {}, ['/usr/bin/icws-companion'], '/home/pat', { action: null });
    expect(window().visible).toBe(true);
    expect(app!.companion.publicState.connection.status).toBe('signedOut');
  });

  it('a launch with an action hands it to the running instance, or runs it itself once started', async () => {
    await launch();
    const secondElectron = fakeElectron(dir);
    secondElectron.app.gotLock = false;
    const second = await runDesktopApp(secondElectron.ports, {
      argv: ['/usr/bin/icws-companion', '--record-follow-me'], env: {}, platform: 'linux', execPath: '/x', resourcesPath: '/r', appPath: '/a', preloadPath: '/p', rendererDir: '/d',
      log: recordingLogger().log,
      startBridge: async () => { throw new Error('not expected'); },
      createCore: async () => { throw new Error('not expected'); },
    });
    expect(second).toBeNull();
    expect(secondElectron.app.lockData).toEqual({ action: 'recordFollowMe' });
    electron.app.quit();
    await running!.stopped;

    await launch({ argv: ['/usr/bin/icws-companion', '--record-follow-me'] });
    await flush();
    expect(FakeNotification.shown.map((n) => n.options.title)).toEqual(['Record follow-me prompt: nothing done']);
  });

  it('under Wayland, reports each hotkey as needing a desktop shortcut instead of registering it', async () => {
    const app = await launch({ env: { XDG_CONFIG_HOME: join(tmpdir(), 'unused'), XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' } });
    expect(electron.globalShortcut.register).not.toHaveBeenCalled();
    expect(app!.companion.publicState.hotkeys.stopPlayback).toMatchObject({
      accelerator: 'CommandOrControl+Shift+F9',
      registered: false,
      desktopShortcut: 'icws-companion --stop-playback',
      error: expect.stringMatching(/Wayland/),
    });
    expect(FakeNotification.shown).toEqual([]);
  });

  it('shows in the window that the system refuses notifications', async () => {
    const app = await launch({ platform: 'darwin' });
    electron.globalShortcut.press('CommandOrControl+Shift+F10');
    await flush();
    FakeNotification.shown[0]!.emit('failed', {}, 'Notifications are not allowed for this application');
    expect(app!.companion.publicState.warnings).toEqual([expect.stringMatching(/^Desktop notifications cannot be shown .*signed, notarized app/)]);
  });

  it('when Windows ends the session, saves the bounds and stops the core without quit events', async () => {
    const app = await launch({ platform: 'win32' });
    window().bounds = { x: 5, y: 6, width: 400, height: 640 };
    window().emit('move');
    window().emit('session-end');
    await app!.stopped;
    expect(electron.globalShortcut.registered.size).toBe(0);
    expect(app!.companion.settings.window).toEqual({ x: 5, y: 6, width: 400, height: 640 });
    running = null;
  });

  it('removes the application menu on Linux and Windows, and keeps an Edit menu on macOS', async () => {
    await launch();
    expect(electron.applicationMenus).toEqual([null]);
    electron.app.quit();
    await running!.stopped;
    await launch({ platform: 'darwin' });
    expect(electron.applicationMenus).toEqual([[{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]]);
  });

  it('a development run uses its own AppUserModelId and never touches start at login', async () => {
    await launch({ platform: 'win32' }, {}, undefined, (fake) => (fake.app.isPackaged = false));
    expect(electron.app.userModelId).toBe('com.icwscompanion.app.dev');
    expect((await invoke('settings.update', { startAtLogin: true })).ok).toBe(true);
    await flush();
    expect(electron.app.loginItems).toEqual([]);
  });
});
