// The simulator as a library: startSimulator() for tests, the app's embedded demo server and benchmarks.
import type { Certificate } from './tls';
import { SimulatorControl } from './control';
import { Faults } from './faults';
import type { ScenarioOverrides } from './scenario';
import { loadScenarioFile, resolveScenario } from './scenario';
import type { RequestRecord } from './server';
import { SimulatorServer } from './server';
import { World } from './state';

export { SimulatorControl, ControlError } from './control';
export type { Scenario, ScenarioOverrides } from './scenario';
export { DEFAULT_SCENARIO, RENEWALS_CAMPAIGN_ID, ScenarioError } from './scenario';
export type { RequestRecord } from './server';
export { WWW_AUTHENTICATE, GONE_MESSAGE, SUBSEQUENT_LOGON_REASON } from './errors';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Overrides of the default scenario, or the path of a scenario JSON file. */
  scenario?: ScenarioOverrides | string;
  /** Serve HTTPS with a self-signed certificate generated now. */
  tls?: boolean;
  /** Feature versions on top of the scenario's (0 removes a feature). */
  features?: Record<string, number>;
  stationMessageShape?: 'nested' | 'flat';
  pingIntervalMs?: number;
  /** No diagnostics on stderr (internal errors are still answered with 500). */
  quiet?: boolean;
  /**
   * `perEvent`: each SSE message is its own socket write, as a CIC server writes them (benchmarks of bursts).
   * Default `perTick`: the messages of one tick of the event loop go out in one write.
   */
  writes?: 'perEvent' | 'perTick';
}

export interface Simulator {
  /** e.g. http://127.0.0.1:PORT, no trailing slash. */
  url: string;
  host: string;
  port: number;
  fingerprint256?: string;
  certificatePem?: string;
  control: SimulatorControl;
  onRequest(listener: (record: RequestRecord) => void): () => void;
  /** Ends SSE streams and every socket, then resolves. */
  close(): Promise<void>;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const overrides = typeof options.scenario === 'string' ? loadScenarioFile(options.scenario) : (options.scenario ?? {});
  const scenario = resolveScenario(
    {
      ...overrides,
      ...(options.stationMessageShape ? { stationMessageShape: options.stationMessageShape } : {}),
      ...(options.pingIntervalMs ? { pingIntervalMs: options.pingIntervalMs } : {}),
    },
    options.features,
  );
  let certificate: Certificate | undefined;
  if (options.tls) {
    const { createCertificate } = await import('./tls');
    certificate = await createCertificate(host);
  }
  const world = new World(scenario);
  if (options.writes) world.sessions.writes = options.writes;
  const faults = new Faults();
  const control = new SimulatorControl(world, faults);
  const server = new SimulatorServer({
    world,
    faults,
    control,
    settings: { pingIntervalMs: scenario.pingIntervalMs },
    ...(certificate ? { tls: { key: certificate.key, cert: certificate.cert } } : {}),
    quiet: options.quiet ?? false,
  });
  const address = await server.listen(options.port ?? 0, host);
  const scheme = certificate ? 'https' : 'http';
  return {
    url: `${scheme}://${urlHost(host)}:${address.port}`,
    host,
    port: address.port,
    ...(certificate ? { fingerprint256: certificate.fingerprint256, certificatePem: certificate.cert } : {}),
    control,
    onRequest: (listener) => server.onRequest(listener),
    close: () => server.close(),
  };
}
