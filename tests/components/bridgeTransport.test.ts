import { afterEach, describe, expect, it, vi } from 'vitest';
import { BridgeTransport, bridgeUrlFor, NOT_REACHABLE } from '../../renderer/src/transport/bridge';
import { buildCompanionApi, commandNames } from '../../preload/contract';
import { CompanionStore } from '../../renderer/src/lib/store.svelte';
import { defaultSettings, info, signedIn, workstation } from './fakeCompanion';
import type { LinkStatus } from '../../renderer/src/transport/link';

/** A WebSocket the test drives: it opens, answers and closes when told to. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static all: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  drop() {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.();
  }
  reply(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  static latest() {
    return FakeSocket.all.at(-1)!;
  }
}

function bridge() {
  FakeSocket.all = [];
  return new BridgeTransport('ws://127.0.0.1:1234/bridge?token=t', {
    WebSocket: FakeSocket as unknown as typeof WebSocket,
    baseDelayMs: 1000,
    random: () => 0.5,
  });
}

afterEach(() => vi.useRealTimers());

describe('Bridge transport', () => {
  it('derives the bridge address from the page address and its token', () => {
    expect(bridgeUrlFor({ protocol: 'http:', host: '127.0.0.1:4567', search: '?token=a%2Bb' })).toBe(
      'ws://127.0.0.1:4567/bridge?token=a%2Bb',
    );
    expect(bridgeUrlFor({ protocol: 'http:', host: '127.0.0.1:4567', search: '' })).toBeNull();
  });

  it('sends JSON-RPC 2.0 requests and turns results and errors into Result values', async () => {
    const transport = bridge();
    const socket = FakeSocket.latest();
    socket.open();
    const api = buildCompanionApi(commandNames, transport);
    const logIn = api.station.logIn({ kind: 'workstation', workstation: '7001' });
    expect(socket.sent[0]).toEqual({ jsonrpc: '2.0', id: 1, method: 'station.logIn', params: { kind: 'workstation', workstation: '7001' } });
    socket.reply({ jsonrpc: '2.0', id: 1, result: workstation });
    expect(await logIn).toEqual({ ok: true, value: workstation });

    const record = api.followMe.record();
    expect(socket.sent[1]).toEqual({ jsonrpc: '2.0', id: 2, method: 'followMe.record' });
    const error = { kind: 'noStation', message: 'Log in to a station first.' };
    socket.reply({ jsonrpc: '2.0', id: 2, error: { code: -32000, message: 'x', data: error } });
    expect(await record).toEqual({ ok: false, error });

    const bad = api.app.info();
    socket.reply({ jsonrpc: '2.0', id: 3, error: { code: -32601, message: 'Method not found' } });
    expect(await bad).toEqual({ ok: false, error: { kind: 'internal', message: 'Method not found' } });
    transport.close();
  });

  it('delivers notifications to listeners', () => {
    const transport = bridge();
    FakeSocket.latest().open();
    const seen: unknown[] = [];
    const off = transport.on('state.changed', (state) => seen.push(state.connection.status));
    FakeSocket.latest().reply({ jsonrpc: '2.0', method: 'state.changed', params: signedIn() });
    off();
    FakeSocket.latest().reply({ jsonrpc: '2.0', method: 'state.changed', params: signedIn() });
    expect(seen).toEqual(['connected']);
    transport.close();
  });

  it('fails fast while disconnected, fails calls in flight when the socket drops, and reconnects with backoff', async () => {
    vi.useFakeTimers();
    const transport = bridge();
    const statuses: LinkStatus['state'][] = [];
    transport.onStatus((status) => statuses.push(status.state));
    expect(await transport.call('state.get', undefined)).toEqual({ ok: false, error: NOT_REACHABLE });

    FakeSocket.latest().open();
    const inFlight = transport.call('state.get', undefined);
    FakeSocket.latest().drop();
    expect(await inFlight).toEqual({ ok: false, error: NOT_REACHABLE });
    expect(transport.status.state).toBe('waiting');
    expect(FakeSocket.all).toHaveLength(1);

    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.latest().drop();
    // Second failure waits longer: 2 s base, jittered to between 1 s and 2 s; with random 0.5, 1.5 s.
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(500);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.latest().open();
    expect(statuses).toEqual(['open', 'waiting', 'connecting', 'waiting', 'connecting', 'open']);
    transport.close();
  });

  it('the store re-reads state.get when the bridge comes back', async () => {
    const transport = bridge();
    const store = new CompanionStore(buildCompanionApi(commandNames, transport), transport);
    store.start();
    const answer = (station: typeof workstation | null) => {
      const socket = FakeSocket.latest();
      for (const request of socket.sent.splice(0)) {
        const result =
          request.method === 'state.get' ? signedIn({ station }) : request.method === 'settings.get' ? defaultSettings() : info;
        socket.reply({ jsonrpc: '2.0', id: request.id, result });
      }
    };
    FakeSocket.latest().open();
    answer(null);
    await vi.waitFor(() => expect(store.ready).toBe(true));
    expect(store.state.station).toBeNull();

    FakeSocket.latest().drop();
    expect(store.link.state).toBe('waiting');
    await vi.waitFor(() => expect(FakeSocket.all).toHaveLength(2), { timeout: 3000 });
    FakeSocket.latest().open();
    expect(FakeSocket.latest().sent.map((r) => r.method)).toEqual(['state.get', 'settings.get', 'app.info']);
    answer(workstation);
    await vi.waitFor(() => expect(store.state.station?.extension).toBe('7001'));
    transport.close();
    store.stop();
  });
});
