import { ACTION_NAMES, HOTKEY_ACTIONS, type HotkeyAction, type HotkeyStatus, type Settings } from '../../preload/contract';
import type { Logger } from '../common/log';
import { validateAccelerator } from '../../preload/contract/accelerators';
import type { CompanionNotification } from './notifications';

/**
 * Global shortcuts for the two actions an agent needs without looking (Rocket.Chat's telephony shortcut service model):
 * each accelerator is validated (reserved and invalid ones refused with a reason), `register()`'s answer is checked
 * (false: another application has it), and every outcome is reported in the public state, failures also as a
 * notification. Re-applied on every settings change, touching only what changed; everything is unregistered on quit.
 */
/** The parts of Electron's `globalShortcut` used here. */
export interface GlobalShortcutPort {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

/**
 * Why global hotkeys cannot work in this session, or null when they can. Since Electron 38 the app runs as a native
 * Wayland client in a Wayland session; `globalShortcut` then goes through the XDG GlobalShortcuts portal, whose
 * `register()` answers true before the portal has bound anything (electron/electron#52218), and under GNOME 46 the
 * callback never fires (#48669). Forced onto XWayland (`--ozone-platform=x11`) it is no better: the X grab only sees
 * keys while an XWayland window has the focus. The app must not claim a hotkey it cannot deliver: the agent binds the
 * command-line action in the desktop's keyboard settings instead.
 */
export function globalHotkeysUnavailable(platform: string, env: Record<string, string | undefined>): string | null {
  if (platform !== 'linux') return null;
  const session = env.XDG_SESSION_TYPE?.toLowerCase();
  const wayland = session === 'wayland' || (session !== 'x11' && Boolean(env.WAYLAND_DISPLAY));
  if (!wayland) return null;
  return 'In a Wayland session the desktop decides global shortcuts, and it does not pass them to the companion. Add a custom shortcut in your desktop\'s keyboard settings that runs the command shown here.';
}

export interface HotkeyServiceOptions {
  globalShortcut: GlobalShortcutPort;
  platform: string;
  /** From `globalHotkeysUnavailable`: nothing is registered, each hotkey reports the desktop shortcut to bind instead. */
  unavailable?: { reason: string; command: (action: HotkeyAction) => string } | null;
  onPress: (action: HotkeyAction) => void;
  /** Into `PublicState.hotkeys` (see hotkeyStatus.ts). */
  report: (action: HotkeyAction, status: HotkeyStatus) => void;
  notify: (notification: CompanionNotification, options?: { force?: boolean }) => void;
  log: Logger;
}

export class HotkeyService {
  private readonly current = new Map<HotkeyAction, HotkeyStatus>();

  constructor(private readonly options: HotkeyServiceOptions) {}

  status(action: HotkeyAction): HotkeyStatus | undefined {
    return this.current.get(action);
  }

  apply(hotkeys: Settings['hotkeys']): void {
    const changed = HOTKEY_ACTIONS.filter((action) => {
      const now = this.current.get(action);
      return !now || now.accelerator !== (hotkeys[action] ?? null);
    });
    if (changed.length === 0) return;
    // Unregister first, so two actions can swap their hotkeys in one change.
    for (const action of changed) this.release(action);
    for (const action of changed) this.claim(action, hotkeys[action] ?? null);
  }

  /** On quit: every shortcut this service registered goes. */
  dispose(): void {
    for (const action of HOTKEY_ACTIONS) this.release(action);
    this.current.clear();
  }

  private release(action: HotkeyAction): void {
    const now = this.current.get(action);
    if (now?.registered && now.accelerator) {
      try {
        this.options.globalShortcut.unregister(now.accelerator);
      } catch (error) {
        this.options.log.warn('could not unregister a hotkey', { action, error });
      }
    }
    this.current.delete(action);
  }

  private claim(action: HotkeyAction, accelerator: string | null): void {
    if (accelerator === null) return this.set(action, { accelerator: null, registered: false });
    const unavailable = this.options.unavailable;
    if (unavailable) {
      // Said in Settings, not by a notification at every start: nothing the agent did failed.
      this.options.log.info('hotkey left to the desktop (Wayland)', { action, accelerator });
      return this.set(action, { accelerator, registered: false, error: unavailable.reason, desktopShortcut: unavailable.command(action) });
    }
    const check = validateAccelerator(accelerator, this.options.platform);
    if (!check.ok) return this.fail(action, accelerator, check.reason);
    const other = HOTKEY_ACTIONS.find((a) => a !== action && this.current.get(a)?.registered && this.current.get(a)?.accelerator === accelerator);
    if (other) return this.fail(action, accelerator, `${accelerator} is already the hotkey for ${ACTION_NAMES[other].label}.`);
    let registered: boolean;
    try {
      registered = this.options.globalShortcut.register(accelerator, () => this.options.onPress(action));
    } catch (error) {
      // Electron throws on an accelerator it cannot parse (one our validator let through).
      return this.fail(action, accelerator, `${accelerator} is not a hotkey this system accepts (${(error as Error).message}).`);
    }
    if (!registered) {
      return this.fail(action, accelerator, `${accelerator} is already used by another application or by the system. Choose another hotkey in Settings.`);
    }
    this.options.log.info('hotkey registered', { action, accelerator });
    this.set(action, { accelerator, registered: true });
  }

  private fail(action: HotkeyAction, accelerator: string, reason: string): void {
    this.options.log.warn('hotkey not registered', { action, accelerator, reason });
    this.set(action, { accelerator, registered: false, error: reason });
    this.options.notify(
      { category: 'actionFailures', title: `Hotkey for ${ACTION_NAMES[action].label} is not active`, body: reason },
      { force: true },
    );
  }

  private set(action: HotkeyAction, status: HotkeyStatus): void {
    this.current.set(action, status);
    this.options.report(action, status);
  }
}
