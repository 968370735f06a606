import { join } from 'node:path';

/**
 * Who the running app is. A development run (`npm run dev`, `npm start`: unpackaged) gets its own name, user data
 * folder and Windows AppUserModelId, so it never shares the installed app's settings, log, single-instance lock or
 * taskbar identity, and it never touches start at login (it would point the installed app's entry at a development
 * build). The keychain entry is the same: it is the agent's password either way.
 */
const APP_NAME = 'ICWS Companion';
export const DEV_APP_NAME = 'ICWS Companion (development)';
const APP_USER_MODEL_ID = 'com.icwscompanion.app';
const DEV_APP_USER_MODEL_ID = 'com.icwscompanion.app.dev';

export interface IdentityPort {
  readonly isPackaged: boolean;
  setName(name: string): void;
  getPath(name: 'appData'): string;
  setPath(name: 'userData', path: string): void;
}

export interface AppIdentity {
  name: string;
  appUserModelId: string;
  /** False in a development run: start at login is left alone. */
  managesStartAtLogin: boolean;
}

export function appIdentity(packaged: boolean): AppIdentity {
  return packaged
    ? { name: APP_NAME, appUserModelId: APP_USER_MODEL_ID, managesStartAtLogin: true }
    : { name: DEV_APP_NAME, appUserModelId: DEV_APP_USER_MODEL_ID, managesStartAtLogin: false };
}

/**
 * Before anything reads `userData` (the log, the single-instance lock): a development run moves to its own folder, and
 * `--user-data-dir=DIR` (Chromium's switch: a separate profile, e.g. for the tests in real Electron) wins over both.
 */
export function applyAppIdentity(app: IdentityPort, argv: readonly string[] = []): AppIdentity {
  const identity = appIdentity(app.isPackaged);
  if (!app.isPackaged) {
    app.setName(identity.name);
    app.setPath('userData', join(app.getPath('appData'), identity.name));
  }
  const dir = argv.find((arg) => arg.startsWith('--user-data-dir='))?.slice('--user-data-dir='.length);
  if (dir) app.setPath('userData', dir);
  return identity;
}

/**
 * The application menu: none on Windows and Linux (Electron's default menu would put File/Edit/View/Window with reload
 * and devtools entries on the window); on macOS the app and Edit menus, without which Cmd+C and Cmd+V do nothing in the
 * window's fields, and the Window menu.
 */
export type AppMenuTemplate = { role: 'appMenu' | 'editMenu' | 'windowMenu' }[];

export function applicationMenu(platform: string): AppMenuTemplate | null {
  return platform === 'darwin' ? [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }] : null;
}
