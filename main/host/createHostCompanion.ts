import { readFileSync } from 'node:fs';
import { platform } from 'node:os';
import packageJson from '../../package.json';
import type { Companion, DemoServer } from '../core/companion';
import { keytarCredentialStore } from '../core/session/credentials';
import type { Logger } from '../common/log';
import type { LoadedPolicy } from '../core/settings/policy';
import { wireCompanion } from '../core/wiring';
import { createNodeHttpTransport } from '../icws/nodeTransport';
import { normalizeServerUrl } from '../icws/url';

export interface HostCompanionOptions {
  dataDir: string;
  log: Logger;
  demo: boolean;
  /** PEM file of an extra CA to trust (a CIC server-group CA), on top of Node's store and the pins. */
  caFile?: string;
  /** The CIC server to use (`--server`): kept in the settings, so the sign-in form shows it. */
  server?: string;
  /** The machine-wide policy (`--policy FILE`). */
  policy?: LoadedPolicy;
}

/**
 * Wires the companion's Node pieces for host mode (`npm run host`): settings in the data folder, the OS keychain through
 * keytar, Node's http/https with the companion's TLS rules, and the embedded simulator for the demo. With `demo`, signs
 * in to the simulator as agent1 (logged in to workstation 7001) before returning.
 */
export async function createHostCompanion(options: HostCompanionOptions): Promise<Companion> {
  let extraCa: string | undefined;
  if (options.caFile) {
    try {
      extraCa = readFileSync(options.caFile, 'utf8');
    } catch (error) {
      throw new Error(`The CA file ${options.caFile} could not be read: ${(error as Error).message}`, { cause: error });
    }
    if (!extraCa.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`The CA file ${options.caFile} holds no PEM certificate.`);
  }

  let server: string | undefined;
  if (options.server !== undefined) {
    const normalized = normalizeServerUrl(options.server);
    if (!normalized.ok) throw new Error(normalized.message);
    server = normalized.base;
  }

  const { companion, settings } = wireCompanion({
    version: packageJson.version,
    runtime: 'node',
    platform: platform(),
    dataDir: options.dataDir,
    log: options.log,
    credentials: keytarCredentialStore(),
    createTransport: (trust) => createNodeHttpTransport({ trust: () => ({ pins: trust.pins(), ...(extraCa ? { extraCa } : {}) }) }),
    startDemoServer: startDemoSimulator,
    ...(options.policy ? { policy: options.policy } : {}),
  });
  await companion.start();
  if (server !== undefined && settings.value.server !== server) await settings.update((current) => ({ ...current, server }));
  if (options.demo) {
    // Under a policy that turns the demo off, this is refused with the administrator's sentence, logged below.
    const started = await companion.handlers['session.startDemo'](undefined);
    if (!started.ok) options.log.warn(`The demo could not start: ${started.error.message}`);
  }
  return companion;
}

/** The simulator is loaded only when the demo is asked for: host mode without it never pays for it. */
async function startDemoSimulator(): Promise<DemoServer> {
  const { startSimulator } = await import('../../sim/index');
  const simulator = await startSimulator({ port: 0, quiet: true });
  return { url: simulator.url, close: () => simulator.close() };
}
