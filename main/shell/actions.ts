import { ACTION_NAMES, fail, type AgentAction, type PublicState, type Result } from '../../preload/contract';
import type { Logger } from '../common/log';
import { dispatcherApi, type Dispatch } from '../transports/dispatcher';
import { actionFailureNotification, type CompanionNotification } from './notifications';

/**
 * The actions the tray, the global hotkeys and the command line (`--stop-playback`…, see commandLine.ts) start. Each
 * goes through the dispatcher (the same path as the window and the bridge) by the same typed API as the window; a
 * failure becomes a notification, since the window may be hidden. A hotkey or a command pressed while signed out or
 * without a station is answered by a notification saying why, always (the agent just pressed it).
 */
type ActionSource = 'tray' | 'hotkey' | 'commandLine';
type StationAction = 'recordFollowMe' | 'stopPlayback';

export interface ShellActionsOptions {
  dispatch: Dispatch;
  state: () => PublicState;
  notify: (notification: CompanionNotification, options?: { force?: boolean }) => void;
  log: Logger;
}

export type ShellActions = Record<AgentAction, (source: ActionSource) => Promise<boolean>>;

export function createShellActions(options: ShellActionsOptions): ShellActions {
  const api = dispatcherApi(options.dispatch);
  const run = async (action: AgentAction, command: string, send: () => Promise<Result<unknown>>): Promise<boolean> => {
    let result: Result<unknown>;
    try {
      result = await send();
    } catch (error) {
      // The dispatcher never throws; this is belt and braces so a tray click can never crash the main process.
      options.log.error('shell action threw', { command, error });
      result = fail('internal', 'Something went wrong in the companion. The details are in its log.');
    }
    if (!result.ok) {
      options.log.info('shell action failed', { command, kind: result.error.kind });
      options.notify(actionFailureNotification(ACTION_NAMES[action].label, result.error));
      return false;
    }
    return true;
  };

  /** Why a station action cannot run now, in words; null when it can. */
  const blocked = (): string | null => {
    const state = options.state();
    if (state.connection.status === 'signedOut' || state.connection.status === 'failed') return 'You are signed out. Open the companion and sign in first.';
    if (state.connection.status !== 'connected') return 'The companion is still connecting to CIC. Try again in a moment.';
    if (!state.station) return 'You are not logged in to a station. Open the companion and log in to one first.';
    return null;
  };

  const stationAction = (action: StationAction, command: string, send: () => Promise<Result<unknown>>) => async (source: ActionSource) => {
    const why = blocked();
    if (why) {
      options.notify(
        { category: 'actionFailures', title: `${ACTION_NAMES[action].label}: nothing done`, body: why },
        { force: source !== 'tray' },
      );
      return false;
    }
    return run(action, command, send);
  };

  return {
    recordFollowMe: stationAction('recordFollowMe', 'followMe.record', () => api.followMe.record()),
    stopPlayback: stationAction('stopPlayback', 'voicemail.stop', () => api.voicemail.stop()),
    markForFinishing: () => run('markForFinishing', 'dialer.markForFinishing', () => api.dialer.markForFinishing({})),
    signOut: () => run('signOut', 'session.signOut', () => api.session.signOut()),
  };
}
