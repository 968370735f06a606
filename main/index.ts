/**
 * The Electron composition root: the only main-side file that imports `electron`'s runtime. It adapts the real APIs to
 * the shell's ports and hands the core its Electron-specific pieces (settings in `userData`, Chromium's network stack).
 * Everything else lives in `main/shell/` and is tested against fakes.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  globalShortcut,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  protocol,
  screen,
  session,
  shell,
  Tray,
  type MenuItemConstructorOptions,
} from 'electron';
import packageJson from '../package.json';
import { startLocalServer } from './bridge/localServer';
import { keytarCredentialStore } from './core/session/credentials';
import { consoleSink, createLogger } from './common/log';
import { logFileSink, teeSink } from './common/logFile';
import { readPolicyFile } from './core/settings/policy';
import { wireCompanion } from './core/wiring';
import { applyAppIdentity } from './shell/appIdentity';
import { runDesktopApp, type ElectronPorts } from './shell/desktopApp';
import { machinePolicyFile } from './shell/policyFile';
import { startSimulator } from '../sim/index';

const here = dirname(fileURLToPath(import.meta.url));
// First of all: a development run takes its own name and user data folder, before the log or the lock use them.
const identity = applyAppIdentity(app, process.argv);
const verbose = process.argv.includes('--verbose') || !app.isPackaged;
// The machine-wide policy is read first: it may set the log level. Reading it never throws (problems are reported).
const policy = readPolicyFile(machinePolicyFile(process.platform, process.env), process.platform);
// The console for development, and a rotated file in the user data folder that an agent can send to IT.
const log = createLogger({
  level: policy.policy.logLevel ?? (verbose ? 'debug' : 'info'),
  scope: 'desktop',
  sink: teeSink(consoleSink, logFileSink(join(app.getPath('userData'), 'logs', 'companion.log'))),
});

const ports: ElectronPorts<Electron.NativeImage, Electron.Menu> = {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  session,
  globalShortcut,
  Notification,
  createTray: (image) => new Tray(image),
  buildMenu: (template) => Menu.buildFromTemplate(template as MenuItemConstructorOptions[]),
  imageFromPath: (path) => nativeImage.createFromPath(path),
  openExternal: (url) => shell.openExternal(url),
  dialog,
  displays: () => screen.getAllDisplays().map((display) => display.workArea),
  setApplicationMenu: (template) => Menu.setApplicationMenu(template ? Menu.buildFromTemplate(template) : null),
};

runDesktopApp(ports, {
  argv: process.argv,
  env: process.env,
  platform: process.platform,
  execPath: process.execPath,
  resourcesPath: process.resourcesPath,
  appPath: app.getAppPath(),
  preloadPath: join(here, '../preload/index.cjs'),
  rendererDir: join(here, '../renderer'),
  log,
  startBridge: (input) => startLocalServer({ ...input, rendererDir: null }),
  createCore: async ({ dataDir, transport, log: coreLog }) => {
    const { companion, settings } = wireCompanion({
      name: identity.name,
      version: packageJson.version,
      runtime: 'electron',
      platform: process.platform,
      dataDir,
      log: coreLog,
      // Chromium's network stack on the dedicated ICWS session (`persist:icws`, replaced by a fresh one when the pins
      // change; pins applied by its verify proc).
      createTransport: () => transport,
      credentials: keytarCredentialStore(),
      // "Try the demo": the simulator runs in this process, on loopback, on a free port.
      startDemoServer: () => startSimulator({ quiet: true }),
      locale: () => app.getLocale(),
      policy,
    });
    return {
      companion,
      saveWindowBounds: async (bounds) => {
        await settings.update((value) => ({ ...value, window: bounds }));
      },
    };
  },
}).catch((error: unknown) => {
  log.error('the companion could not start', { error });
  dialog.showErrorBox('ICWS Companion could not start', error instanceof Error ? error.message : String(error));
  app.exit(1);
});

