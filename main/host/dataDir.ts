import { homedir } from 'node:os';
import { join } from 'node:path';

const APP_FOLDER = 'ICWS Companion';

/** The same folder Electron's `app.getPath('userData')` gives, so host mode and the desktop app share settings. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_FOLDER);
}
