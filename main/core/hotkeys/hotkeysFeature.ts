/**
 * The global hotkeys as the core knows them: the hotkeys slice (whether the shell could register each one) and the
 * check that refuses, when it is set, an accelerator the shell could never register.
 */
import { ACTION_NAMES, fail, ok, validateAccelerator, type HotkeyAction, type HotkeyStatus, type Result, type SettingsPatch } from '../../../preload/contract';
import type { CoreContext, Feature } from '../feature';

export class HotkeysFeature implements Feature {
  readonly name = 'hotkeys';
  constructor(
    private readonly ctx: CoreContext,
    private readonly platform: NodeJS.Platform,
  ) {}

  /** The shell reports whether each global hotkey could be registered (taken by another app, refused, …). */
  setStatus(action: HotkeyAction, status: HotkeyStatus): void {
    this.ctx.store.update({ hotkeys: { ...this.ctx.store.value.hotkeys, [action]: { ...status } } });
  }

  /** A hotkey the shell could never register is refused when it is set, with the reason, instead of failing later. */
  readonly check = (patch: SettingsPatch): Result<null> => {
    for (const [action, accelerator] of Object.entries(patch.hotkeys ?? {})) {
      if (accelerator === null || accelerator === undefined) continue;
      const check = validateAccelerator(accelerator, this.platform);
      if (!check.ok) return fail('invalidInput', `The ${ACTION_NAMES[action as HotkeyAction].short} hotkey cannot be ${accelerator}: ${check.reason}`);
    }
    return ok(null);
  };
}
