import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../common/log';

/**
 * Start at login (Zulip's startup.ts model): login items on Windows and macOS, an XDG autostart entry on Linux
 * (`$XDG_CONFIG_HOME/autostart`, by default `~/.config/autostart`). Start hidden is a setting of its own
 * (`settings.startHidden`), applied on every launch, so the entry launches the app plainly.
 */
export const AUTOSTART_FILE = 'icws-companion.desktop';

export interface LoginItemPort {
  setLoginItemSettings(settings: { openAtLogin: boolean; path?: string; args?: string[] }): void;
}

interface StartupFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: string, options: { mode: number }): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

export interface StartAtLoginOptions {
  platform: string;
  app: LoginItemPort;
  /** The executable to start at login (`process.execPath`). */
  executable: string;
  env: Record<string, string | undefined>;
  home?: string;
  fs?: StartupFs;
  log: Logger;
}

export function autostartDir(env: Record<string, string | undefined>, home: string = homedir()): string {
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'autostart');
}

/** `Exec=` quoting per the Desktop Entry spec: the path in double quotes, with `"`, `` ` ``, `$` and `\` escaped. */
export function desktopExec(executable: string): string {
  return `"${executable.replace(/([\\"`$])/g, '\\$1')}"`;
}

function autostartEntry(executable: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=ICWS Companion',
    'Comment=Follow-me prompt, voicemail playback and Dialer call data, one keystroke away',
    `Exec=${desktopExec(executable)}`,
    'Icon=icws-companion',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export async function applyStartAtLogin(enabled: boolean, options: StartAtLoginOptions): Promise<void> {
  if (options.platform === 'win32' || options.platform === 'darwin') {
    options.app.setLoginItemSettings({
      openAtLogin: enabled,
      ...(options.platform === 'win32' ? { path: options.executable, args: [] } : {}),
    });
    return;
  }
  const fs = options.fs ?? { mkdir, writeFile, rm };
  const dir = autostartDir(options.env, options.home);
  const file = join(dir, AUTOSTART_FILE);
  try {
    if (enabled) {
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(file, autostartEntry(options.executable), { mode: 0o644 });
    } else {
      await fs.rm(file, { force: true });
    }
  } catch (error) {
    options.log.warn('could not change start at login', { file, error });
    throw error;
  }
}
