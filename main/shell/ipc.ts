import {
  COMMAND_CHANNEL_PREFIX,
  commandNames,
  EVENT_CHANNEL,
  eventNames,
  type CompanionError,
  type EventName,
  type EventPayloads,
  type Result,
  type Unsubscribe,
} from '../../preload/contract';
import type { EventHub } from '../common/eventHub';
import type { Logger } from '../common/log';
import type { Dispatch } from '../transports/dispatcher';
import { originOf } from './origin';

/** One channel per command (`companion:station.logIn`) and one for every event. The preload uses the same names. */
export { EVENT_CHANNEL };

export function commandChannel(name: string): string {
  return `${COMMAND_CHANNEL_PREFIX}${name}`;
}

/** The parts of Electron's `WebFrameMain` the sender check reads. */
interface IpcSenderFrame {
  url: string;
  /** Null for a top-level frame. */
  parent: unknown;
}

/** The parts of Electron's `IpcMainInvokeEvent` the sender check reads. */
export interface IpcInvokeEventLike {
  sender: { id: number };
  /** Null when the frame navigated away or was destroyed before the message was handled. */
  senderFrame: IpcSenderFrame | null;
}

/** The parts of Electron's `ipcMain` this module uses. */
export interface IpcMainPort {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Anything that can receive the event channel: a window's `webContents`. */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface SenderPolicy {
  /** The one origin our renderer is served from: `app://companion`, or the dev server's origin. */
  origin: string;
  /** Ids of the webContents we created (the main window); messages from anything else are refused. */
  isOwnWebContents(id: number): boolean;
}

export type SenderCheck = { ok: true } | { ok: false; reason: string };

/**
 * VS Code's validatedIpcMain rule: only our own window's main frame, on our origin, may talk to the main side.
 * A subframe (even a same-origin one), another origin, a destroyed frame or a foreign webContents is refused.
 */
export function checkSender(event: IpcInvokeEventLike, policy: SenderPolicy): SenderCheck {
  const frame = event.senderFrame;
  if (!frame) return { ok: false, reason: 'the sending frame is gone' };
  if (!policy.isOwnWebContents(event.sender.id)) return { ok: false, reason: 'the sender is not the companion window' };
  if (frame.parent !== null && frame.parent !== undefined) return { ok: false, reason: 'the sender is a subframe' };
  const origin = originOf(frame.url);
  if (origin !== policy.origin.toLowerCase()) return { ok: false, reason: `the sender's origin ${origin ?? '(none)'} is not the app's` };
  return { ok: true };
}

const refused = (): Result<never> => ({
  ok: false,
  error: { kind: 'refused', message: 'This request did not come from the companion window, so it was refused.' } satisfies CompanionError,
});

const tooManyArguments = (): Result<never> => ({
  ok: false,
  error: { kind: 'invalidInput', message: 'A command takes one parameters object.' },
});

export interface CommandIpcOptions extends SenderPolicy {
  ipcMain: IpcMainPort;
  dispatch: Dispatch;
  log: Logger;
}

/**
 * Registers one `ipcMain.handle` per command of the contract. Each handler checks the sender, then hands the payload
 * to the dispatcher (which validates it against the contract's schema and never throws). Everything comes back as a
 * `Result`; nothing a page sends can crash the main process or reach a handler unchecked. Returns an unregister.
 */
export function registerCommandIpc(options: CommandIpcOptions): Unsubscribe {
  const { ipcMain, dispatch, log } = options;
  for (const name of commandNames) {
    const channel = commandChannel(name);
    ipcMain.handle(channel, async (event, ...args) => {
      let check: SenderCheck;
      try {
        check = checkSender(event, options);
      } catch (error) {
        check = { ok: false, reason: `the sender could not be checked (${(error as Error).message})` };
      }
      if (!check.ok) {
        log.warn('ipc message refused', { command: name, reason: check.reason });
        return refused();
      }
      if (args.length > 1) return tooManyArguments();
      return dispatch(name, args[0]);
    });
  }
  return () => {
    for (const name of commandNames) ipcMain.removeHandler(commandChannel(name));
  };
}

/**
 * Forwards the core's events to the windows on the single event channel as `(eventName, payload)`. The preload hands
 * listeners only the payload. Destroyed targets are skipped.
 */
export function forwardEvents(events: Pick<EventHub, 'on'>, targets: () => readonly EventTarget[]): Unsubscribe {
  const offs = eventNames.map((name: EventName) =>
    events.on(name, (payload: EventPayloads[typeof name]) => {
      for (const target of targets()) {
        if (!target.isDestroyed()) target.send(EVENT_CHANNEL, name, payload);
      }
    }),
  );
  return () => offs.forEach((off) => off());
}
