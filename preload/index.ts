/**
 * The preload script: builds `window.companion` from the contract over IPC. Runs sandboxed, so it is bundled into one
 * CommonJS file with only `electron` left as a require.
 *
 * The page never gets `ipcRenderer` nor an IPC event object: each command is a function that invokes its own channel
 * (`companion:<command>`) and resolves to a `Result`; `on(event, listener)` calls the listener with the payload alone.
 */
import { contextBridge, ipcRenderer } from 'electron';
// The contract's plain modules only: the schemas (zod) stay on the main side, which validates every call.
import type { CompanionApi, CompanionTransport, EventName, EventPayloads, Result } from './contract';
import { buildCompanionApi } from './contract/api';
import { COMMAND_CHANNEL_PREFIX, EVENT_CHANNEL } from './contract/ipcChannels';
import { commandNames } from './contract/names';

export { COMMAND_CHANNEL_PREFIX, EVENT_CHANNEL };

/** The parts of Electron's `ipcRenderer` the preload uses. */
export interface IpcRendererPort {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface ContextBridgePort {
  exposeInMainWorld(key: string, api: unknown): void;
}

export function createIpcTransport(ipc: IpcRendererPort): CompanionTransport {
  return {
    async call(name, params) {
      try {
        const args = params === undefined ? [] : [params];
        return (await ipc.invoke(`${COMMAND_CHANNEL_PREFIX}${name}`, ...args)) as Result<never>;
      } catch {
        // Only when the main side has no handler (shutting down) or broke: errors travel as data, never as throws.
        return { ok: false, error: { kind: 'unavailable', message: 'The companion is not answering. Restart it if this persists.' } };
      }
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
      const relay = (_event: unknown, name: unknown, payload: unknown) => {
        if (name === event) listener(payload as EventPayloads[E]);
      };
      ipc.on(EVENT_CHANNEL, relay as (event: unknown, ...args: unknown[]) => void);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(EVENT_CHANNEL, relay as (event: unknown, ...args: unknown[]) => void);
      };
    },
  };
}

export function exposeCompanion(bridge: ContextBridgePort, ipc: IpcRendererPort): CompanionApi {
  const api = buildCompanionApi(commandNames, createIpcTransport(ipc));
  bridge.exposeInMainWorld('companion', api);
  return api;
}

exposeCompanion(contextBridge, ipcRenderer);
