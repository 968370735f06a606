// The first-launch fixes of the desktop shell, module by module against fakes: Wayland hotkeys, command-line actions,
// refused notifications, crashed renderers, Windows session end, the development identity, the application menu, the
// Windows tray icon and a proxy asking for credentials.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings, type HotkeyAction, type HotkeyStatus } from '../../preload/contract';
import { applicationMenu, applyAppIdentity, DEV_APP_NAME } from '../../main/shell/appIdentity';
import { actionCommand, commandLineAction, secondInstanceAction } from '../../main/shell/commandLine';
import { CertificateTrust } from '../../main/shell/certificates';
import { trayIconPath } from '../../main/shell/desktopApp';
import { createElectronTransport } from '../../main/shell/electronTransport';
import { globalHotkeysUnavailable, HotkeyService } from '../../main/shell/hotkeys';
import { createMainWindow, MAX_RELOADS_PER_MINUTE } from '../../main/shell/mainWindow';
import { Notifier, notificationsFailedMessage, type CompanionNotification } from '../../main/shell/notifications';
import { toCompanionError } from '../../main/core/errors';
import { FakeApp, FakeBrowserWindow, FakeGlobalShortcut, FakeNotification, FakeSession, recordingLogger } from './fakes';

describe('global hotkeys under Wayland', () => {
  it('are unavailable in a Wayland session (XWayland included), available in an X11 session', () => {
    expect(globalHotkeysUnavailable('linux', { XDG_SESSION_TYPE: 'wayland', WAYLAND_DISPLAY: 'wayland-0' })).toMatch(/Wayland session/);
    expect(globalHotkeysUnavailable('linux', { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' })).not.toBeNull();
    expect(globalHotkeysUnavailable('linux', { XDG_SESSION_TYPE: 'Wayland', ELECTRON_OZONE_PLATFORM_HINT: 'x11' })).not.toBeNull();
    expect(globalHotkeysUnavailable('linux', { XDG_SESSION_TYPE: 'x11', DISPLAY: ':0' })).toBeNull();
    expect(globalHotkeysUnavailable('linux', { DISPLAY: ':99' })).toBeNull();
    expect(globalHotkeysUnavailable('win32', { WAYLAND_DISPLAY: 'wayland-0' })).toBeNull();
    expect(globalHotkeysUnavailable('darwin', {})).toBeNull();
  });

  it('are not registered nor claimed there: each reports the desktop shortcut to bind, with the reason, and no notification', () => {
    const globalShortcut = new FakeGlobalShortcut();
    const reports: [HotkeyAction, HotkeyStatus][] = [];
    const notes: CompanionNotification[] = [];
    const reason = globalHotkeysUnavailable('linux', { XDG_SESSION_TYPE: 'wayland' })!;
    const service = new HotkeyService({
      globalShortcut,
      platform: 'linux',
      unavailable: { reason, command: (action) => actionCommand(action, { packaged: true, execPath: '/opt/ICWS Companion/icws-companion', appPath: '/x', onPath: 'icws-companion' }) },
      onPress: () => {},
      report: (action, status) => reports.push([action, status]),
      notify: (n) => notes.push(n),
      log: recordingLogger().log,
    });
    service.apply(defaultSettings().hotkeys);
    expect(globalShortcut.register).not.toHaveBeenCalled();
    expect(Object.fromEntries(reports)).toEqual({
      stopPlayback: { accelerator: 'CommandOrControl+Shift+F9', registered: false, error: reason, desktopShortcut: 'icws-companion --stop-playback' },
      recordFollowMe: { accelerator: 'CommandOrControl+Shift+F10', registered: false, error: reason, desktopShortcut: 'icws-companion --record-follow-me' },
    });
    expect(notes).toEqual([]);
    service.apply({ stopPlayback: null, recordFollowMe: 'CommandOrControl+Shift+F10' });
    expect(reports.at(-1)).toEqual(['stopPlayback', { accelerator: null, registered: false }]);
  });
});

describe('command-line actions', () => {
  it('reads the action flags, the first one winning', () => {
    expect(commandLineAction(['/usr/bin/icws-companion', '--stop-playback'])).toBe('stopPlayback');
    expect(commandLineAction(['x', '--hidden', '--record-follow-me', '--stop-playback'])).toBe('recordFollowMe');
    expect(commandLineAction(['x', '--mark-for-finishing'])).toBe('markForFinishing');
    expect(commandLineAction(['x', '--hidden', '--stop-playback=now', 'stop-playback'])).toBeNull();
  });

  it('takes the action from the second instance\'s message when it is one, from its argv otherwise', () => {
    expect(secondInstanceAction(['x'], { action: 'markForFinishing' })).toBe('markForFinishing');
    expect(secondInstanceAction(['x', '--stop-playback'], { action: 'format the disk' })).toBe('stopPlayback');
    expect(secondInstanceAction(['x', '--stop-playback'], null)).toBe('stopPlayback');
    expect(secondInstanceAction(['x'], { action: null })).toBeNull();
    expect(secondInstanceAction(['x'], 'stopPlayback')).toBeNull();
  });

  it('names the command to bind: the launcher on the PATH, a quoted executable, or the development run', () => {
    expect(actionCommand('stopPlayback', { packaged: true, execPath: '/opt/ICWS Companion/icws-companion', appPath: '/a', onPath: 'icws-companion' })).toBe(
      'icws-companion --stop-playback',
    );
    expect(actionCommand('recordFollowMe', { packaged: true, execPath: '/home/pat/ICWS Companion/icws-companion', appPath: '/a' })).toBe(
      '"/home/pat/ICWS Companion/icws-companion" --record-follow-me',
    );
    expect(actionCommand('markForFinishing', { packaged: false, execPath: '/repo/node_modules/electron/dist/electron', appPath: '/repo' })).toBe(
      '"/repo/node_modules/electron/dist/electron" "/repo" --mark-for-finishing',
    );
  });
});

describe('notifications the system refuses', () => {
  it('are reported once per run, with a sentence for the agent', () => {
    FakeNotification.shown = [];
    const problems: string[] = [];
    const notifier = new Notifier({
      Notification: FakeNotification,
      settings: () => defaultSettings(),
      showWindow: () => {},
      onUnavailable: (error) => problems.push(error),
      log: recordingLogger().log,
    });
    notifier.notify({ category: 'station', title: 'Station connected', body: 'You are logged in to station 7001.' });
    notifier.notify({ category: 'station', title: 'Station changed', body: '…' });
    for (const shown of FakeNotification.shown) shown.emit('failed', {}, 'Notifications are not allowed for this application');
    expect(problems).toEqual(['Notifications are not allowed for this application']);
    expect(notificationsFailedMessage('darwin', problems[0]!)).toMatch(/^Desktop notifications cannot be shown \(Notifications are not allowed.*\)\. On macOS only a signed, notarized app/);
    expect(notificationsFailedMessage('win32', '')).toMatch(/^Desktop notifications cannot be shown\. Check that notifications are on/);
  });
});

describe('the window', () => {
  const open = (now: () => number, onSessionEnd?: () => void) => {
    FakeBrowserWindow.instances = [];
    FakeBrowserWindow.onCreate = null;
    const saved: unknown[] = [];
    const log = recordingLogger();
    const window = createMainWindow({
      BrowserWindow: FakeBrowserWindow,
      preload: '/p.cjs',
      url: 'app://companion/index.html',
      savedBounds: null,
      displays: () => [{ x: 0, y: 0, width: 1920, height: 1080 }],
      startHidden: false,
      isQuitting: () => false,
      saveBounds: (bounds) => saved.push(bounds),
      harden: () => {},
      log: log.log,
      now,
      ...(onSessionEnd ? { onSessionEnd } : {}),
    });
    return { window, fake: FakeBrowserWindow.instances[0]!, saved, records: log.records };
  };

  it('reloads after its renderer crashed, but not after a clean exit nor in a crash loop', () => {
    let now = 0;
    const { fake, records } = open(() => now);
    fake.webContents.emit('render-process-gone', {}, { reason: 'clean-exit', exitCode: 0 });
    expect(fake.webContents.reloads).toBe(0);
    for (let i = 0; i < MAX_RELOADS_PER_MINUTE + 2; i++) fake.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(fake.webContents.reloads).toBe(MAX_RELOADS_PER_MINUTE);
    expect(records.some((r) => r.message === 'the window keeps crashing; not reloading it again')).toBe(true);
    now += 61_000;
    fake.webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 0 });
    expect(fake.webContents.reloads).toBe(MAX_RELOADS_PER_MINUTE + 1);
  });

  it('saves its bounds and tells the app when Windows ends the session', () => {
    let ended = 0;
    const { fake, saved } = open(() => 0, () => ended++);
    fake.bounds = { x: 10, y: 20, width: 420, height: 700 };
    fake.emit('move');
    fake.emit('session-end');
    expect(saved).toEqual([{ x: 10, y: 20, width: 420, height: 700 }]);
    expect(ended).toBe(1);
  });
});

describe('identity, menu and icons', () => {
  it('gives a development run its own name and user data folder; a packaged app keeps its own', () => {
    const dev = new FakeApp('/home/pat/.config/ICWS Companion');
    dev.isPackaged = false;
    dev.paths.appData = '/home/pat/.config';
    expect(applyAppIdentity(dev)).toEqual({ name: DEV_APP_NAME, appUserModelId: 'com.icwscompanion.app.dev', managesStartAtLogin: false });
    expect(dev.name).toBe(DEV_APP_NAME);
    expect(dev.getPath('userData')).toBe(join('/home/pat/.config', DEV_APP_NAME));

    const installed = new FakeApp('/home/pat/.config/ICWS Companion');
    expect(applyAppIdentity(installed)).toEqual({ name: 'ICWS Companion', appUserModelId: 'com.icwscompanion.app', managesStartAtLogin: true });
    expect(installed.getPath('userData')).toBe('/home/pat/.config/ICWS Companion');
    applyAppIdentity(installed, ['/opt/ICWS Companion/icws-companion', '--user-data-dir=/tmp/profile']);
    expect(installed.getPath('userData')).toBe('/tmp/profile');
  });

  it('has no application menu on Windows and Linux, and the app and Edit menus on macOS', () => {
    expect(applicationMenu('win32')).toBeNull();
    expect(applicationMenu('linux')).toBeNull();
    expect(applicationMenu('darwin')).toEqual([{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }]);
  });

  it('uses ICO tray icons on Windows, template PNGs on macOS, PNGs on Linux', () => {
    expect(trayIconPath('/r/icons', 'station', 'win32')).toBe(join('/r/icons', 'tray', 'station.ico'));
    expect(trayIconPath('/r/icons', 'station', 'darwin')).toBe(join('/r/icons', 'tray', 'stationTemplate.png'));
    expect(trayIconPath('/r/icons', 'station', 'linux')).toBe(join('/r/icons', 'tray', 'station.png'));
  });
});

describe('a proxy asking for credentials', () => {
  const transportFailing = (outcome: () => Promise<Response>) => {
    const session = new FakeSession();
    session.fetch.mockImplementation(outcome);
    return createElectronTransport({ session, trust: new CertificateTrust(() => [], recordingLogger().log) });
  };
  const sentence = async (transport: ReturnType<typeof transportFailing>) => {
    const error = await transport.fetch('https://cic1:8019/icws/connection', { method: 'POST', headers: {} }).then(
      () => null,
      (e: unknown) => e,
    );
    return toCompanionError(error, { action: 'signIn', server: 'cic1:8019' }).message;
  };

  it('gives the agent a sentence saying so, for https (tunnel) and http (a 407 answer)', async () => {
    const tunnel = await sentence(transportFailing(async () => Promise.reject(new Error('net::ERR_PROXY_AUTH_REQUESTED'))));
    expect(tunnel).toMatch(/a proxy between this computer and CIC asks for a user name and password/);
    const plain = await sentence(transportFailing(async () => new Response('Proxy Authentication Required', { status: 407 })));
    expect(plain).toMatch(/a proxy between this computer and CIC asks for a user name and password/);
    const refused = await sentence(transportFailing(async () => Promise.reject(new Error('net::ERR_TUNNEL_CONNECTION_FAILED'))));
    expect(refused).toMatch(/the proxy refused to connect to the server/);
  });
});
