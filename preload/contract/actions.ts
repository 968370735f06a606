/**
 * The agent's one-keystroke actions and the kinds of notification, named once: the tray menu, the global hotkeys, the
 * command line, the settings panel, the notifications that report them and the core's sentences all take their names
 * from here. Plain data (no zod), so the renderer may import it.
 */
import type { HotkeyAction } from './state';

export interface ActionName {
  /** As a menu item or a heading: "Stop voicemail playback". */
  label: string;
  /** Inside a sentence: "the stop playback hotkey". */
  short: string;
}

export const ACTION_NAMES = {
  recordFollowMe: { label: 'Record follow-me prompt', short: 'record follow-me' },
  stopPlayback: { label: 'Stop voicemail playback', short: 'stop playback' },
  markForFinishing: { label: 'Mark Dialer call for finishing', short: 'mark for finishing' },
  signOut: { label: 'Sign out', short: 'sign out' },
} as const satisfies Record<HotkeyAction | string, ActionName>;

/** The actions the tray, the hotkeys and the command line start. */
export type AgentAction = keyof typeof ACTION_NAMES;

export const AGENT_ACTIONS = Object.keys(ACTION_NAMES) as AgentAction[];

/** The actions a global hotkey can be set for, in the order the settings panel shows them. */
export const HOTKEY_ACTIONS: readonly HotkeyAction[] = ['stopPlayback', 'recordFollowMe'];

/** The kinds of notification the agent can turn on and off (`settings.notifications`), in the panel's order. */
export type NotificationKind = 'station' | 'session' | 'voicemail' | 'actionFailures';

export const NOTIFICATION_NAMES = {
  station: { label: 'Station connected, changed or dropped', short: 'station' },
  session: { label: 'Connection to CIC lost and restored', short: 'connection' },
  voicemail: { label: 'A new voicemail arrived', short: 'voicemail' },
  actionFailures: { label: 'A hotkey or tray action failed', short: 'failed action' },
} as const satisfies Record<NotificationKind, ActionName>;

export const NOTIFICATION_KINDS = Object.keys(NOTIFICATION_NAMES) as NotificationKind[];
