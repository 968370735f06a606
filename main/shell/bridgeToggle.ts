import { writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Settings } from '../../preload/contract';
import type { LocalServer, LocalServerOptions } from '../bridge/localServer';
import type { Logger } from '../common/log';

/**
 * Starts and stops the lead's local WebSocket bridge as `settings.bridge` says. The bridge address carries a secret
 * token, so it is never logged: it is written to `bridge-url.txt` (mode 0600) in the user data folder for local tools.
 */
const BRIDGE_URL_FILE = 'bridge-url.txt';

export interface BridgeToggleOptions {
  start: (options: Pick<LocalServerOptions, 'port'>) => Promise<Pick<LocalServer, 'port' | 'bridgeUrl' | 'close'>>;
  dataDir: string;
  log: Logger;
  fs?: { writeFile: typeof writeFile; rm: typeof rm };
}

export class BridgeToggle {
  private running: Pick<LocalServer, 'port' | 'bridgeUrl' | 'close'> | null = null;
  private runningPort: number | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: BridgeToggleOptions) {}

  /** Serialised: settings changes in quick succession apply in order. */
  apply(bridge: Settings['bridge']): Promise<void> {
    this.queue = this.queue.then(() => this.applyNow(bridge)).catch((error: unknown) => {
      this.options.log.error('the bridge could not be started', { error });
    });
    return this.queue;
  }

  close(): Promise<void> {
    return this.apply({ enabled: false, port: 0 });
  }

  private async applyNow(bridge: Settings['bridge']): Promise<void> {
    const fs = this.options.fs ?? { writeFile, rm };
    const file = join(this.options.dataDir, BRIDGE_URL_FILE);
    if (this.running && (!bridge.enabled || bridge.port !== this.runningPort)) {
      await this.running.close();
      this.running = null;
      this.runningPort = null;
      await fs.rm(file, { force: true });
      this.options.log.info('bridge stopped');
    }
    if (bridge.enabled && !this.running) {
      this.running = await this.options.start({ port: bridge.port });
      this.runningPort = bridge.port;
      await fs.writeFile(file, `${this.running.bridgeUrl}\n`, { mode: 0o600 });
      this.options.log.info('bridge listening on loopback', { port: this.running.port, urlFile: file });
    }
  }
}
