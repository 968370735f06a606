import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { attachBridge, CLOSE_NOT_READING, type Bridge } from '../../../main/bridge/bridgeServer';
import { createLogger, type LogRecord } from '../../../main/common/log';
import { BridgeTransport } from '../../../renderer/src/transport/bridge';
import type { StateChange } from '../../../preload/contract';
import { jsonSize, MainSide, MirrorClient } from './stateScenario';

const TOKEN = 'bridge-state-test-token';
const opened: { server: Server; bridge: Bridge }[] = [];
const clients: { close(): void }[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const { server, bridge } of opened.splice(0)) {
    await bridge.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function start(main: MainSide, maxUnsentBytes?: number) {
  const records: LogRecord[] = [];
  const log = createLogger({ level: 'debug', scope: 'bridge', sink: (record) => records.push(record) });
  const server = createServer();
  const bridge = attachBridge({
    server,
    path: '/bridge',
    token: TOKEN,
    allowedOrigins: () => [],
    allowedHosts: () => {
      const { port } = server.address() as AddressInfo;
      return [`127.0.0.1:${port}`];
    },
    dispatch: main.dispatch,
    events: main.events,
    log,
    ...(maxUnsentBytes ? { maxUnsentBytes } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  opened.push({ server, bridge });
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/bridge?token=${TOKEN}`;
  return { bridge, url, records };
}

/** The renderer's own bridge transport (in Node, over the `ws` package), with a mirror as the renderer keeps one. */
async function rendererClient(url: string): Promise<MirrorClient> {
  const transport = new BridgeTransport(url, { WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  clients.push(transport);
  const client = new MirrorClient(transport);
  await expect.poll(() => client.mirror.synced).toBe(true);
  return client;
}

describe('state by slice over the bridge', () => {
  it('starts every connection with a snapshot, then carries only the slices that changed', async () => {
    const main = new MainSide();
    main.store.update({ followMe: { status: 'recording' } });
    const { url } = await start(main);
    const client = await rendererClient(url);
    expect(client.changes[0]).toMatchObject({ revision: 1, snapshot: true, slices: { followMe: { status: 'recording' } } });

    main.run(2000);
    await expect.poll(() => client.mirror.revision).toBe(5);
    const deltas = client.changes.slice(1);
    expect(deltas.map((change) => Object.keys(change.slices))).toEqual([['voicemail'], ['station'], ['voicemail'], ['voicemail']]);
    for (const delta of deltas.slice(2)) {
      expect(delta.slices.voicemail).not.toHaveProperty('messages');
      expect(jsonSize(delta)).toBeLessThan(500);
    }
    expect(client.mirror.state).toEqual(main.store.value);
    expect(client.snapshotsAsked).toBe(0);
  });

  it('a client that sees a gap in revisions asks for a snapshot', async () => {
    const main = new MainSide();
    const { url } = await start(main);
    const client = await rendererClient(url);
    main.run(100);
    await expect.poll(() => client.mirror.revision).toBe(4);
    // A change this client never got (as if lost): the next one shows the gap.
    main.events.emit('state.changed', { revision: 99, slices: { stationDropReason: 'not for this client' } });
    main.store.update({ station: null });
    await expect.poll(() => client.snapshotsAsked).toBe(1);
    await client.settled();
    expect(client.mirror.state).toEqual(main.store.value);
    expect(client.mirror.revision).toBe(5);
  });

  it('encodes a notification once for all clients', async () => {
    const main = new MainSide();
    const { url } = await start(main);
    const sockets = await Promise.all(Array.from({ length: 5 }, () => rawClient(url)));
    let encoded = 0;
    const change = { revision: 1, slices: { station: null }, toJSON: () => (encoded++, { revision: 1, slices: { station: null } }) };
    const received = Promise.all(sockets.map((socket) => nextChange(socket, (c) => c.snapshot !== true)));
    main.events.emit('state.changed', change as unknown as StateChange);
    expect(await received).toEqual(Array.from({ length: 5 }, () => ({ revision: 1, slices: { station: null } })));
    expect(encoded).toBe(1);
  });

  it('closes a client that stops reading once its unsent data passes the bound, and keeps serving the others', async () => {
    const main = new MainSide();
    const { bridge, url, records } = await start(main, 1024 * 1024);
    const stalled = await rawClient(url);
    const reader = await rawClient(url);
    await expect.poll(() => bridge.clientCount()).toBe(2);
    pause(stalled);
    let changes = 0;
    let answered = false;
    reader.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: number; params?: StateChange };
      if (message.params && !message.params.snapshot) changes++;
      if (message.id === 7) answered = true;
    });
    const sent = await flood(main, () => records.some((record) => record.message.includes('not reading')));
    expect(sent).toBeLessThan(FLOOD_LIMIT);
    await expect.poll(() => bridge.clientCount(), { timeout: 5000 }).toBe(1);
    // The reader got every change, and still gets answers.
    await expect.poll(() => changes).toBe(sent);
    reader.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'state.get' }));
    await expect.poll(() => answered).toBe(true);
  });

  it('says why it closed a client that reads too slowly', async () => {
    const main = new MainSide();
    const { url, records } = await start(main, 1024 * 1024);
    const slow = await rawClient(url);
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      slow.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    pause(slow);
    await flood(main, () => records.some((record) => record.message.includes('not reading')));
    // It reads again within the grace period: behind what was queued, the close frame says why.
    resume(slow);
    expect(await closed).toEqual({ code: CLOSE_NOT_READING, reason: expect.stringContaining('not reading') });
  });
});

/** Changes of 64 KB, one per turn of the event loop (as the store emits them), until `done` or 64 MB. */
const FLOOD_LIMIT = 1000;
async function flood(main: MainSide, done: () => boolean): Promise<number> {
  const filler = 'x'.repeat(64 * 1024);
  let sent = 0;
  while (sent < FLOOD_LIMIT && !done()) {
    main.events.emit('state.changed', { revision: ++sent, slices: { warnings: [filler] } });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return sent;
}

const tcp = (socket: WebSocket) => (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
const pause = (socket: WebSocket) => tcp(socket).pause();
const resume = (socket: WebSocket) => tcp(socket).resume();

function rawClient(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    clients.push({ close: () => socket.terminate() });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextChange(socket: WebSocket, test: (change: StateChange) => boolean): Promise<StateChange> {
  return new Promise((resolve) => {
    const listener = (data: WebSocket.RawData) => {
      const message = JSON.parse(data.toString()) as { method?: string; params?: StateChange };
      if (message.method !== 'state.changed' || !message.params || !test(message.params)) return;
      socket.off('message', listener);
      resolve(message.params);
    };
    socket.on('message', listener);
  });
}
