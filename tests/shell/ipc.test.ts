import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { commandNames, initialState, type CommandHandlers, type Result } from '../../preload/contract';
import { EventHub } from '../../main/common/eventHub';
import { createDispatcher } from '../../main/transports/dispatcher';
import { checkSender, commandChannel, EVENT_CHANNEL, forwardEvents, registerCommandIpc } from '../../main/shell/ipc';
import { APP_ORIGIN } from '../../main/shell/origin';
import { jsonSize, MainSide, MirrorClient } from '../unit/transports/stateScenario';
import { FakeIpcMain, FakeWebContents, ipcEvent, recordingLogger } from './fakes';

// The preload imports `electron`; here it gets fakes, and the test checks what the page would be given.
const exposed = vi.hoisted(() => ({ api: null as unknown }));
const fakeIpcRenderer = vi.hoisted(() => ({ current: null as unknown }));
vi.mock('electron', () => {
  const listeners = new Map<string, Set<(...args: unknown[]) => void>>();
  const ipcRenderer = {
    invocations: [] as unknown[][],
    invoke: async (channel: string, ...args: unknown[]) => {
      ipcRenderer.invocations.push([channel, ...args]);
      return { ok: true, value: { channel, args } };
    },
    on: (channel: string, listener: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(listener);
    },
    removeListener: (channel: string, listener: (...args: unknown[]) => void) => listeners.get(channel)?.delete(listener),
    emit: (channel: string, ...args: unknown[]) => [...(listeners.get(channel) ?? [])].forEach((l) => l(...args)),
    count: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
  fakeIpcRenderer.current = ipcRenderer;
  return {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => key === 'companion' && (exposed.api = api) },
    ipcRenderer,
  };
});

function handlers(calls: { name: string; params: unknown }[]): CommandHandlers {
  return new Proxy({} as CommandHandlers, {
    get: (_t, name: string) => async (params: unknown) => {
      calls.push({ name, params });
      return { ok: true, value: `handled ${name}` };
    },
  });
}

describe('checkSender (VS Code validatedIpcMain rule)', () => {
  const policy = { origin: APP_ORIGIN, isOwnWebContents: (id: number) => id === 7 };

  it('accepts our window main frame on app://companion', () => {
    expect(checkSender(ipcEvent(7, 'app://companion/index.html'), policy)).toEqual({ ok: true });
  });
  it('refuses a subframe, even on our origin', () => {
    expect(checkSender(ipcEvent(7, 'app://companion/frame.html', { url: 'app://companion/' }), policy)).toMatchObject({ ok: false, reason: expect.stringMatching(/subframe/) });
  });
  it('refuses another origin in our window', () => {
    expect(checkSender(ipcEvent(7, 'https://evil.example/'), policy)).toMatchObject({ ok: false, reason: expect.stringMatching(/origin/) });
    expect(checkSender(ipcEvent(7, 'app://other/index.html'), policy).ok).toBe(false);
    expect(checkSender(ipcEvent(7, 'file:///C:/index.html'), policy).ok).toBe(false);
  });
  it('refuses a foreign webContents and a frame that is gone', () => {
    expect(checkSender(ipcEvent(8, 'app://companion/index.html'), policy)).toMatchObject({ ok: false, reason: expect.stringMatching(/not the companion window/) });
    expect(checkSender(ipcEvent(7, null), policy)).toMatchObject({ ok: false, reason: expect.stringMatching(/gone/) });
  });
  it('accepts the dev server origin when that is the policy', () => {
    const dev = { origin: 'http://localhost:5173', isOwnWebContents: () => true };
    expect(checkSender(ipcEvent(1, 'http://localhost:5173/'), dev).ok).toBe(true);
    expect(checkSender(ipcEvent(1, 'http://localhost:5174/'), dev).ok).toBe(false);
  });
});

describe('registerCommandIpc', () => {
  let ipcMain: FakeIpcMain;
  let calls: { name: string; params: unknown }[];
  let records: ReturnType<typeof recordingLogger>['records'];
  const ours = 42;

  beforeEach(() => {
    ipcMain = new FakeIpcMain();
    calls = [];
    const logger = recordingLogger();
    records = logger.records;
    registerCommandIpc({
      ipcMain,
      dispatch: createDispatcher(handlers(calls), logger.log),
      origin: APP_ORIGIN,
      isOwnWebContents: (id) => id === ours,
      log: logger.log,
    });
  });

  it('registers one channel per command of the contract', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual(commandNames.map((n) => `companion:${n}`).sort());
  });

  it('dispatches a valid payload from our main frame', async () => {
    const result = await ipcMain.invoke(commandChannel('station.logIn'), ipcEvent(ours, 'app://companion/index.html'), { kind: 'workstation', workstation: ' 7001 ' });
    expect(result).toEqual({ ok: true, value: 'handled station.logIn' });
    expect(calls).toEqual([{ name: 'station.logIn', params: { kind: 'workstation', workstation: '7001' } }]);
  });

  it('answers a bad payload with invalidInput, without reaching the handler', async () => {
    const result = (await ipcMain.invoke(commandChannel('station.logIn'), ipcEvent(ours, 'app://companion/'), { kind: 'teleport' })) as Result<unknown>;
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.kind).toBe('invalidInput');
    const extra = (await ipcMain.invoke(commandChannel('voicemail.stop'), ipcEvent(ours, 'app://companion/'), {}, 'second')) as Result<unknown>;
    expect(!extra.ok && extra.error.kind).toBe('invalidInput');
    expect(calls).toEqual([]);
  });

  it.each([
    ['a subframe', ipcEvent(ours, 'app://companion/x.html', {})],
    ['a foreign origin', ipcEvent(ours, 'https://evil.example/')],
    ['a foreign webContents', ipcEvent(99, 'app://companion/index.html')],
    ['a destroyed frame', ipcEvent(ours, null)],
  ])('refuses %s with a refused Result and logs it', async (_what, event) => {
    const result = (await ipcMain.invoke(commandChannel('followMe.record'), event)) as Result<unknown>;
    expect(result).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(calls).toEqual([]);
    expect(records.some((r) => r.message === 'ipc message refused')).toBe(true);
  });

  it('never throws even when the sender frame is unreadable', async () => {
    const event = { sender: { id: ours }, get senderFrame(): never { throw new Error('Render frame was disposed'); } };
    await expect(ipcMain.invoke(commandChannel('state.get'), event)).resolves.toMatchObject({ ok: false, error: { kind: 'refused' } });
  });
});

describe('forwardEvents', () => {
  it('sends state.changed and settings.changed on companion:event, skipping destroyed targets', () => {
    const hub = new EventHub();
    const live = new FakeWebContents();
    const dead = new FakeWebContents();
    dead.destroyed = true;
    const off = forwardEvents(hub, () => [live, dead]);
    const change = { revision: 1, slices: { followMe: initialState().followMe } };
    hub.emit('state.changed', change);
    expect(live.sent).toEqual([[EVENT_CHANNEL, 'state.changed', change]]);
    expect(dead.sent).toEqual([]);
    off();
    hub.emit('state.changed', change);
    expect(live.sent).toHaveLength(1);
  });
});

describe('preload', () => {
  it('exposes window.companion built from the contract, invoking one channel per command', async () => {
    const preload = await import('../../preload/index');
    const ipc = fakeIpcRenderer.current as { invocations: unknown[][] };
    const api = exposed.api as Record<string, Record<string, (p?: unknown) => Promise<unknown>>>;
    expect(preload.EVENT_CHANNEL).toBe(EVENT_CHANNEL);
    expect(preload.COMMAND_CHANNEL_PREFIX).toBe('companion:');
    expect(Object.keys(api).sort()).toEqual([...new Set(commandNames.map((n) => n.split('.')[0]!)), 'on'].sort());
    await api.station!.logIn!({ kind: 'workstation', workstation: '7001' });
    await api.state!.get!();
    expect(ipc.invocations).toEqual([['companion:station.logIn', { kind: 'workstation', workstation: '7001' }], ['companion:state.get']]);
  });

  it('hands listeners only the payload, never the IPC event, and unsubscribes', async () => {
    await import('../../preload/index');
    const ipc = fakeIpcRenderer.current as { emit: (c: string, ...a: unknown[]) => void; count: (c: string) => number };
    const api = exposed.api as { on: (e: string, l: (...args: unknown[]) => void) => () => void };
    const received: unknown[][] = [];
    const before = ipc.count(EVENT_CHANNEL);
    const off = api.on('state.changed', (...args) => received.push(args));
    const ipcEventObject = { sender: 'ipcRenderer itself', ports: [] };
    ipc.emit(EVENT_CHANNEL, ipcEventObject, 'settings.changed', { other: true });
    ipc.emit(EVENT_CHANNEL, ipcEventObject, 'state.changed', { status: 'x' });
    expect(received).toEqual([[{ status: 'x' }]]);
    off();
    off();
    expect(ipc.count(EVENT_CHANNEL)).toBe(before);
    ipc.emit(EVENT_CHANNEL, ipcEventObject, 'state.changed', { status: 'y' });
    expect(received).toHaveLength(1);
  });

  it('turns a rejected invoke into an error value', async () => {
    const { createIpcTransport } = await import('../../preload/index');
    const transport = createIpcTransport({
      invoke: async () => {
        throw new Error("No handler registered for 'companion:state.get'");
      },
      on: () => {},
      removeListener: () => {},
    });
    await expect(transport.call('state.get', undefined)).resolves.toMatchObject({ ok: false, error: { kind: 'unavailable' } });
  });

  it('is wired end to end: preload transport → ipcMain handler → dispatcher', async () => {
    const { createIpcTransport } = await import('../../preload/index');
    const ipcMain = new FakeIpcMain();
    const calls: { name: string; params: unknown }[] = [];
    const { log } = recordingLogger();
    registerCommandIpc({ ipcMain, dispatch: createDispatcher(handlers(calls), log), origin: APP_ORIGIN, isOwnWebContents: () => true, log });
    const renderer = new EventEmitter();
    const transport = createIpcTransport({
      invoke: (channel, ...args) => ipcMain.invoke(channel, ipcEvent(1, 'app://companion/index.html'), ...args),
      on: (c, l) => renderer.on(c, l),
      removeListener: (c, l) => renderer.off(c, l),
    });
    await expect(transport.call('voicemail.stop', undefined)).resolves.toEqual({ ok: true, value: 'handled voicemail.stop' });
    await expect(transport.call('voicemail.play', { id: '' } as never)).resolves.toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
  });
});

describe('state by slice over IPC', () => {
  /** Main side → forwardEvents → a window's webContents → the preload's IPC transport → a client mirror. */
  async function wire(drop: (index: number) => boolean = () => false) {
    const { createIpcTransport } = await import('../../preload/index');
    const main = new MainSide();
    const ipcMain = new FakeIpcMain();
    const { log } = recordingLogger();
    registerCommandIpc({ ipcMain, dispatch: main.dispatch, origin: APP_ORIGIN, isOwnWebContents: () => true, log });
    const renderer = new EventEmitter();
    let sent = 0;
    const window = new FakeWebContents();
    // What Electron does with webContents.send: a structured copy of the payload, handed to the page's listeners.
    window.send = (channel: string, ...args: unknown[]) => {
      if (!drop(sent++)) renderer.emit(channel, {}, ...structuredClone(args));
    };
    forwardEvents(main.events, () => [window]);
    const transport = createIpcTransport({
      invoke: (channel, ...args) => ipcMain.invoke(channel, ipcEvent(1, 'app://companion/index.html'), ...args),
      on: (c, l) => renderer.on(c, l),
      removeListener: (c, l) => renderer.off(c, l),
    });
    return { main, client: new MirrorClient(transport) };
  }

  it('carries only the slices that changed, and a mailbox delta instead of the mailbox', async () => {
    const { main, client } = await wire();
    await client.sync();
    main.run(2000);
    expect(client.changes.map((change) => change.revision)).toEqual([1, 2, 3, 4]);
    expect(client.changes.map((change) => Object.keys(change.slices))).toEqual([['voicemail'], ['station'], ['voicemail'], ['voicemail']]);
    expect(client.changes[0]!.slices.voicemail?.messages).toHaveLength(2000);
    for (const delta of client.changes.slice(2)) {
      expect(delta.slices.voicemail).not.toHaveProperty('messages');
      expect(jsonSize(delta)).toBeLessThan(500);
    }
    expect(client.changes[3]!.mailbox).toEqual({ upserted: [expect.objectContaining({ id: 'vm-02000' })], removed: ['vm-00003'] });
    expect(client.mirror.state).toEqual(main.store.value);
    expect(client.mirror.revision).toBe(4);
  });

  it('a window that missed a change asks for a snapshot and ends with the same state', async () => {
    const { main, client } = await wire((index) => index === 2);
    await client.sync();
    main.run(50);
    await client.settled();
    expect(client.snapshotsAsked).toBe(1);
    expect(client.mirror.state).toEqual(main.store.value);
    expect(client.mirror.revision).toBe(4);
  });
});
