import type { HotkeyAction } from '../../preload/contract';
import { desktopExec } from './startup';

/**
 * Command-line actions: `icws-companion --stop-playback` (and the others) reach the running companion through the
 * single-instance lock's `second-instance` event and run the same typed action as the tray and the hotkeys. Agents and
 * IT bind them in the desktop's keyboard settings where global hotkeys cannot work (Wayland), and other tools can run
 * them. The flag also travels as the lock's `additionalData`, which survives what Chromium does to the command line.
 */
export type CommandLineAction = HotkeyAction | 'markForFinishing';

const COMMAND_LINE_FLAGS: Readonly<Record<string, CommandLineAction>> = {
  '--stop-playback': 'stopPlayback',
  '--record-follow-me': 'recordFollowMe',
  '--mark-for-finishing': 'markForFinishing',
};

const FLAG_OF: Record<CommandLineAction, string> = Object.fromEntries(Object.entries(COMMAND_LINE_FLAGS).map(([flag, action]) => [action, flag])) as Record<
  CommandLineAction,
  string
>;

const ACTIONS = new Set<string>(Object.values(COMMAND_LINE_FLAGS));

/** The action a command line asks for (the first flag, when several are given), or null. */
export function commandLineAction(argv: readonly string[]): CommandLineAction | null {
  for (const arg of argv) {
    const action = COMMAND_LINE_FLAGS[arg];
    if (action) return action;
  }
  return null;
}

/** What the second instance hands the first through `requestSingleInstanceLock(additionalData)`. */
export interface InstanceMessage {
  action: CommandLineAction | null;
}

/**
 * The action a second instance asks for: its `additionalData` when it is one of ours (any other process sharing the
 * lock could send anything), else its argv.
 */
export function secondInstanceAction(argv: readonly string[], additionalData: unknown): CommandLineAction | null {
  if (additionalData && typeof additionalData === 'object' && 'action' in additionalData) {
    const action = (additionalData as { action: unknown }).action;
    if (typeof action === 'string' && ACTIONS.has(action)) return action as CommandLineAction;
  }
  return commandLineAction(argv);
}

/**
 * The command to bind for an action, as the desktop's keyboard settings take it: the installed launcher
 * (`icws-companion`, on the PATH from the .deb) when packaged, else this executable and the app folder (a development
 * run), quoted as a .desktop `Exec=` line is.
 */
export function actionCommand(action: CommandLineAction, launch: { packaged: boolean; execPath: string; appPath: string; onPath?: string }): string {
  const program = launch.packaged ? (launch.onPath ?? desktopExec(launch.execPath)) : `${desktopExec(launch.execPath)} ${desktopExec(launch.appPath)}`;
  return `${program} ${FLAG_OF[action]}`;
}
