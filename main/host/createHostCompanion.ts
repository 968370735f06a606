import { platform } from 'node:os';
import packageJson from '../../package.json';
import { Companion } from '../core/companion';
import type { Logger } from '../core/log';
import { SettingsStore } from '../core/settingsStore';

export interface HostCompanionOptions {
  dataDir: string;
  log: Logger;
  demo: boolean;
  caFile?: string;
}

/** Wires the companion's Node pieces for host mode (`npm run host`). */
export async function createHostCompanion(options: HostCompanionOptions): Promise<Companion> {
  const companion = new Companion({
    appInfo: { name: 'ICWS Companion', version: packageJson.version, runtime: 'node', platform: platform(), demoAvailable: true },
    settings: SettingsStore.inFolder(options.dataDir, options.log.child('settings')),
    log: options.log,
  });
  await companion.start();
  return companion;
}
