import type { HotkeyAction, HotkeyStatus } from '../../preload/contract';
import { Companion } from '../core/companion';

/**
 * How the shell reports global-shortcut registration into `PublicState.hotkeys`. The state belongs to the core; until
 * the core has its own hook (see docs/DESKTOP.md, "Needed from the core"), the desktop app runs this thin subclass, whose
 * only addition goes through the core's single `update` path, so `state.changed` is emitted as for any other change.
 * When the core gains `setHotkeyStatus`, `noImplicitOverride` flags this method and the subclass can go.
 */
export interface HotkeyStatusSink {
  setHotkeyStatus(action: HotkeyAction, status: HotkeyStatus): void;
}

export class DesktopCompanion extends Companion implements HotkeyStatusSink {
  setHotkeyStatus(action: HotkeyAction, status: HotkeyStatus): void {
    const current = this.publicState.hotkeys[action];
    if (current.accelerator === status.accelerator && current.registered === status.registered && current.error === status.error) return;
    this.update({ hotkeys: { ...this.publicState.hotkeys, [action]: { ...status } } });
  }
}
