/**
 * What every benchmark sets up: in-process simulators on loopback, in-process host companions (the same wiring as
 * `npm run host`: companion → dispatcher → loopback server with the UI and the bridge) and bridge clients.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { PublicState } from '../preload/contract';
import { startLocalServer, type LocalServer } from '../main/bridge/localServer';
import type { Companion } from '../main/core/companion';
import { silentLogger } from '../main/common/log';
import { createDispatcher, type Dispatch } from '../main/transports/dispatcher';
import { startSimulator, type ScenarioOverrides, type Simulator } from '../sim/index';
import { createBenchCompanion } from './benchCompanion';
import { BridgeClient } from './bridgeClient';
import type { HostMessage, HostRequest, Usage } from './hostProcess';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RENDERER_DIR = join(ROOT, 'out', 'renderer');
export const PASSWORD = '1234';

export const userId = (index: number): string => `agent${index + 1}`;
export const workstationId = (index: number): string => String(7001 + index);

/** Voicemails every benchmark user starts with: enough to play, stop and flip read states. */
export const benchMailbox = (user: string) =>
  [0, 1, 2].map((i) => ({
    unifiedMessageId: `vm-${user}-000${i + 1}`,
    state: (i === 0 ? 0 : 1) as 0 | 1,
    dateReceived: `2026111${8 + i}T08120${i}Z`,
    from: `Caller ${i + 1} (317555010${i})`,
    subject: `Voice Mail from Caller ${i + 1}`,
    // Long enough never to end on its own during a benchmark.
    durationSeconds: 3600,
  }));

/** `users` agents (agent1…agentN, password 1234), each with a workstation (7001…) and three voicemails. */
export function benchScenario(users: number): ScenarioOverrides {
  const ids = Array.from({ length: users }, (_, i) => userId(i));
  return {
    users: ids.map((id) => ({ userId: id, password: PASSWORD, displayName: `Bench ${id}` })),
    workstations: ids.map((_, i) => ({ id: workstationId(i), extension: workstationId(i) })),
    mailboxes: Object.fromEntries(ids.map((id) => [id, benchMailbox(id)])),
    dialerCalls: [],
  };
}

export interface SimOptions {
  users?: number;
  /** messaging feature version: 2 offers Server-Sent Events, 1 makes clients short-poll. */
  messaging?: 1 | 2;
  pingIntervalMs?: number;
}

export function startSim(options: SimOptions = {}): Promise<Simulator> {
  return startSimulator({
    port: 0,
    quiet: true,
    scenario: benchScenario(options.users ?? 2),
    features: { messaging: options.messaging ?? 2 },
    ...(options.pingIntervalMs ? { pingIntervalMs: options.pingIntervalMs } : {}),
  });
}

/** Records the simulator's requests (arrival time = performance.now() in this process). */
export class RequestLog {
  readonly records: { method: string; path: string; receivedAt: number }[] = [];
  private readonly off: () => void;
  constructor(sim: Simulator) {
    this.off = sim.onRequest((record) => this.records.push(record));
  }
  since(time: number): { method: string; path: string; receivedAt: number }[] {
    return this.records.filter((record) => record.receivedAt >= time);
  }
  clear(): void {
    this.records.length = 0;
  }
  stop(): void {
    this.off();
  }
}

/** Resolves with the arrival time of the next simulator request matching `test`. */
export function nextRequest(
  sim: Simulator,
  test: (method: string, path: string) => boolean,
  timeoutMs: number,
): { arrived: Promise<number>; cancel: () => void } {
  let off: () => void = () => {};
  let timer: NodeJS.Timeout | undefined;
  const arrived = new Promise<number>((resolve, reject) => {
    timer = setTimeout(() => {
      off();
      reject(new Error(`no matching request reached the simulator within ${timeoutMs} ms`));
    }, timeoutMs);
    off = sim.onRequest((record) => {
      if (!test(record.method, record.path)) return;
      off();
      clearTimeout(timer);
      resolve(record.receivedAt);
    });
  });
  return {
    arrived,
    cancel: () => {
      off();
      clearTimeout(timer);
    },
  };
}

export interface Host {
  companion: Companion;
  dispatch: Dispatch;
  server: LocalServer;
  client: BridgeClient;
  close(): Promise<void>;
}

export interface HostOptions {
  /** Serve the built UI (for Chromium); default: the bridge alone. */
  ui?: boolean;
  /** For the polling baseline: the interval between polls, where the companion lets it be set. */
  pollIntervalMs?: number;
}

/**
 * The polling baseline: the companion's own polling interval when a server offers no SSE (1 s: the message pump waits
 * this long after each poll answer; `CompanionTiming.pollIntervalMs` is set to the same value explicitly).
 */
export const POLL_BASELINE = {
  intervalMs: 1000,
  note: 'companion polling every 1 s (the product’s interval)',
};


/** A host companion exactly as `npm run host` wires it, in this process, with a fresh data folder and one bridge client. */
export async function startHost(options: HostOptions = {}): Promise<Host> {
  const dataDir = mkdtempSync(join(tmpdir(), 'companion-bench-'));
  const companion = await createBenchCompanion(dataDir, options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : undefined);
  const dispatch = createDispatcher(companion.handlers, silentLogger);
  const server = await startLocalServer({
    port: 0,
    rendererDir: options.ui ? RENDERER_DIR : null,
    dispatch,
    events: companion.events,
    log: silentLogger,
  });
  const client = await BridgeClient.connect(server.bridgeUrl);
  await client.refresh();
  return {
    companion,
    dispatch,
    server,
    client,
    close: async () => {
      await client.close();
      await companion.stop();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The three benchmark voicemails plus `total - 3` older ones: a big mailbox in which benchmark changes still work. */
export function bigMailbox(user: string, total: number) {
  const start = Date.UTC(2026, 9, 1, 9, 0, 0);
  const older = Array.from({ length: total - 3 }, (_, i) => ({
    unifiedMessageId: `vm-${user}-old-${String(i).padStart(6, '0')}`,
    state: 1 as const,
    dateReceived: new Date(start - i * 60_000).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z'),
    from: `+1 317 555 ${String(1000 + (i % 9000)).padStart(4, '0')}`,
    subject: `Voice Mail ${i}`,
  }));
  return [...benchMailbox(user), ...older];
}

/** Signed in, logged in to the user's workstation, and the mailbox loaded (with `mailboxSize` messages). */
export const ready = (mailboxSize: number) => (state: PublicState) =>
  state.connection.status === 'connected' && state.station !== null && state.voicemail.messages.length === mailboxSize;

/** Signs the host in as `agentN`, logs in to its workstation and waits until the state shows both and the mailbox. */
export async function signIn(host: Host, sim: Simulator, index: number, mailboxSize = 3): Promise<PublicState> {
  const { client } = host;
  await client.call('session.signIn', { server: sim.url, userId: userId(index), password: PASSWORD, remember: false });
  await client.waitForState((state) => state.connection.status === 'connected', 10_000, 'signed in');
  await client.call('station.logIn', { kind: 'workstation', workstation: workstationId(index) });
  const { state } = await client.waitForState(ready(mailboxSize), 10_000, 'station and mailbox');
  return state;
}

/** Milliseconds since `start` (performance.now() clock). */
export const since = (start: number): number => performance.now() - start;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function rendererBuilt(): boolean {
  return existsSync(join(RENDERER_DIR, 'index.html'));
}

/** Runs `count` async tasks with at most `limit` at a time. */
export async function inBatches<T>(count: number, limit: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array<T>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      results[index] = await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return results;
}

/** A host companion in its own process (bench/hostProcess.ts), with a bridge client in this one. */
export interface HostProcess {
  pid: number;
  client: BridgeClient;
  dispatch(method: string, params?: unknown): Promise<unknown>;
  usage(gc?: boolean): Promise<Usage>;
  close(): Promise<void>;
}

let bundled: Promise<string> | null = null;

/**
 * bench/hostProcess.ts and everything it imports (the companion, ws, zod) bundled into one ES module with Vite, run by
 * plain Node: the host as it ships, without tsx's on-the-fly TypeScript (which costs some 40 MB of RSS by itself).
 */
export function bundledHost(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('vite');
    const outDir = mkdtempSync(join(tmpdir(), 'companion-bench-bundle-'));
    await build({
      configFile: false,
      logLevel: 'warn',
      root: ROOT,
      build: {
        ssr: join(ROOT, 'bench', 'hostProcess.ts'),
        outDir,
        emptyOutDir: true,
        minify: false,
        target: 'node20',
        rollupOptions: { output: { format: 'esm', entryFileNames: 'host.mjs' } },
      },
      ssr: { noExternal: true },
    });
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    return join(outDir, 'host.mjs');
  })();
  return bundled;
}

export interface SpawnOptions {
  pollIntervalMs?: number;
  /** Run through tsx from the TypeScript sources, as `npm run host` does; default: the bundle, by plain Node. */
  tsx?: boolean;
}

export async function spawnHost(options: SpawnOptions = {}): Promise<HostProcess> {
  const timing = options.pollIntervalMs ? [`--poll-interval=${options.pollIntervalMs}`] : [];
  const entry = options.tsx ? ['--import', 'tsx', join(ROOT, 'bench', 'hostProcess.ts')] : [await bundledHost()];
  const child = spawn(process.execPath, ['--expose-gc', ...entry, ...timing], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const ready = new Promise<{ bridgeUrl: string; pid: number }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bench host exited with code ${String(code)} before it was ready`)));
    child.on('message', (message: HostMessage) => {
      if (message.type === 'ready') return resolve(message);
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(new Error(message.error));
    });
  });
  child.on('exit', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('the bench host exited'));
    pending.clear();
  });
  const request = (body: DistributiveOmit<HostRequest, 'id'>): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...body, id });
    });
  const { bridgeUrl, pid } = await ready;
  const client = await BridgeClient.connect(bridgeUrl);
  await client.refresh();
  return {
    pid,
    client,
    dispatch: (method, params) => request({ op: 'dispatch', method, params }),
    usage: (gc = false) => request({ op: 'usage', gc }) as Promise<Usage>,
    close: async () => {
      await client.close();
      const exited = new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      await Promise.race([request({ op: 'stop' }).catch(() => undefined), sleep(5000)]);
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Signs a host process in as `agentN` and logs in to its workstation; resolves once its state shows both and the mailbox. */
export async function signInProcess(host: HostProcess, sim: Simulator, index: number, mailboxSize = 3): Promise<void> {
  await host.dispatch('session.signIn', { server: sim.url, userId: userId(index), password: PASSWORD, remember: false });
  await host.client.waitForState((state) => state.connection.status === 'connected', 10_000, 'signed in');
  await host.dispatch('station.logIn', { kind: 'workstation', workstation: workstationId(index) });
  await host.client.waitForState(ready(mailboxSize), 10_000, 'station and mailbox');
}

/**
 * Signs in `count` hosts one after another, spread evenly over one poll period, so that polling companions poll at
 * evenly spread phases: one injection round then samples the whole poll cycle instead of one clustered phase.
 */
export async function staggered<T>(count: number, periodMs: number, start: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = t0 + (i * periodMs) / count - performance.now();
    if (wait > 0) await sleep(wait);
    results.push(await start(i));
  }
  return results;
}
