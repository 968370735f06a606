import type { CommandName, PublicState, Result } from '../../preload/contract';
import type { Logger } from '../common/log';
import type { Dispatch } from '../transports/dispatcher';
import { actionFailureNotification, type CompanionNotification } from './notifications';

/**
 * The actions the tray, the global hotkeys and the command line (`--stop-playback`…, see commandLine.ts) start. Each
 * goes through the dispatcher (the same path as the window and the bridge); a failure becomes a notification, since the
 * window may be hidden. A hotkey or a command pressed while signed out or without a station is answered by a
 * notification saying why, always (the agent just pressed it).
 */
export type ActionSource = 'tray' | 'hotkey' | 'commandLine';
export type StationAction = 'recordFollowMe' | 'stopPlayback';

export interface ShellActionsOptions {
  dispatch: Dispatch;
  state: () => PublicState;
  notify: (notification: CompanionNotification, options?: { force?: boolean }) => void;
  log: Logger;
}

const LABELS: Record<StationAction | 'markForFinishing' | 'signOut', string> = {
  recordFollowMe: 'Record follow-me prompt',
  stopPlayback: 'Stop voicemail playback',
  markForFinishing: 'Mark Dialer call for finishing',
  signOut: 'Sign out',
};

export interface ShellActions {
  recordFollowMe(source: ActionSource): Promise<boolean>;
  stopPlayback(source: ActionSource): Promise<boolean>;
  markForFinishing(source: ActionSource): Promise<boolean>;
  signOut(source: ActionSource): Promise<boolean>;
}

export function createShellActions(options: ShellActionsOptions): ShellActions {
  const run = async (action: keyof typeof LABELS, command: CommandName, params: unknown): Promise<boolean> => {
    let result: Result<unknown>;
    try {
      result = await options.dispatch(command, params);
    } catch (error) {
      // The dispatcher never throws; this is belt and braces so a tray click can never crash the main process.
      options.log.error('shell action threw', { command, error });
      result = { ok: false, error: { kind: 'internal', message: 'Something went wrong in the companion. The details are in its log.' } };
    }
    if (!result.ok) {
      options.log.info('shell action failed', { command, kind: result.error.kind });
      options.notify(actionFailureNotification(LABELS[action], result.error));
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

  const stationAction = (action: StationAction, command: CommandName, params: unknown) => async (source: ActionSource) => {
    const why = blocked();
    if (why) {
      options.notify(
        { category: 'actionFailures', title: `${LABELS[action]}: nothing done`, body: why },
        { force: source !== 'tray' },
      );
      return false;
    }
    return run(action, command, params);
  };

  return {
    recordFollowMe: stationAction('recordFollowMe', 'followMe.record', undefined),
    stopPlayback: stationAction('stopPlayback', 'voicemail.stop', undefined),
    markForFinishing: () => run('markForFinishing', 'dialer.markForFinishing', {}),
    signOut: () => run('signOut', 'session.signOut', undefined),
  };
}
