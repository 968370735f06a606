import type { HotkeyAction, HotkeyStatus } from '../../preload/contract';

/** How the shell reports global-shortcut registration into `PublicState.hotkeys` (the core's `setHotkeyStatus`). */
export interface HotkeyStatusSink {
  setHotkeyStatus(action: HotkeyAction, status: HotkeyStatus): void;
}
