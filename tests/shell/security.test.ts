import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../main/bridge/contentSecurityPolicy';
import { createMainWindow, MIN_HEIGHT, MIN_WIDTH, restorableBounds, type Timers } from '../../main/shell/mainWindow';
import { APP_ORIGIN, originOf, rendererLocation } from '../../main/shell/origin';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from '../../main/shell/protocol';
import { denyAllPermissions, hardenWebContents, isAllowedExternalUrl, secureWebPreferences } from '../../main/shell/security';
import { FakeBrowserWindow, FakeEvent, FakeSession, FakeWebContents, recordingLogger } from './fakes';

describe('webPreferences', () => {
  it('follow the security checklist', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false,
    });
    expect(prefs.preload.endsWith('.cjs')).toBe(true);
  });
});

describe('hardenWebContents', () => {
  function harden() {
    const contents = new FakeWebContents();
    const opened: string[] = [];
    const { log, records } = recordingLogger();
    hardenWebContents(contents, { origin: APP_ORIGIN, openExternal: async (url) => void opened.push(url), log });
    return { contents, opened, records };
  }

  it('lets the window navigate within the app only', () => {
    const { contents } = harden();
    expect(contents.navigate('will-navigate', 'app://companion/index.html#settings')).toBe(false);
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate('will-redirect', 'http://127.0.0.1:9/')).toBe(true);
  });

  it('denies every new window; an allow-listed https link opens in the browser instead', () => {
    const { contents, opened, records } = harden();
    expect(contents.windowOpenHandler!({ url: 'https://help.genesys.com/pureconnect' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'http://help.genesys.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.navigate('will-navigate', 'https://github.com/icws-companion')).toBe(true);
    expect(opened).toEqual(['https://help.genesys.com/pureconnect', 'https://github.com/icws-companion']);
    expect(records.filter((r) => r.message === 'new window blocked')).toHaveLength(2);
  });

  it('prevents <webview> from attaching', () => {
    const { contents } = harden();
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('allows only https links to listed hosts without credentials or ports', () => {
    expect(isAllowedExternalUrl('https://help.genesys.com/x')).toBe(true);
    expect(isAllowedExternalUrl('https://user:pw@help.genesys.com/')).toBe(false);
    expect(isAllowedExternalUrl('https://help.genesys.com:8443/')).toBe(false);
    expect(isAllowedExternalUrl('https://help.genesys.com.evil.example/')).toBe(false);
    expect(isAllowedExternalUrl('javascript:alert(1)')).toBe(false);
    expect(isAllowedExternalUrl('not a url')).toBe(false);
  });
});

describe('permissions', () => {
  it('denies every permission request and check', () => {
    const session = new FakeSession();
    denyAllPermissions(session, recordingLogger().log);
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'hid']) {
      const callback = vi.fn();
      session.permissionRequest!({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheck!({}, permission)).toBe(false);
    }
  });
});

describe('origin', () => {
  it('reads origins of custom and http schemes alike', () => {
    expect(originOf('app://companion/index.html')).toBe('app://companion');
    expect(originOf('http://localhost:5173/src/main.ts')).toBe('http://localhost:5173');
    expect(originOf('file:///tmp/x')).toBeNull();
    expect(originOf('nonsense')).toBeNull();
  });
  it('loads the custom protocol, or a loopback dev server only when unpackaged', () => {
    expect(rendererLocation({}, true)).toEqual({ url: 'app://companion/index.html', origin: APP_ORIGIN, dev: false });
    expect(rendererLocation({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toMatchObject({ url: 'http://localhost:5173', dev: true });
    expect(rendererLocation({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true).dev).toBe(false);
    expect(rendererLocation({ ELECTRON_RENDERER_URL: 'https://evil.example' }, false).dev).toBe(false);
    expect(rendererLocation({ ELECTRON_RENDERER_URL: 'file:///tmp/index.html' }, false).url).toBe('app://companion/index.html');
  });
});

describe('app:// protocol', () => {
  let root: string;
  beforeAll(async () => {
    const parent = await mkdtemp(join(tmpdir(), 'app-protocol-'));
    root = join(parent, 'renderer');
    await mkdir(join(root, 'assets'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>x</title>');
    await writeFile(join(root, 'assets', 'index.js'), 'console.log(1)');
    await writeFile(join(root, '..', 'secret.txt'), 'secret');
  });

  it('is registered standard and secure, without CSP bypass or CORS privileges', () => {
    expect(APP_SCHEME_PRIVILEGES.scheme).toBe('app');
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('corsEnabled');
  });

  it('serves the renderer with the CSP and security headers', async () => {
    const handler = createAppProtocolHandler(root);
    const page = await handler({ url: 'app://companion/', method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<title>x</title>');
    const script = await handler({ url: 'app://companion/assets/index.js', method: 'GET' });
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('serves nothing outside the renderer folder, nor for another host, nor for other methods', async () => {
    const handler = createAppProtocolHandler(root);
    expect((await handler({ url: 'app://companion/../secret.txt', method: 'GET' })).status).toBe(404);
    expect((await handler({ url: 'app://companion/%2e%2e/secret.txt', method: 'GET' })).status).toBe(404);
    expect((await handler({ url: 'app://other/index.html', method: 'GET' })).status).toBe(404);
    expect((await handler({ url: 'app://companion/index.html', method: 'POST' })).status).toBe(405);
    const missing = await handler({ url: 'app://companion/nope.js', method: 'GET' });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('main window', () => {
  function timers() {
    const pending: { cb: () => void; ms: number }[] = [];
    const t: Timers = {
      setTimeout: (cb, ms) => {
        const entry = { cb, ms };
        pending.push(entry);
        return entry;
      },
      clearTimeout: (h) => {
        const i = pending.indexOf(h as (typeof pending)[number]);
        if (i >= 0) pending.splice(i, 1);
      },
    };
    return { t, pending };
  }

  function open(over: Partial<Parameters<typeof createMainWindow>[0]> = {}) {
    FakeBrowserWindow.instances = [];
    let quitting = false;
    const saved: unknown[] = [];
    const hardened: unknown[] = [];
    const clock = timers();
    const main = createMainWindow({
      BrowserWindow: FakeBrowserWindow,
      preload: '/out/preload/index.cjs',
      url: 'app://companion/index.html',
      savedBounds: null,
      displays: () => [{ x: 0, y: 0, width: 1920, height: 1080 }],
      startHidden: false,
      isQuitting: () => quitting,
      saveBounds: (b) => saved.push(b),
      harden: (c) => hardened.push(c),
      log: recordingLogger().log,
      timers: clock.t,
      ...over,
    });
    const win = FakeBrowserWindow.instances[0]!;
    return { main, win, saved, hardened, clock, quit: () => (quitting = true) };
  }

  it('is created hidden with secure preferences and a 380×560 minimum, hardened before it loads the app URL', () => {
    const { win, hardened } = open();
    expect(win.options.webPreferences).toEqual(secureWebPreferences('/out/preload/index.cjs'));
    expect(win.options).toMatchObject({ show: false, minWidth: MIN_WIDTH, minHeight: MIN_HEIGHT });
    expect(win.options.width).toBeGreaterThanOrEqual(380);
    expect(hardened).toEqual([win.webContents]);
    expect(win.loaded).toEqual(['app://companion/index.html']);
  });

  it('shows on ready-to-show unless started hidden', () => {
    const shown = open();
    shown.win.emit('ready-to-show');
    expect(shown.win.visible).toBe(true);
    const hidden = open({ startHidden: true });
    hidden.win.emit('ready-to-show');
    expect(hidden.win.visible).toBe(false);
    hidden.main.show();
    expect(hidden.win.visible).toBe(true);
  });

  it('hides to the tray on close, and closes when quitting', () => {
    const { win, quit } = open();
    win.show();
    expect(win.clickClose()).toBe(true);
    expect(win.visible).toBe(false);
    quit();
    expect(win.clickClose()).toBe(false);
  });

  it('saves its bounds once after moves and resizes settle (debounced), and at close', () => {
    const { win, saved, clock } = open();
    win.bounds = { x: 10, y: 20, width: 400, height: 600 };
    win.emit('resize');
    win.emit('move');
    win.emit('move');
    expect(clock.pending).toHaveLength(1);
    expect(saved).toEqual([]);
    clock.pending[0]!.cb();
    expect(saved).toEqual([{ x: 10, y: 20, width: 400, height: 600 }]);
    win.bounds = { x: 30, y: 40, width: 420, height: 620 };
    win.emit('resize');
    win.clickClose();
    expect(saved).toEqual([{ x: 10, y: 20, width: 400, height: 600 }, { x: 30, y: 40, width: 420, height: 620 }]);
  });

  it('restores saved bounds only when they are on a display', () => {
    const displays = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(restorableBounds({ x: 100, y: 100, width: 400, height: 600 }, displays)).toEqual({ x: 100, y: 100, width: 400, height: 600 });
    expect(restorableBounds({ x: 3000, y: 100, width: 400, height: 600 }, displays)).toBeNull();
    expect(restorableBounds({ x: 100, y: 100, width: 200, height: 200 }, displays)).toEqual({ x: 100, y: 100, width: MIN_WIDTH, height: MIN_HEIGHT });
    const { win } = open({ savedBounds: { x: 50, y: 60, width: 500, height: 700 } });
    expect(win.options).toMatchObject({ x: 50, y: 60, width: 500, height: 700 });
  });
});
