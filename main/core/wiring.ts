/**
 * The one place a `Companion` is put together from its parts: the settings file in the data folder, the keychain, the
 * HTTP transport, the demo and the policy. The desktop app, the host (`npm run host`) and the benchmarks differ only in
 * what they pass here.
 */
import type { AppInfo } from '../../preload/contract';
import type { Logger } from '../common/log';
import { Companion, type CompanionDeps } from './companion';
import { SettingsStore } from './settings/settingsStore';

export interface CompanionWiring extends Omit<CompanionDeps, 'appInfo' | 'settings' | 'log' | 'platform'> {
  runtime: AppInfo['runtime'];
  version: string;
  /** The OS, as the agent's window shows it and as the hotkeys are checked for. */
  platform: NodeJS.Platform;
  /** Where the settings file lives. */
  dataDir: string;
  log: Logger;
  /** The product's name as the OS shows it (default "ICWS Companion"). */
  name?: string;
}

/** Builds the companion (not started: the caller starts it once its own parts are ready) and its settings file. */
export function wireCompanion({ runtime, version, platform, dataDir, log, name = 'ICWS Companion', ...deps }: CompanionWiring): {
  companion: Companion;
  settings: SettingsStore;
} {
  const settings = SettingsStore.inFolder(dataDir, log.child('settings'));
  const companion = new Companion({
    ...deps,
    appInfo: { name, version, runtime, platform, demoAvailable: deps.startDemoServer !== undefined },
    platform,
    settings,
    log,
  });
  return { companion, settings };
}
