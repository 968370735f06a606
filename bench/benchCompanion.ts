import { platform } from 'node:os';
import type { Companion, CompanionTiming } from '../main/core/companion';
import { silentLogger } from '../main/common/log';
import { wireCompanion } from '../main/core/wiring';

/**
 * The companion as `createHostCompanion` wires it (settings in a data folder, Node's http transport with the pins,
 * default timing), except: no OS keychain (benchmarks sign in with `remember: false` and must not touch the agent's
 * keychain) and no demo server; and `timing` for the polling baseline, which createHostCompanion cannot pass on.
 */
export async function createBenchCompanion(dataDir: string, timing?: CompanionTiming): Promise<Companion> {
  const { companion } = wireCompanion({ version: '0.0.0-bench', runtime: 'node', platform: platform(), dataDir, log: silentLogger, ...(timing ? { timing } : {}) });
  await companion.start();
  return companion;
}
