import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalServer, type LocalServer } from '../../../main/bridge/localServer';
import { MAX_MESSAGE_BYTES } from '../../../main/bridge/bridgeServer';
import { EventHub } from '../../../main/common/eventHub';
import { silentLogger } from '../../../main/common/log';
import { createDispatcher } from '../../../main/transports/dispatcher';
import { initialState } from '../../../preload/contract';
import { echoHandlers } from './fakeHandlers';

let server: LocalServer;
let events: EventHub;
let rendererDir: string;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'companion-ui-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>ICWS Companion</title>');
  events = new EventHub();
  server = await startLocalServer({
    port: 0,
    rendererDir,
    dispatch: createDispatcher(echoHandlers(), silentLogger),
    events,
    log: silentLogger,
  });
});

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await server.close();
  await rm(rendererDir, { recursive: true, force: true });
});

function connect(url = server.bridgeUrl, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, origin ? { headers: { Origin: origin } } : {});
    sockets.push(socket);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => reject(new Error(`${response.statusCode} ${body}`)));
    });
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

async function rpc(socket: WebSocket, message: unknown): Promise<unknown> {
  const reply = nextMessage(socket);
  socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  return reply;
}

describe('the local server', () => {
  it('announces a UI address and a bridge address on loopback with the same random token', () => {
    expect(server.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    expect(server.bridgeUrl).toBe(`ws://127.0.0.1:${server.port}/bridge?token=${server.token}`);
  });

  it('serves the UI with a strict Content Security Policy', async () => {
    const response = await fetch(server.uiUrl);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('ICWS Companion');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('does not serve files outside the UI folder', async () => {
    const response = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2f..%2fetc%2fpasswd`);
    expect(response.status).toBe(404);
  });

  it('refuses requests for another host name (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: server.port, path: '/', headers: { Host: 'attacker.example:80' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(421);
  });
});

describe('the bridge refuses', () => {
  it('a missing or wrong token', async () => {
    await expect(connect(`ws://127.0.0.1:${server.port}/bridge`)).rejects.toThrow(/401.*token is missing or wrong/);
    await expect(connect(server.bridgeUrl.replace(/token=.*/, 'token=guess'))).rejects.toThrow(/401/);
  });

  it('a browser page from a foreign origin', async () => {
    await expect(connect(server.bridgeUrl, 'https://evil.example')).rejects.toThrow(/403.*other sites/);
    await expect(connect(server.bridgeUrl, 'http://127.0.0.1:1')).rejects.toThrow(/403/);
  });

  it('an upgrade whose Host is not the loopback address (DNS rebinding)', async () => {
    const refused = new Promise<string>((resolve, reject) => {
      const socket = new WebSocket(server.bridgeUrl, { headers: { Host: `attacker.example:${server.port}` } });
      sockets.push(socket);
      socket.once('open', () => reject(new Error('the upgrade was accepted')));
      socket.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(`${response.statusCode} ${body}`));
      });
      socket.once('error', reject);
    });
    expect(await refused).toMatch(/^421 .*loopback address/);
    await expect(connect(server.bridgeUrl.replace('127.0.0.1', 'localhost'))).resolves.toBeDefined();
  });

  it('another path', async () => {
    await expect(connect(server.bridgeUrl.replace('/bridge', '/other'))).rejects.toThrow(/404/);
  });

  it('malformed JSON, with a parse error', async () => {
    const socket = await connect();
    expect(await rpc(socket, '{"jsonrpc":')).toMatchObject({
      id: null,
      error: { code: -32700, data: { kind: 'invalidInput', message: 'The message is not valid JSON.' } },
    });
  });

  it('a message that is not JSON-RPC 2.0', async () => {
    const socket = await connect();
    expect(await rpc(socket, { id: 1, method: 'state.get' })).toMatchObject({ id: 1, error: { code: -32600 } });
    expect(await rpc(socket, [])).toMatchObject({ error: { code: -32600 } });
    expect(await rpc(socket, 42)).toMatchObject({ error: { code: -32600 } });
    expect(await rpc(socket, { jsonrpc: '2.0', id: 2, method: 'state.get', params: 'x' })).toMatchObject({
      id: 2,
      error: { code: -32600, message: 'The request params must be an object.' },
    });
  });

  it('an unknown method', async () => {
    const socket = await connect();
    expect(await rpc(socket, { jsonrpc: '2.0', id: 3, method: 'shell.exec', params: {} })).toMatchObject({
      id: 3,
      error: { code: -32601, data: { kind: 'invalidInput', message: 'The companion has no command named "shell.exec".' } },
    });
  });

  it('parameters that fail the contract, saying which', async () => {
    const socket = await connect();
    const reply = await rpc(socket, { jsonrpc: '2.0', id: 4, method: 'voicemail.markRead', params: { id: 'vm1' } });
    expect(reply).toMatchObject({ id: 4, error: { code: -32602, data: { kind: 'invalidInput' } } });
    expect((reply as { error: { message: string } }).error.message).toMatch(/read/);
    const extra = await rpc(socket, { jsonrpc: '2.0', id: 5, method: 'station.logOut', params: { force: true } });
    expect(extra).toMatchObject({ id: 5, error: { code: -32602, message: 'Unknown field: force.' } });
  });

  it('an oversized message, and keeps the connection', async () => {
    const socket = await connect();
    const big = JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'state.get', params: { pad: 'x'.repeat(MAX_MESSAGE_BYTES) } });
    expect(await rpc(socket, big)).toMatchObject({ error: { code: -32600, message: expect.stringContaining('too large') } });
    expect(await rpc(socket, { jsonrpc: '2.0', id: 7, method: 'app.info' })).toMatchObject({ id: 7, result: { command: 'app.info' } });
  });

  it('a huge message by closing the connection', async () => {
    const socket = await connect();
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
  });
});

describe('the bridge serves the contract', () => {
  it('answers a command with its validated parameters', async () => {
    const socket = await connect(server.bridgeUrl, `http://127.0.0.1:${server.port}`);
    const reply = await rpc(socket, {
      jsonrpc: '2.0',
      id: 'a',
      method: 'station.logIn',
      params: { kind: 'workstation', workstation: ' 7001 ' },
    });
    expect(reply).toEqual({
      jsonrpc: '2.0',
      id: 'a',
      result: { command: 'station.logIn', params: { kind: 'workstation', workstation: '7001' } },
    });
  });

  it('answers a batch, and nothing for notifications', async () => {
    const socket = await connect();
    const reply = await rpc(socket, [
      { jsonrpc: '2.0', id: 1, method: 'app.info' },
      { jsonrpc: '2.0', method: 'state.get' },
      { jsonrpc: '2.0', id: 2, method: 'nope' },
    ]);
    expect(reply).toMatchObject([{ id: 1, result: { command: 'app.info' } }, { id: 2, error: { code: -32601 } }]);
  });

  it('pushes state.changed as a notification to every client', async () => {
    const [first, second] = await Promise.all([connect(), connect()]);
    const pushed = Promise.all([nextMessage(first!), nextMessage(second!)]);
    const change = { revision: 1, slices: { station: null } };
    events.emit('state.changed', change);
    expect(await pushed).toEqual([
      { jsonrpc: '2.0', method: 'state.changed', params: change },
      { jsonrpc: '2.0', method: 'state.changed', params: change },
    ]);
  });

  it('stops pushing to a client that left', async () => {
    const socket = await connect();
    expect(server.bridge.clientCount()).toBe(1);
    socket.close();
    await new Promise((resolve) => socket.once('close', resolve));
    await expect.poll(() => server.bridge.clientCount()).toBe(0);
    events.emit('state.changed', { revision: 1, slices: initialState() });
  });
});
