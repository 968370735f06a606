import { join } from 'node:path';
import { AGENT_ACTIONS, type AgentAction, type CommandHandlers, type HotkeyAction, type PublicState, type Settings, type Unsubscribe } from '../../preload/contract';
import type { EventHub } from '../common/eventHub';
import type { Logger } from '../common/log';
import type { HttpTransport } from '../icws/transport';
import { createDispatcher, type Dispatch } from '../transports/dispatcher';
import { createShellActions, type ShellActions } from './actions';
import { appIdentity, applicationMenu, type AppMenuTemplate } from './appIdentity';
import { BridgeToggle, type BridgeToggleOptions } from './bridgeToggle';
import { CertificateTrust, createPinPrompt, type MessageBoxPort, type VerifyRequest } from './certificates';
import { createElectronTransport, icwsPartition, type FetchSession } from './electronTransport';
import type { HotkeyStatusSink } from './hotkeyStatus';
import { actionCommand, commandLineAction, secondInstanceAction, type CommandLineAction, type InstanceMessage } from './commandLine';
import { globalHotkeysUnavailable, HotkeyService, type GlobalShortcutPort } from './hotkeys';
import { forwardEvents, registerCommandIpc, type IpcMainPort } from './ipc';
import { createMainWindow, type BrowserWindowConstructor, type MainWindow, type Rect, type WindowBounds } from './mainWindow';
import { Notifier, notificationsFailedMessage, type NotificationConstructor } from './notifications';
import { rendererLocation } from './origin';
import { APP_SCHEME_PRIVILEGES, createAppProtocolHandler, type ProtocolRequest } from './protocol';
import { denyAllPermissions, hardenWebContents, type HardenableWebContents, type PermissionSession, type PreventableEvent } from './security';
import { applyStartAtLogin, type LoginItemPort } from './startup';
import { TrayService, type MenuItemTemplate, type TrayIconState, type TrayLike } from './tray';


/** What Electron's `login` event says about who asks for credentials. */
interface LoginAuthInfo {
  isProxy: boolean;
  scheme: string;
  host: string;
  port: number;
  realm: string;
}

/** The Electron APIs the desktop app uses, as ports: `main/index.ts` passes the real ones, tests pass fakes. */
interface AppPort extends LoginItemPort {
  readonly isPackaged: boolean;
  requestSingleInstanceLock(additionalData?: Record<string, unknown>): boolean;
  quit(): void;
  exit(code?: number): void;
  whenReady(): Promise<unknown>;
  getPath(name: 'userData'): string;
  setAppUserModelId(id: string): void;
  on(event: 'second-instance', listener: (event: unknown, argv: string[], workingDirectory: string, additionalData: unknown) => void): unknown;
  on(event: 'activate' | 'window-all-closed' | 'before-quit', listener: () => void): unknown;
  on(
    event: 'login',
    listener: (event: PreventableEvent, webContents: unknown, details: unknown, authInfo: LoginAuthInfo, callback: (username?: string, password?: string) => void) => void,
  ): unknown;
  on(event: 'will-quit', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: HardenableWebContents) => void): unknown;
}

export interface IcwsSession extends FetchSession, PermissionSession {
  setCertificateVerifyProc(proc: ((request: VerifyRequest, callback: (result: number) => void) => void) | null): void;
}

export interface ElectronPorts<Image = unknown, Menu = unknown> {
  app: AppPort;
  BrowserWindow: BrowserWindowConstructor;
  ipcMain: IpcMainPort;
  protocol: {
    registerSchemesAsPrivileged(schemes: (typeof APP_SCHEME_PRIVILEGES)[]): void;
    handle(scheme: string, handler: (request: ProtocolRequest) => Promise<Response>): void;
  };
  session: { fromPartition(partition: string): IcwsSession; readonly defaultSession: PermissionSession };
  globalShortcut: GlobalShortcutPort & { unregisterAll(): void };
  Notification: NotificationConstructor & { isSupported(): boolean };
  createTray: (image: Image) => TrayLike<Image, Menu>;
  buildMenu: (template: MenuItemTemplate[]) => Menu;
  imageFromPath: (path: string) => Image;
  openExternal: (url: string) => Promise<void>;
  dialog: MessageBoxPort;
  displays: () => Rect[];
  /** `Menu.setApplicationMenu`: null removes Electron's default menu. */
  setApplicationMenu: (template: AppMenuTemplate | null) => void;
}

/** What the core gives the shell (the `Companion`, plus the hotkey hook; see hotkeyStatus.ts). */
interface ShellCompanion extends HotkeyStatusSink {
  /** A desktop problem the agent should see in the window (`PublicState.warnings`). */
  reportDesktopProblem(message: string): void;
  readonly handlers: CommandHandlers;
  readonly events: EventHub;
  readonly publicState: PublicState;
  readonly settings: Settings;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface DesktopCore {
  companion: ShellCompanion;
  /** Persists the window's bounds (`settings.window`); the window is not something `settings.update` changes. */
  saveWindowBounds(bounds: WindowBounds): Promise<void>;
}

export interface DesktopOptions {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  platform: string;
  execPath: string;
  /** `process.resourcesPath` in a packaged app: the icons are there (`extraResources`). */
  resourcesPath: string;
  /** The project folder when unpackaged (`app.getAppPath()`): icons come from `assets/`. */
  appPath: string;
  preloadPath: string;
  rendererDir: string;
  log: Logger;
  createCore(input: { dataDir: string; transport: HttpTransport; log: Logger }): Promise<DesktopCore>;
  /** The lead's `startLocalServer` with `rendererDir: null`: the bridge alone, on loopback. */
  startBridge: (input: { port: number; dispatch: Dispatch; events: EventHub; log: Logger }) => ReturnType<BridgeToggleOptions['start']>;
}

export interface LaunchArgs {
  hidden: boolean;
  /** `--stop-playback`, `--record-follow-me`, `--mark-for-finishing` (see commandLine.ts). */
  action: CommandLineAction | null;
}

export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  return { hidden: argv.includes('--hidden'), action: commandLineAction(argv) };
}

/** Where the icons are: `resources/icons` when packaged, `assets/` in the project otherwise. */
function iconDir(app: Pick<AppPort, 'isPackaged'>, options: Pick<DesktopOptions, 'resourcesPath' | 'appPath'>): string {
  return app.isPackaged ? join(options.resourcesPath, 'icons') : join(options.appPath, 'assets');
}

/**
 * The tray icon file for a state: a template image on macOS (black + alpha, the OS tints it), an ICO on Windows (it holds
 * each size the notification area uses at each DPI scale), colours elsewhere.
 */
export function trayIconPath(dir: string, state: TrayIconState, platform: string): string {
  return join(dir, 'tray', platform === 'darwin' ? `${state}Template.png` : platform === 'win32' ? `${state}.ico` : `${state}.png`);
}

export interface DesktopApp {
  window: MainWindow;
  tray: TrayService<unknown, unknown>;
  hotkeys: HotkeyService;
  notifier: Notifier;
  actions: ShellActions;
  dispatch: Dispatch;
  trust: CertificateTrust;
  companion: ShellCompanion;
  bridge: BridgeToggle;
  startHidden: boolean;
  /** Resolves when everything is torn down after quit. */
  stopped: Promise<void>;
}

/**
 * The desktop app's life: single instance, the privileged scheme, hardening, then (when ready) the ICWS session and its
 * certificate trust, the core, the window, the IPC, the tray, the hotkeys, the notifications, start at login, the bridge;
 * and the orderly teardown on quit. Resolves null when another instance already runs (it was asked to show itself).
 */
export async function runDesktopApp<Image, Menu>(ports: ElectronPorts<Image, Menu>, options: DesktopOptions): Promise<DesktopApp | null> {
  const { app } = ports;
  const { log } = options;
  const identity = appIdentity(app.isPackaged);
  const launchArgs = parseLaunchArgs(options.argv);

  const message: InstanceMessage = { action: launchArgs.action };
  if (!app.requestSingleInstanceLock({ ...message })) {
    log.info(launchArgs.action ? 'another instance is running; it was handed the action' : 'another instance is running; it was asked to show its window', {
      action: launchArgs.action,
    });
    app.quit();
    return null;
  }
  if (options.platform === 'win32') app.setAppUserModelId(identity.appUserModelId);
  ports.protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

  const location = rendererLocation(options.env, app.isPackaged);
  let window: MainWindow | null = null;
  let quitting = false;
  const showWindow = () => window?.show();
  // Until the actions exist (the core is starting), a command-line action waits here.
  let runAction: ((action: CommandLineAction) => void) | null = null;
  const pendingActions: CommandLineAction[] = [];

  app.on('second-instance', (_event, argv, _workingDirectory, additionalData) => {
    const action = secondInstanceAction(argv ?? [], additionalData);
    if (!action) return showWindow();
    log.info('command-line action from another launch', { action });
    if (runAction) runAction(action);
    else if (pendingActions.length < 10) pendingActions.push(action);
  });
  app.on('activate', showWindow);
  // The tray keeps the app alive; closing the window only hides it.
  app.on('window-all-closed', () => {});
  app.on('before-quit', () => {
    quitting = true;
  });
  // Every webContents is hardened once, before it loads anything: the window's explicitly, anything else (there should be
  // nothing else) through `web-contents-created`.
  const hardened = new WeakSet<HardenableWebContents>();
  const harden = (contents: HardenableWebContents) => {
    if (hardened.has(contents)) return;
    hardened.add(contents);
    hardenWebContents(contents, { origin: location.origin, openExternal: ports.openExternal, log: log.child('security') });
  };
  app.on('web-contents-created', (_event, contents) => harden(contents));
  // A proxy asking for a user name and password: the companion has no credentials to give it, and Electron's event does
  // not reach requests of the main process on every OS (electron/electron#44249). Left unanswered, the request fails and
  // the agent reads why (electronTransport.ts); the log says which proxy asked.
  app.on('login', (_event, _contents, _details, authInfo) => {
    if (authInfo?.isProxy) log.warn('a proxy asks for credentials', { proxy: `${authInfo.host}:${authInfo.port}`, scheme: authInfo.scheme });
  });

  await app.whenReady();
  ports.setApplicationMenu(applicationMenu(options.platform));

  const dataDir = app.getPath('userData');
  denyAllPermissions(ports.session.defaultSession, log.child('security'));
  ports.protocol.handle(APP_SCHEME_PRIVILEGES.scheme, createAppProtocolHandler(options.rendererDir));

  // The ICWS session: Chromium's network stack, its own cookies, the OS trust store plus the agent's pins.
  let coreRef: DesktopCore | null = null;
  const trust = new CertificateTrust(() => coreRef?.companion.settings.certificatePins ?? [], log.child('certificates'));
  let icwsGeneration = 0;
  const openIcwsSession = (): IcwsSession => {
    const opened = ports.session.fromPartition(icwsPartition(icwsGeneration));
    denyAllPermissions(opened, log.child('security'));
    opened.setCertificateVerifyProc(trust.verify);
    return opened;
  };
  let icwsSession = openIcwsSession();
  /** The transport always uses the current ICWS session (a pin change replaces it, see below). */
  const currentIcwsSession: FetchSession = {
    fetch: (input, init) => icwsSession.fetch(input, init),
    closeAllConnections: () => icwsSession.closeAllConnections(),
  };
  let dispatch: Dispatch = async () => ({ ok: false, error: { kind: 'unavailable', message: 'The companion is still starting.' } });
  const promptPin = createPinPrompt({
    dialog: ports.dialog,
    pin: (host, fingerprint256) => dispatch('certificates.pin', { host, fingerprint256 }),
    log: log.child('certificates'),
  });
  const transport = createElectronTransport({
    session: currentIcwsSession,
    trust,
    onUntrustedCertificate: (certificate) => {
      // Where IT keeps trust to itself (policy), there is nothing to offer: the sign-in form says to call IT.
      if (coreRef && !coreRef.companion.publicState.policy.agentMayPin) return;
      promptPin(certificate).catch((error: unknown) => log.warn('certificate prompt failed', { error }));
    },
  });

  const core = await options.createCore({ dataDir, transport, log });
  coreRef = core;
  const { companion } = core;
  dispatch = createDispatcher(companion.handlers, log.child('dispatch'));
  await companion.start();

  const notifier = new Notifier({
    Notification: ports.Notification,
    settings: () => companion.settings,
    showWindow,
    onUnavailable: (error) => companion.reportDesktopProblem(notificationsFailedMessage(options.platform, error)),
    log: log.child('notifications'),
  });
  const actions = createShellActions({
    dispatch,
    state: () => companion.publicState,
    notify: (n, o) => notifier.notify(n, o),
    log: log.child('actions'),
  });

  const icons = iconDir(app, options);
  const tray = new TrayService<Image, Menu>({
    createTrayInstance: ports.createTray,
    buildMenu: ports.buildMenu,
    icon: (state) => ports.imageFromPath(trayIconPath(icons, state, options.platform)),
    platform: options.platform,
    actions: {
      ...(Object.fromEntries(AGENT_ACTIONS.map((action) => [action, () => void actions[action]('tray')])) as Record<AgentAction, () => void>),
      showWindow,
      quit: () => app.quit(),
    },
  });

  const hotkeysUnavailable = globalHotkeysUnavailable(options.platform, options.env);
  const launch = {
    packaged: app.isPackaged,
    execPath: options.execPath,
    appPath: options.appPath,
    // The .deb links /usr/bin/icws-companion to the installed executable.
    ...(options.execPath === '/opt/ICWS Companion/icws-companion' ? { onPath: 'icws-companion' } : {}),
  };
  const hotkeys = new HotkeyService({
    globalShortcut: ports.globalShortcut,
    platform: options.platform,
    unavailable: hotkeysUnavailable ? { reason: hotkeysUnavailable, command: (action) => actionCommand(action, launch) } : null,
    onPress: (action: HotkeyAction) => void actions[action]('hotkey'),
    report: (action, status) => companion.setHotkeyStatus(action, status),
    notify: (n, o) => notifier.notify(n, o),
    log: log.child('hotkeys'),
  });

  const startHidden = launchArgs.hidden || companion.settings.startHidden;
  window = createMainWindow({
    BrowserWindow: ports.BrowserWindow,
    preload: options.preloadPath,
    url: location.url,
    savedBounds: companion.settings.window,
    displays: ports.displays,
    startHidden,
    isQuitting: () => quitting,
    saveBounds: (bounds) => {
      core.saveWindowBounds(bounds).catch((error: unknown) => log.warn('window bounds not saved', { error }));
    },
    harden,
    onSessionEnd: () => {
      log.info('the session is ending (log-off or shutdown)');
      void tearDown().then(resolveStopped);
    },
    log: log.child('window'),
    icon: join(icons, 'icon.png'),
    devTools: !app.isPackaged,
  });
  const mainWindow = window;

  const offIpc = registerCommandIpc({
    ipcMain: ports.ipcMain,
    dispatch,
    origin: location.origin,
    isOwnWebContents: (id) => id === mainWindow.webContents.id,
    log: log.child('ipc'),
  });
  const offEvents = forwardEvents(companion.events, () => [mainWindow.webContents]);

  const bridge = new BridgeToggle({
    start: ({ port }) => options.startBridge({ port, dispatch, events: companion.events, log: log.child('bridge') }),
    dataDir,
    log: log.child('bridge'),
  });
  // Applied only when the agent changes the setting: applying it at every start would switch an entry back on that the
  // user turned off in Task Manager or the login items. A development run never touches it (appIdentity.ts).
  const startAtLogin = (enabled: boolean) => {
    if (!identity.managesStartAtLogin) {
      log.info('start at login left alone by a development run', { enabled });
      return Promise.resolve();
    }
    return applyStartAtLogin(enabled, {
      platform: options.platform,
      app,
      executable: options.execPath,
      env: options.env,
      log: log.child('startup'),
    }).catch(() => {});
  };

  let settingsShown = companion.settings;
  const subscriptions: Unsubscribe[] = [
    companion.events.on('state.changed', () => {
      // A change carries only what changed; the tray and notifications look at the whole state.
      tray.render(companion.publicState);
      notifier.observe(companion.publicState);
    }),
    companion.events.on('settings.changed', (settings) => {
      const before = settingsShown;
      settingsShown = settings;
      hotkeys.apply(settings.hotkeys);
      if (settings.startAtLogin !== before.startAtLogin) void startAtLogin(settings.startAtLogin);
      if (settings.bridge.enabled !== before.bridge.enabled || settings.bridge.port !== before.bridge.port) void bridge.apply(settings.bridge);
      if (JSON.stringify(settings.certificatePins) !== JSON.stringify(before.certificatePins)) {
        // The network service caches each verdict of the verify proc (per host and certificate, in Chromium's caching
        // verifier), and neither setting the proc again nor closing connections clears that cache
        // (electron/electron#41448). A fresh session has a fresh cache: a new or removed pin counts at once. The old
        // session's connections go; the core renews the ICWS session if its cookie stayed behind (401, then renew).
        const previous = icwsSession;
        icwsGeneration += 1;
        icwsSession = openIcwsSession();
        log.info('certificate pins changed: using a fresh ICWS network session', { generation: icwsGeneration });
        previous.closeAllConnections().catch(() => {});
      }
    }),
  ];

  tray.render(companion.publicState);
  notifier.observe(companion.publicState);
  hotkeys.apply(companion.settings.hotkeys);
  if (companion.settings.bridge.enabled) void bridge.apply(companion.settings.bridge);
  // Start at login forced by the machine-wide policy is written at every start: IT, not a Task Manager toggle, decides.
  if (companion.publicState.policy.managed.startAtLogin !== undefined) void startAtLogin(companion.settings.startAtLogin);

  runAction = (action) => void actions[action]('commandLine');
  if (launchArgs.action) pendingActions.unshift(launchArgs.action);
  for (const action of pendingActions.splice(0)) runAction(action);

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let teardown: Promise<void> | null = null;
  /** Once: on quit (will-quit), or when Windows ends the session (no quit events follow; signing out is best effort). */
  const tearDown = (): Promise<void> => {
    if (teardown) return teardown;
    hotkeys.dispose();
    ports.globalShortcut.unregisterAll();
    mainWindow.flushBounds();
    subscriptions.forEach((off) => off());
    offEvents();
    offIpc();
    tray.destroy();
    teardown = Promise.allSettled([companion.stop(), bridge.close()]).then((results) => {
      for (const result of results) if (result.status === 'rejected') log.warn('shutdown step failed', { error: result.reason });
    });
    return teardown;
  };
  let quitHeld = false;
  app.on('will-quit', (event) => {
    if (quitHeld) return;
    event.preventDefault();
    quitHeld = true;
    void tearDown().then(() => {
      resolveStopped();
      app.quit();
    });
  });

  return {
    window: mainWindow,
    tray: tray as TrayService<unknown, unknown>,
    hotkeys,
    notifier,
    actions,
    dispatch,
    trust,
    companion,
    bridge,
    startHidden,
    stopped,
  };
}
