import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

/** `npm run host` as a newcomer runs it: a real process, its two announced lines, the UI page and the bridge. */
let child: ChildProcess;
let dataDir: string;
let lines: string[];

beforeAll(async () => {
  if (!existsSync('out/renderer/index.html')) {
    const { build } = await import('vite');
    await build({ configFile: 'renderer/vite.config.ts', logLevel: 'error' });
  }
  dataDir = await mkdtemp(join(tmpdir(), 'companion-host-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'main/host/cli.ts', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reader = createInterface({ input: child.stdout! });
  lines = await new Promise<string[]>((resolve, reject) => {
    const seen: string[] = [];
    reader.on('line', (line) => {
      seen.push(line);
      if (seen.length === 2) resolve(seen);
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
  });
}, 60_000);

afterAll(async () => {
  child?.kill('SIGTERM');
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run host', () => {
  it('prints the UI and bridge addresses first, with one token', () => {
    expect(lines[0]).toMatch(/^ui: http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+$/);
    const token = lines[0]!.split('token=')[1];
    const port = lines[0]!.match(/:(\d+)\//)![1];
    expect(lines[1]).toBe(`bridge: ws://127.0.0.1:${port}/bridge?token=${token}`);
  });

  it('serves the app shell', async () => {
    const response = await fetch(lines[0]!.slice('ui: '.length));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>ICWS Companion</title>');
  });

  it('answers the contract over the bridge, signed out when nothing is configured', async () => {
    const socket = new WebSocket(lines[1]!.slice('bridge: '.length));
    const messages: Record<string, unknown>[] = [];
    socket.on('message', (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'state.get' }));
    await expect.poll(() => messages.length).toBe(2);
    // Every connection starts with the whole state, then the answer.
    expect(messages[0]).toMatchObject({ method: 'state.changed', params: { snapshot: true, slices: { connection: { status: 'signedOut' } } } });
    expect(messages[1]).toMatchObject({ id: 1, result: { connection: { status: 'signedOut' }, station: null, revision: expect.any(Number) } });
    socket.close();
  });

  it('offers the demo when nothing is configured, and "Try the demo" signs in to the built-in simulator', async () => {
    const socket = new WebSocket(lines[1]!.slice('bridge: '.length));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const call = (id: number, method: string) =>
      new Promise<{ result?: Record<string, unknown> }>((resolve) => {
        const onMessage = (data: Buffer) => {
          const message = JSON.parse(data.toString());
          if (message.id !== id) return;
          socket.off('message', onMessage);
          resolve(message);
        };
        socket.on('message', onMessage);
        socket.send(JSON.stringify({ jsonrpc: '2.0', id, method }));
      });
    expect((await call(1, 'app.info')).result).toMatchObject({ name: 'ICWS Companion', runtime: 'node', demoAvailable: true });
    expect((await call(2, 'session.startDemo')).result).toMatchObject({ status: 'connected', userId: 'agent1', demo: true });
    expect((await call(3, 'state.get')).result).toMatchObject({ connection: { displayName: 'Agent One', messaging: 'sse' } });
    expect((await call(4, 'session.signOut')).result).toBeNull();
    socket.close();
  });

  it('keeps the server given with --server for the sign-in form, and refuses one that is not an address', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'companion-host-server-'));
    const host = spawn(process.execPath, ['--import', 'tsx', 'main/host/cli.ts', '--port', '0', '--data-dir', folder, '--server', 'cic1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const bridge = await new Promise<string>((resolve, reject) => {
      createInterface({ input: host.stdout! }).on('line', (line) => line.startsWith('bridge: ') && resolve(line.slice('bridge: '.length)));
      host.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
    });
    const socket = new WebSocket(bridge);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    // The first message of a connection is the state's snapshot: wait for the answer itself.
    const reply = new Promise<unknown>((resolve) =>
      socket.on('message', (data) => {
        const message = JSON.parse(data.toString());
        if (message.id === 1) resolve(message);
      }),
    );
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'settings.get' }));
    expect(await reply).toMatchObject({ result: { server: 'https://cic1:8019' } });
    socket.close();
    host.kill('SIGTERM');
    await rm(folder, { recursive: true, force: true });

    const bad = spawn(process.execPath, ['--import', 'tsx', 'main/host/cli.ts', '--port', '0', '--data-dir', folder, '--server', 'cic 1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    bad.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise((resolve) => bad.once('exit', resolve))).toBe(1);
    expect(stderr).toContain('The companion could not start: The server address cannot contain spaces.');
    await rm(folder, { recursive: true, force: true });
  });

  it('refuses bad options with a clear message and exit code 2', async () => {
    const bad = spawn(process.execPath, ['--import', 'tsx', 'main/host/cli.ts', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    bad.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => bad.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('--port must be a number from 0 to 65535, not "eighty".');
  });

  it('honours --policy FILE over the bridge: locked settings refused, the demo withheld, the state says why', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'companion-host-policy-'));
    const policyFile = join(folder, 'policy.json');
    await writeFile(
      policyFile,
      JSON.stringify({
        reason: 'Set by IT.',
        server: { addresses: ['https://cic1:8019'] },
        allowRememberPassword: false,
        offerDemo: false,
        hotkeys: { editable: false },
        notifications: true,
        startAtLogin: true,
        certificates: { agentMayPin: false },
        logLevel: 'warn',
      }),
    );
    const host = spawn(process.execPath, ['--import', 'tsx', 'main/host/cli.ts', '--port', '0', '--data-dir', join(folder, 'data'), '--policy', policyFile, '--demo'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    host.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const bridge = await new Promise<string>((resolve, reject) => {
      createInterface({ input: host.stdout! }).on('line', (line) => line.startsWith('bridge: ') && resolve(line.slice('bridge: '.length)));
      host.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
    });
    const socket = new WebSocket(bridge);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    let id = 0;
    const call = (method: string, params?: unknown) =>
      new Promise<{ result?: Record<string, unknown>; error?: { message: string; data?: { kind: string } } }>((resolve) => {
        const mine = ++id;
        const onMessage = (data: Buffer) => {
          const message = JSON.parse(data.toString());
          if (message.id !== mine) return;
          socket.off('message', onMessage);
          resolve(message);
        };
        socket.on('message', onMessage);
        socket.send(JSON.stringify({ jsonrpc: '2.0', id: mine, method, ...(params ? { params } : {}) }));
      });

    expect((await call('state.get')).result).toMatchObject({
      connection: { status: 'signedOut' },
      policy: { file: policyFile, serverLocked: true, demoOffered: false, rememberPasswordAllowed: false, agentMayPin: false },
    });
    expect(stderr).toContain('The demo could not start: Your administrator turned the demo off on this computer. Set by IT.');
    // The administrator's log level: the info line saying a policy is in force is not written.
    expect(stderr).not.toContain('machine-wide policy in force');
    expect(stderr).not.toMatch(/ INFO /);
    expect((await call('app.info')).result).toMatchObject({ demoAvailable: false });
    expect((await call('settings.get')).result).toMatchObject({ server: 'https://cic1:8019', startAtLogin: true });
    const refused = [
      await call('settings.update', { hotkeys: { stopPlayback: null } }),
      await call('settings.update', { notifications: { voicemail: false } }),
      await call('settings.update', { startAtLogin: false }),
      await call('session.startDemo'),
      await call('certificates.pin', { host: 'cic1:8019', fingerprint256: 'AB'.repeat(32) }),
      await call('session.signIn', { server: 'https://cic2:8019', userId: 'agent1', password: 'x' }),
      await call('session.signIn', { server: 'https://cic1:8019', userId: 'agent1', password: 'x', remember: true }),
    ];
    for (const reply of refused) expect(reply.error?.message).toMatch(/^Your administrator .* Set by IT\.$/);
    expect((await call('settings.get')).result).toMatchObject({ hotkeys: { stopPlayback: 'CommandOrControl+Shift+F9' }, notifications: { voicemail: true } });
    socket.close();
    host.kill('SIGTERM');
    await new Promise((resolve) => host.once('exit', resolve));

    const missing = spawn(process.execPath, ['--import', 'tsx', 'main/host/cli.ts', '--port', '0', '--policy', join(folder, 'nope.json')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let missingError = '';
    missing.stderr!.on('data', (chunk: Buffer) => (missingError += chunk.toString()));
    expect(await new Promise((resolve) => missing.once('exit', resolve))).toBe(2);
    expect(missingError).toContain(`The policy file ${join(folder, 'nope.json')} does not exist.`);
    await rm(folder, { recursive: true, force: true });
  });
});
