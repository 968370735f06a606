// Shared harness for the integration tests: real simulators over real HTTP, a Companion wired as host mode wires it
// (Node transport, settings in a temporary folder), and trackers that let a test prove nothing is left running.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../sim/index';
import { Companion, type CompanionDeps, type CompanionTiming } from '../../main/core/companion';
import type { CredentialStore } from '../../main/core/session/credentials';
import { MemoryCredentialStore } from '../../main/core/session/credentials';
import { createLogger, SecretRegistry, type LogRecord } from '../../main/common/log';
import { SettingsStore } from '../../main/core/settings/settingsStore';
import { systemClock, type Clock, type TimerHandle } from '../../main/icws/clock';
import { createNodeHttpTransport, type TlsTrust } from '../../main/icws/nodeTransport';
import type { HttpTransport } from '../../main/icws/transport';
import type { PublicState, Result } from '../../preload/contract';

/** Timers of the system clock, counted: after sign-out none may be pending. */
export class TrackingClock implements Clock {
  private readonly live = new Set<TimerHandle>();
  now = () => Date.now();
  random = () => Math.random();
  setTimeout(callback: () => void, ms: number): TimerHandle {
    const handle = systemClock.setTimeout(() => {
      this.live.delete(handle);
      callback();
    }, ms);
    this.live.add(handle);
    return handle;
  }
  clearTimeout(handle: TimerHandle): void {
    this.live.delete(handle);
    systemClock.clearTimeout(handle);
  }
  get pending(): number {
    return this.live.size;
  }
}

export interface Exchange {
  url: string;
  method: string;
  requestHeaders: Record<string, string>;
  status: number;
  setCookies: string[];
  responseHeaders: Record<string, string>;
}

/** Wraps a transport to count open response bodies (streams included) and record every exchange. */
export function trackingTransport(
  inner: HttpTransport,
): HttpTransport & { openBodies: number; exchanges: Exchange[]; maxConcurrentMessageRequests: number } {
  const state = { openBodies: 0, messages: 0, maxMessages: 0 };
  const exchanges: Exchange[] = [];
  return {
    get openBodies() {
      return state.openBodies;
    },
    /** The most `GET messaging/messages` requests ever outstanding at once (request sent, body not finished). */
    get maxConcurrentMessageRequests() {
      return state.maxMessages;
    },
    exchanges,
    managesCookies: inner.managesCookies,
    closeIdle: () => inner.closeIdle?.(),
    fetch: async (url, init) => {
      const isMessages = url.endsWith('/messaging/messages');
      let messagesDone = !isMessages;
      const endMessages = () => {
        if (!messagesDone) {
          messagesDone = true;
          state.messages--;
        }
      };
      if (isMessages) state.maxMessages = Math.max(state.maxMessages, ++state.messages);
      let response: Response;
      try {
        response = await inner.fetch(url, init);
      } catch (error) {
        endMessages();
        throw error;
      }
      exchanges.push({
        url,
        method: init.method,
        requestHeaders: { ...init.headers },
        status: response.status,
        setCookies: response.headers.getSetCookie(),
        responseHeaders: Object.fromEntries(response.headers.entries()),
      });
      if (!response.body) {
        endMessages();
        return response;
      }
      state.openBodies++;
      let finished = false;
      const finish = () => {
        endMessages();
        if (!finished) {
          finished = true;
          state.openBodies--;
        }
      };
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) {
              finish();
              controller.close();
            } else controller.enqueue(value);
          } catch (error) {
            finish();
            controller.error(error);
          }
        },
        cancel(reason) {
          finish();
          return reader.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    },
  };
}

export interface TestCompanion {
  companion: Companion;
  clock: TrackingClock;
  transport: ReturnType<typeof trackingTransport>;
  logs: LogRecord[];
  states: PublicState[];
  secrets: SecretRegistry;
  credentials: CredentialStore;
  dataDir: string;
}

export interface TestCompanionOptions {
  dataDir?: string;
  credentials?: CredentialStore;
  timing?: CompanionTiming;
  extraCa?: string;
  startDemoServer?: CompanionDeps['startDemoServer'];
  locale?: string;
}

const created: { companion: Companion; dataDir: string; ownDir: boolean }[] = [];
const simulators: Simulator[] = [];

/** Fast but realistic timings: the first retry well under a second, polling at 100 ms. */
export const FAST: CompanionTiming = { pollIntervalMs: 100, backoff: { baseMs: 50, capMs: 400 }, requestTimeoutMs: 5000 };

export async function createTestCompanion(options: TestCompanionOptions = {}): Promise<TestCompanion> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'icws-companion-test-'));
  const logs: LogRecord[] = [];
  const secrets = new SecretRegistry();
  const log = createLogger({ level: 'debug', secrets, sink: (record) => logs.push(record) });
  const clock = new TrackingClock();
  const credentials = options.credentials ?? new MemoryCredentialStore();
  let transport!: ReturnType<typeof trackingTransport>;
  const companion = new Companion({
    appInfo: { name: 'ICWS Companion', version: '0.0.0-test', runtime: 'node', platform: process.platform, demoAvailable: Boolean(options.startDemoServer) },
    settings: SettingsStore.inFolder(dataDir, log.child('settings')),
    log,
    credentials,
    clock,
    secrets,
    locale: options.locale ?? 'en-US',
    timing: options.timing ?? FAST,
    createTransport: (trust) => {
      const tls = (): TlsTrust => ({ pins: trust.pins(), ...(options.extraCa ? { extraCa: options.extraCa } : {}) });
      transport = trackingTransport(createNodeHttpTransport({ trust: tls }));
      return transport;
    },
    ...(options.startDemoServer ? { startDemoServer: options.startDemoServer } : {}),
  });
  const states: PublicState[] = [];
  // Each change carries only what changed: record the whole state it leads to.
  companion.events.on('state.changed', () => states.push(companion.publicState));
  await companion.start();
  created.push({ companion, dataDir, ownDir });
  return { companion, clock, transport, logs, states, secrets, credentials, dataDir };
}

export async function startSim(options: SimulatorOptions = {}): Promise<Simulator> {
  const sim = await startSimulator({ port: 0, quiet: true, ...options });
  simulators.push(sim);
  return sim;
}

/** For afterEach: stops every companion and simulator the test made, removes temporary folders. */
export async function cleanUp(): Promise<void> {
  const companions = created.splice(0);
  for (const { companion } of companions) await companion.stop();
  const sims = simulators.splice(0);
  await Promise.all(sims.map((sim) => sim.close()));
  for (const { dataDir, ownDir } of companions) if (ownDir) rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Resolves with the first state (current or emitted) that satisfies `predicate`. The deadline only turns a hang into a
 * readable failure; nothing is asserted about how long it took.
 */
export function waitForState(companion: Companion, predicate: (state: PublicState) => boolean, what: string, deadlineMs = 8000): Promise<PublicState> {
  if (predicate(companion.publicState)) return Promise.resolve(companion.publicState);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}; state: ${JSON.stringify(companion.publicState.connection)}`));
    }, deadlineMs);
    const off = companion.events.on('state.changed', () => {
      const state = companion.publicState;
      if (!predicate(state)) return;
      clearTimeout(timer);
      off();
      resolve(state);
    });
  });
}

/** Polls a condition outside the companion (the simulator's world) until it holds. */
export async function waitFor<T>(probe: () => T | undefined | null | false, what: string, deadlineMs = 8000): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function expectOk<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.kind}: ${result.error.message}`);
  return result.value;
}

export function expectError<T>(result: Result<T>) {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
}

/** Signs agent1 in to the simulator and waits until the first messages (mailbox) have arrived. */
export async function signInAgent(companion: Companion, sim: Simulator, extra: { password?: string; remember?: boolean; userId?: string } = {}) {
  const connection = expectOk(
    await companion.handlers['session.signIn']({
      server: sim.url,
      userId: extra.userId ?? 'agent1',
      password: extra.password ?? '1234',
      ...(extra.remember !== undefined ? { remember: extra.remember } : {}),
    }),
  );
  await waitForState(companion, (state) => state.voicemail.messages.length > 0 || (state.voicemail.waiting ?? 0) > 0 || extra.userId === 'agent2', 'the mailbox');
  return connection;
}

export async function logInStation(companion: Companion, workstation = '7001') {
  const station = expectOk(await companion.handlers['station.logIn']({ kind: 'workstation', workstation }));
  await waitForState(companion, (state) => state.station?.id === workstation, `station ${workstation} in state`);
  return station;
}
