import type { Logger } from '../common/log';
import { isSameOrigin } from './origin';

/**
 * The renderer's webPreferences: Electron's security checklist, spelled out so a test can hold each one in place.
 * The page gets no Node, no Electron, no webview; only the preload's `window.companion`.
 */
export function secureWebPreferences(preload: string, devTools = false) {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    /** Only in an unpackaged (development) app. */
    devTools,
  } as const;
}

/** Links the agent may open in the default browser: https only, to these hosts, without credentials in the URL. */
const EXTERNAL_LINK_HOSTS: readonly string[] = ['help.genesys.com', 'github.com'];

export function isAllowedExternalUrl(url: string, hosts: readonly string[] = EXTERNAL_LINK_HOSTS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  return hosts.includes(parsed.hostname.toLowerCase());
}

export interface PreventableEvent {
  preventDefault(): void;
}

/** The parts of Electron's `WebContents` that hardening touches. */
export interface HardenableWebContents {
  on(event: 'will-navigate', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

export interface HardeningOptions {
  /** The app's own origin: the only place the window may navigate to. */
  origin: string;
  openExternal: (url: string) => Promise<void>;
  log: Logger;
  externalHosts?: readonly string[];
}

/**
 * Navigation stays on the app's origin; every new window is denied, and an allow-listed https link opens in the default
 * browser instead; `<webview>` cannot attach. Applied to every webContents the app creates (see `app.on('web-contents-created')`).
 */
export function hardenWebContents(contents: HardenableWebContents, options: HardeningOptions): void {
  const { origin, openExternal, log } = options;
  const openOutside = (url: string) => {
    if (isAllowedExternalUrl(url, options.externalHosts)) {
      openExternal(url).catch((error: unknown) => log.warn('could not open a link in the browser', { error }));
      return true;
    }
    return false;
  };
  const guard = (kind: string) => (event: PreventableEvent, url: string) => {
    if (isSameOrigin(url, origin)) return;
    event.preventDefault();
    if (!openOutside(url)) log.warn(`${kind} blocked`, { url: safeUrlForLog(url) });
  };
  contents.on('will-navigate', guard('navigation'));
  contents.on('will-redirect', guard('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('webview blocked');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (!openOutside(url)) log.warn('new window blocked', { url: safeUrlForLog(url) });
    return { action: 'deny' };
  });
}

/** The parts of Electron's `Session` that permission handling touches. */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null,
  ): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

/** The companion needs no camera, microphone, notifications API, geolocation, HID…: every request and check says no. */
export function denyAllPermissions(session: PermissionSession, log: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.info('permission request denied', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
}

/** Origin and path only: a query string may carry anything. */
function safeUrlForLog(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.slice(0, 200);
  } catch {
    return '(not a URL)';
  }
}
