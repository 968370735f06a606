/**
 * A host companion in its own Node process (bundled, as `npm run host` runs it, or through tsx from the sources), for the figures that must not
 * include the simulator or the benchmark itself: CPU time when idle, RSS, heap growth over reconnect cycles.
 * Started by `spawnHost()` with an IPC channel; it answers the requests below and prints nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapSpaceStatistics } from 'node:v8';
import { startLocalServer } from '../main/bridge/localServer';
import { silentLogger } from '../main/common/log';
import { createDispatcher } from '../main/transports/dispatcher';
import { createBenchCompanion } from './benchCompanion';

export type HostRequest =
  | { id: number; op: 'dispatch'; method: string; params?: unknown }
  | { id: number; op: 'usage'; gc?: boolean }
  | { id: number; op: 'stop' };

export interface Usage {
  cpuMicros: number;
  rss: number;
  heapUsed: number;
  /** heapUsed less compiled code (which grows as the JIT optimises, and is not a leak). */
  dataHeap: number;
  external: number;
  arrayBuffers: number;
}

export type HostMessage =
  | { type: 'ready'; bridgeUrl: string; pid: number }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };

async function main(): Promise<void> {
  const send = (message: HostMessage) => process.send?.(message);
  const dataDir = mkdtempSync(join(tmpdir(), 'companion-bench-host-'));
  const poll = process.argv.find((arg) => arg.startsWith('--poll-interval='));
  const companion = await createBenchCompanion(dataDir, poll ? { pollIntervalMs: Number(poll.split('=')[1]) } : undefined);
  const dispatch = createDispatcher(companion.handlers, silentLogger);
  const server = await startLocalServer({ port: 0, rendererDir: null, dispatch, events: companion.events, log: silentLogger });
  const gc = (globalThis as { gc?: () => void }).gc;

  const usage = (): Usage => {
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const code = getHeapSpaceStatistics()
      .filter((space) => space.space_name.includes('code'))
      .reduce((sum, space) => sum + space.space_used_size, 0);
    return {
      cpuMicros: cpu.user + cpu.system,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      dataHeap: memory.heapUsed - code,
      external: memory.external,
      arrayBuffers: memory.arrayBuffers,
    };
  };

  process.on('message', (message: HostRequest) => {
    void (async () => {
      try {
        switch (message.op) {
          case 'dispatch': {
            const result = await dispatch(message.method, message.params);
            if (!result.ok) throw new Error(`${message.method}: ${result.error.message}`);
            return send({ type: 'reply', id: message.id, ok: true, value: result.value });
          }
          case 'usage':
            if (message.gc && gc) {
              gc();
              gc();
            }
            return send({ type: 'reply', id: message.id, ok: true, value: usage() });
          case 'stop':
            await companion.stop();
            await server.close();
            rmSync(dataDir, { recursive: true, force: true });
            send({ type: 'reply', id: message.id, ok: true, value: null });
            process.disconnect();
            return;
        }
      } catch (error) {
        send({ type: 'reply', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
      }
    })();
  });
  send({ type: 'ready', bridgeUrl: server.bridgeUrl, pid: process.pid });
}

void main().catch((error: unknown) => {
  console.error(`bench host failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
