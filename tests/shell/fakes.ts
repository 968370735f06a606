// Fakes of the Electron APIs the shell uses (there is no Electron binary here). Each records what the shell did with it
// and lets a test fire the events Electron would.
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';
import { initialState, type PublicState } from '../../preload/contract';
import { createLogger, type LogRecord } from '../../main/common/log';
import type { ElectronPorts, IcwsSession } from '../../main/shell/desktopApp';
import type { VerifyRequest } from '../../main/shell/certificates';
import type { IpcInvokeEventLike } from '../../main/shell/ipc';
import type { BrowserWindowOptions, Rect } from '../../main/shell/mainWindow';
import type { MenuItemTemplate, TrayLike } from '../../main/shell/tray';

export function recordingLogger() {
  const records: LogRecord[] = [];
  return { log: createLogger({ sink: (r) => records.push(r), level: 'debug' }), records };
}

export class FakeEvent {
  defaultPrevented = false;
  preventDefault() {
    this.defaultPrevented = true;
  }
}

let nextWebContentsId = 1;
export class FakeWebContents extends EventEmitter {
  id = nextWebContentsId++;
  destroyed = false;
  sent: unknown[][] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  isDestroyed() {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, ...args]);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }) {
    this.windowOpenHandler = handler;
  }
  reloads = 0;
  reload() {
    this.reloads++;
  }
  /** Fires a navigation event like Electron: returns whether it was prevented. */
  navigate(kind: 'will-navigate' | 'will-redirect', url: string): boolean {
    const event = new FakeEvent();
    this.emit(kind, event, url);
    return event.defaultPrevented;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  /** Called with each new window's webContents, as Electron's `web-contents-created` would be. */
  static onCreate: ((contents: FakeWebContents) => void) | null = null;
  readonly webContents = new FakeWebContents();
  visible = false;
  minimized = false;
  destroyed = false;
  loaded: string[] = [];
  bounds: Rect;
  constructor(readonly options: BrowserWindowOptions) {
    super();
    this.bounds = { x: 'x' in options ? (options.x as number) : 100, y: 'y' in options ? (options.y as number) : 100, width: options.width, height: options.height };
    FakeBrowserWindow.instances.push(this);
    FakeBrowserWindow.onCreate?.(this.webContents);
  }
  async loadURL(url: string) {
    this.loaded.push(url);
  }
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {}
  restore() {
    this.minimized = false;
  }
  isMinimized() {
    return this.minimized;
  }
  isVisible() {
    return this.visible;
  }
  isDestroyed() {
    return this.destroyed;
  }
  getNormalBounds() {
    return this.bounds;
  }
  /** The user clicks the close button: returns whether the close was prevented. */
  clickClose(): boolean {
    const event = new FakeEvent();
    this.emit('close', event);
    if (!event.defaultPrevented && !this.destroyed) {
      // Electron: the window and its webContents are destroyed, then `closed`.
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
    return event.defaultPrevented;
  }
}

export class FakeIpcMain {
  handlers = new Map<string, (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  invoke(channel: string, event: IpcInvokeEventLike, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler(event, ...args);
  }
}

export function ipcEvent(senderId: number, url: string | null, parent: unknown = null): IpcInvokeEventLike {
  return { sender: { id: senderId }, senderFrame: url === null ? null : { url, parent } };
}

export class FakeTray extends EventEmitter implements TrayLike<string, MenuItemTemplate[]> {
  images: string[] = [];
  tooltips: string[] = [];
  menus: MenuItemTemplate[][] = [];
  destroyed = false;
  constructor(image: string) {
    super();
    this.images.push(image);
  }
  setImage(image: string) {
    this.images.push(image);
  }
  setToolTip(text: string) {
    this.tooltips.push(text);
  }
  setContextMenu(menu: MenuItemTemplate[] | null) {
    if (menu) this.menus.push(menu);
  }
  destroy() {
    this.destroyed = true;
  }
  isDestroyed() {
    return this.destroyed;
  }
  get menu(): MenuItemTemplate[] {
    return this.menus.at(-1)!;
  }
  item(id: string): MenuItemTemplate {
    const item = this.menu.find((i) => i.id === id);
    if (!item) throw new Error(`no menu item ${id}`);
    return item;
  }
}

export class FakeGlobalShortcut {
  registered = new Map<string, () => void>();
  /** Accelerators another application holds. */
  taken = new Set<string>();
  register = vi.fn((accelerator: string, callback: () => void) => {
    if (this.taken.has(accelerator) || this.registered.has(accelerator)) return false;
    this.registered.set(accelerator, callback);
    return true;
  });
  unregister = vi.fn((accelerator: string) => {
    this.registered.delete(accelerator);
  });
  unregisterAll = vi.fn(() => this.registered.clear());
  press(accelerator: string) {
    const callback = this.registered.get(accelerator);
    if (!callback) throw new Error(`${accelerator} is not registered`);
    callback();
  }
}

export class FakeNotification extends EventEmitter {
  static shown: FakeNotification[] = [];
  static supported = true;
  static isSupported() {
    return FakeNotification.supported;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show() {
    FakeNotification.shown.push(this);
  }
  click() {
    this.emit('click');
  }
}

/**
 * Electron's `session.fetch` (lib/browser/api/net-fetch.ts over ClientRequest) on top of a Node-style fetch, where the
 * two differ in ways the shell depends on: a redirect under `redirect: 'manual'` does not resolve with the 3xx (as
 * Node's fetch does) but rejects with `Error('Redirect was cancelled')`; under `'error'` it rejects too.
 */
export function electronFetch(fetchImpl: (input: string, init?: RequestInit) => Promise<Response> = fetch) {
  return async (input: string, init?: RequestInit): Promise<Response> => {
    const mode = init?.redirect ?? 'follow';
    const response = await fetchImpl(input, { ...init, redirect: mode === 'follow' ? 'follow' : 'manual' });
    if (mode !== 'follow' && response.status >= 300 && response.status < 400 && response.headers.has('location')) {
      await response.body?.cancel();
      throw new Error(mode === 'manual' ? 'Redirect was cancelled' : "Attempted to redirect, but redirect policy was 'error'");
    }
    return response;
  };
}

export class FakeSession {
  verifyProc: Parameters<IcwsSession['setCertificateVerifyProc']>[0] = null;
  verifyProcSets = 0;
  permissionRequest: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null = null;
  permissionCheck: ((contents: unknown, permission: string) => boolean) | null = null;
  closedConnections = 0;
  /**
   * The network service's cache of verdicts (Chromium's CachingCertVerifier around Electron's verify proc): keyed by host
   * and certificate; neither `setCertificateVerifyProc` nor `closeAllConnections` clears it (electron/electron#41448).
   */
  readonly verdictCache = new Map<string, number>();
  fetch = vi.fn(async (_input: string, _init?: RequestInit): Promise<Response> => new Response('[]', { status: 200 }));
  setCertificateVerifyProc(proc: FakeSession['verifyProc']) {
    this.verifyProc = proc;
    this.verifyProcSets++;
  }
  /**
   * A TLS handshake's certificate check, as Chromium does it for this session: a cached verdict is reused without asking
   * the proc; otherwise the proc decides (-3: Chromium's own result, `errorCode`) and its verdict is cached. Resolves
   * with the net error code (0: accepted).
   */
  verifyCertificate(request: VerifyRequest): Promise<number> {
    const key = `${request.hostname}|${request.certificate.fingerprint}`;
    const cached = this.verdictCache.get(key);
    if (cached !== undefined) return Promise.resolve(cached);
    return new Promise((resolve) => {
      const settle = (result: number) => {
        const verdict = result === -3 ? request.errorCode : result;
        this.verdictCache.set(key, verdict);
        resolve(verdict);
      };
      if (this.verifyProc) this.verifyProc(request, settle);
      else settle(-3);
    });
  }
  setPermissionRequestHandler(handler: FakeSession['permissionRequest']) {
    this.permissionRequest = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheck']) {
    this.permissionCheck = handler;
  }
  async closeAllConnections() {
    this.closedConnections++;
  }
}

export class FakeApp extends EventEmitter {
  isPackaged = true;
  name = 'ICWS Companion';
  /** What the instance asked the lock to hand the first one (Electron's `additionalData`). */
  lockData: unknown = undefined;
  readonly paths: Record<string, string>;
  gotLock = true;
  quitCalls = 0;
  userModelId: string | null = null;
  loginItems: { openAtLogin: boolean; path?: string; args?: string[] }[] = [];
  constructor(readonly userData: string) {
    super();
    this.paths = { userData, appData: userData };
  }
  requestSingleInstanceLock(additionalData?: unknown) {
    this.lockData = additionalData;
    return this.gotLock;
  }
  quit() {
    this.quitCalls++;
    // Electron (Browser::Quit): before-quit (preventable); then every window is closed, and a window whose `close` is
    // prevented cancels the quit (no will-quit); then will-quit (preventable: the app keeps running until quit again).
    const before = new FakeEvent();
    this.emit('before-quit', before);
    if (before.defaultPrevented) return;
    for (const window of [...FakeBrowserWindow.instances]) {
      if (!window.isDestroyed() && window.clickClose()) return;
    }
    const event = new FakeEvent();
    this.emit('will-quit', event);
    if (!event.defaultPrevented) this.emit('quit');
  }
  exit() {}
  async whenReady() {}
  getPath(name: string) {
    return this.paths[name] ?? this.userData;
  }
  setPath(name: string, path: string) {
    this.paths[name] = path;
  }
  setName(name: string) {
    this.name = name;
  }
  setAppUserModelId(id: string) {
    this.userModelId = id;
  }
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }) {
    this.loginItems.push(settings);
  }
}

export interface FakeElectron {
  ports: ElectronPorts<string, MenuItemTemplate[]>;
  app: FakeApp;
  ipcMain: FakeIpcMain;
  globalShortcut: FakeGlobalShortcut;
  /** The first ICWS session (`persist:icws`). */
  icwsSession: FakeSession;
  /** Every session opened by partition, in order; Electron returns the same session for the same partition. */
  sessions: Map<string, FakeSession>;
  /** The ICWS session opened last (a pin change opens a fresh one). */
  latestIcwsSession(): FakeSession;
  defaultSession: FakeSession;
  trays: FakeTray[];
  schemes: unknown[];
  protocolHandlers: Map<string, (request: { url: string; method: string }) => Promise<Response>>;
  dialogAnswers: number[];
  dialogs: { message: string; detail: string }[];
  opened: string[];
  /** Each `Menu.setApplicationMenu` call's template (null: no menu). */
  applicationMenus: unknown[];
}

export function fakeElectron(userData: string): FakeElectron {
  FakeBrowserWindow.instances = [];
  FakeNotification.shown = [];
  const app = new FakeApp(userData);
  const ipcMain = new FakeIpcMain();
  const globalShortcut = new FakeGlobalShortcut();
  const icwsSession = new FakeSession();
  const sessions = new Map<string, FakeSession>([['persist:icws', icwsSession]]);
  const defaultSession = new FakeSession();
  const trays: FakeTray[] = [];
  const schemes: unknown[] = [];
  const protocolHandlers = new Map<string, (request: { url: string; method: string }) => Promise<Response>>();
  const dialogAnswers: number[] = [];
  const dialogs: { message: string; detail: string }[] = [];
  const opened: string[] = [];
  const applicationMenus: unknown[] = [];
  FakeBrowserWindow.onCreate = (contents) => app.emit('web-contents-created', {}, contents);
  const ports: ElectronPorts<string, MenuItemTemplate[]> = {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    protocol: {
      registerSchemesAsPrivileged: (list) => schemes.push(...list),
      handle: (scheme, handler) => protocolHandlers.set(scheme, handler),
    },
    session: {
      fromPartition: (partition) => {
        if (partition !== 'persist:icws' && !/^icws-\d+$/.test(partition)) throw new Error(`unexpected partition ${partition}`);
        let opened = sessions.get(partition);
        if (!opened) sessions.set(partition, (opened = new FakeSession()));
        return opened;
      },
      defaultSession,
    },
    globalShortcut,
    Notification: FakeNotification,
    createTray: (image) => {
      const tray = new FakeTray(image);
      trays.push(tray);
      return tray;
    },
    buildMenu: (template) => template,
    imageFromPath: (path) => path,
    openExternal: async (url) => {
      opened.push(url);
    },
    dialog: {
      showMessageBox: async (options) => {
        dialogs.push({ message: options.message, detail: options.detail });
        return { response: dialogAnswers.shift() ?? options.cancelId };
      },
    },
    displays: () => [{ x: 0, y: 0, width: 1920, height: 1080 }],
    setApplicationMenu: (template) => applicationMenus.push(template),
  };
  const latestIcwsSession = () => [...sessions.values()].at(-1)!;
  return {
    ports, app, ipcMain, globalShortcut, icwsSession, sessions, latestIcwsSession, defaultSession, trays, schemes, protocolHandlers, dialogAnswers, dialogs, opened,
    applicationMenus,
  };
}

/** Public states for each situation the tray and the notifications distinguish. */
export function stateWith(patch: Partial<PublicState> = {}): PublicState {
  return { ...initialState(), ...patch };
}

export const station7001 = { id: '7001', extension: '7001', kind: 'workstation' as const, mediaTypes: ['call' as const] };

export function connected(patch: Partial<PublicState> = {}): PublicState {
  return stateWith({
    connection: { status: 'connected', server: 'cic1:8019', userId: 'agent1', displayName: 'Agent One' },
    ...patch,
  });
}

export const flush = () => new Promise<void>((resolve) => setImmediate(resolve));
