// Property-based fuzzing of the two doors into the main side: the dispatcher (every transport's entry) and the bridge
// (raw WebSocket text). The companion is real and signed in to the simulator, so handlers run for real with a live
// CSRF token and cookie. Fixed seeds: a failure reproduces exactly. Every answer must be valid JSON-RPC (or a valid
// Result), nothing may throw, and no secret, file path or stack trace may appear in any answer.
import { homedir } from 'node:os';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalServer, type LocalServer } from '../../main/bridge/localServer';
import type { Companion } from '../../main/core/companion';
import { silentLogger } from '../../main/common/log';
import { createDispatcher, type Dispatch } from '../../main/transports/dispatcher';
import { commandNames, eventNames, type CommandHandlers, type ErrorKind } from '../../preload/contract';
import { cleanUp, createTestCompanion, signInAgent, startSim, type TestCompanion } from './helpers';

const SEED = 20_261_128;

/** Every kind an error may have (a Record, so the compiler says when the contract adds one). */
const KINDS: Record<ErrorKind, true> = {
  invalidInput: true, refused: true, notSignedIn: true, noStation: true, notPlaying: true, noDialerCall: true,
  authenticationFailed: true, forbidden: true, notFound: true, unsupported: true, sessionExpired: true,
  untrustedCertificate: true, unavailable: true, network: true, server: true, gone: true, internal: true,
};

/** Field names the contract's schemas use, so that many generated parameter objects come close to valid. */
const FIELDS = [
  'id', 'target', 'read', 'server', 'userId', 'password', 'remember', 'host', 'fingerprint256', 'kind', 'workstation',
  'remoteNumber', 'persistent', 'callId', 'campaignId', 'callAttributes', 'hotkeys', 'notifications', 'startHidden',
  'stopPlayback', 'recordFollowMe', 'bridge', 'enabled', 'port', '__proto__', 'constructor',
];
const ODD_VALUES = ['..', '.', '__proto__', 'constructor+K', 'CommandOrControl+Alt+S', '', ' ', '\u0000', 'é'.repeat(300), '%2e%2e', 'vm-agent1-0001'];

const value = fc.oneof(
  fc.string(),
  fc.constantFrom(...ODD_VALUES),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constant(null),
  fc.dictionary(fc.oneof(fc.string(), fc.constantFrom(...FIELDS)), fc.string(), { maxKeys: 4 }),
);
const nearValidParams = fc.dictionary(fc.constantFrom(...FIELDS), fc.oneof(value, fc.dictionary(fc.constantFrom(...FIELDS), value, { maxKeys: 3 })), { maxKeys: 4 });
const params = fc.oneof(nearValidParams, fc.anything(), fc.constant(undefined));
const method = fc.oneof(fc.constantFrom(...commandNames), fc.constantFrom(...commandNames), fc.string(), fc.anything());

let sim: Awaited<ReturnType<typeof startSim>>;
let test: TestCompanion;
let dispatch: Dispatch;
let server: LocalServer;
let secrets: string[];

/** Commands that would leave the simulator (a sign-in to a generated address) or end the session under test answer a stand-in. */
function fuzzableHandlers(companion: Companion): CommandHandlers {
  const standIn = async () => ({ ok: true as const, value: null });
  return { ...companion.handlers, 'session.signIn': standIn, 'session.startDemo': standIn, 'session.signOut': standIn } as unknown as CommandHandlers;
}

beforeAll(async () => {
  sim = await startSim();
  test = await createTestCompanion();
  await signInAgent(test.companion, sim);
  const signIn = test.transport.exchanges.find((e) => e.url.includes('/icws/connection') && e.method === 'POST');
  const csrf = signIn?.responseHeaders['inin-icws-csrf-token'] ?? '';
  const cookie = (signIn?.setCookies[0] ?? '').split(';')[0]?.split('=').slice(1).join('=') ?? '';
  secrets = [csrf, cookie].filter((secret) => secret.length >= 8);
  expect(secrets).toHaveLength(2);
  dispatch = createDispatcher(fuzzableHandlers(test.companion), silentLogger);
  server = await startLocalServer({ port: 0, rendererDir: null, dispatch, events: test.companion.events, log: silentLogger });
}, 30_000);

afterAll(async () => {
  await server?.close();
  await cleanUp();
});

/** What no answer may contain: this run's secrets, the data folder, home and working directories, a stack frame. */
function leaks(text: string): string[] {
  const found = secrets.filter((secret) => text.includes(secret));
  for (const path of [test.dataDir, process.cwd(), homedir()]) if (path.length > 1 && text.includes(path)) found.push(`path ${path}`);
  if (/\n\s+at |node_modules|\.ts:\d+/.test(text)) found.push('stack trace');
  return found;
}

function isCompanionError(value: unknown): boolean {
  const error = value as { kind?: unknown; message?: unknown };
  return typeof error === 'object' && error !== null && typeof error.kind === 'string' && Object.hasOwn(KINDS, error.kind) && typeof error.message === 'string' && error.message.length > 0;
}

describe('the dispatcher, fuzzed', () => {
  it('answers every call with a Result, never throws, and leaks nothing', async () => {
    let reachedHandlers = 0;
    await fc.assert(
      fc.asyncProperty(method, params, async (name, given) => {
        const result = await dispatch(name, given);
        if (result.ok || result.error.kind !== 'invalidInput') reachedHandlers++;
        expect(typeof result.ok).toBe('boolean');
        if (!result.ok) expect(isCompanionError(result.error), JSON.stringify(result)).toBe(true);
        expect(leaks(JSON.stringify(result))).toEqual([]);
      }),
      { seed: SEED, numRuns: 2000 },
    );
    // The generators must get past validation often enough for the handlers themselves to be fuzzed.
    expect(reachedHandlers).toBeGreaterThan(100);
  }, 180_000);
});

/** One WebSocket client that gathers every frame, so each case can wait for its own sentinel answer. */
function bridgeClient(): Promise<{ socket: WebSocket; frames: string[]; until: (id: string) => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.bridgeUrl);
    const frames: string[] = [];
    const waiting = new Map<string, () => void>();
    socket.on('message', (data) => {
      const text = data.toString();
      frames.push(text);
      for (const [id, done] of waiting) {
        if (text.includes(`"id":"${id}"`)) {
          waiting.delete(id);
          done();
        }
      }
    });
    socket.once('open', () =>
      resolve({
        socket,
        frames,
        until: (id) =>
          new Promise<void>((done) => {
            if (frames.some((frame) => frame.includes(`"id":"${id}"`))) return done();
            waiting.set(id, done);
          }),
      }),
    );
    socket.once('error', reject);
  });
}

function checkFrame(text: string): void {
  const message = JSON.parse(text) as Record<string, unknown> | Record<string, unknown>[];
  if (!Array.isArray(message) && 'method' in message) {
    expect(message.jsonrpc).toBe('2.0');
    expect(eventNames).toContain(message.method);
    return;
  }
  const responses = Array.isArray(message) ? message : [message];
  expect(responses.length, text).toBeGreaterThan(0);
  for (const response of responses) {
    expect(response.jsonrpc, text).toBe('2.0');
    expect(response.id === null || typeof response.id === 'string' || typeof response.id === 'number', text).toBe(true);
    expect('result' in response !== 'error' in response, text).toBe(true);
    if ('error' in response) {
      const error = response.error as { code?: unknown; message?: unknown; data?: unknown };
      expect(Number.isInteger(error.code), text).toBe(true);
      expect(typeof error.message, text).toBe('string');
      expect(isCompanionError(error.data), text).toBe(true);
    }
  }
}

const envelope = fc.record(
  { jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('2.0'), fc.anything()), id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.anything()), method, params },
  { requiredKeys: [] },
);
const frame = fc.oneof(
  envelope.map((request) => JSON.stringify(request) ?? 'undefined'),
  fc.array(envelope, { maxLength: 25 }).map((batch) => JSON.stringify(batch)),
  fc.jsonValue().map((json) => JSON.stringify(json)),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', '[]', '{', 'null', '[1,2', '{"jsonrpc":"2.0","method":"state.get","id":'),
);

describe('the bridge, fuzzed', () => {
  it('answers every text frame with valid JSON-RPC, keeps the connection, and leaks nothing', async () => {
    const client = await bridgeClient();
    let sentinel = 0;
    await fc.assert(
      fc.asyncProperty(frame, async (text) => {
        const from = client.frames.length;
        client.socket.send(text);
        const id = `sentinel-${++sentinel}`;
        client.socket.send(JSON.stringify({ jsonrpc: '2.0', id, method: 'app.info' }));
        await client.until(id);
        for (const received of client.frames.slice(from)) {
          checkFrame(received);
          expect(leaks(received), received).toEqual([]);
        }
        expect(client.socket.readyState).toBe(WebSocket.OPEN);
      }),
      { seed: SEED, numRuns: 1500 },
    );
    client.socket.close();
  }, 180_000);
});
