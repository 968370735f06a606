import type { Settings } from '../../../preload/contract';
import { enforcePolicy, storedSettings, type LoadedPolicy } from './policy';
import type { SettingsStore } from './settingsStore';

/**
 * The agent's settings file seen through the machine-wide policy: `value` is what is in force (the policy laid over the
 * agent's choices), `update` changes it and writes back the agent's own values under what the policy fixes. Everything
 * that reads settings (the core, the shell's hotkeys, notifications, start at login, certificate trust) sees the
 * policy without knowing about it.
 */
export class ManagedSettings {
  private raw: Settings | null = null;
  private effective: Settings | null = null;

  constructor(
    private readonly store: SettingsStore,
    private readonly policy: LoadedPolicy,
  ) {}

  get path(): string {
    return this.store.path;
  }

  get warning(): string | null {
    return this.store.warning;
  }

  load(): Promise<Settings> {
    return this.store.load().then(() => this.value);
  }

  /** The same object until the file's settings change, so callers can compare by reference. */
  get value(): Settings {
    if (this.store.value !== this.raw || this.effective === null) {
      this.raw = this.store.value;
      this.effective = enforcePolicy(this.raw, this.policy);
    }
    return this.effective;
  }

  async update(change: (settings: Settings) => Settings): Promise<Settings> {
    await this.store.update((stored) => storedSettings(change(enforcePolicy(stored, this.policy)), stored, this.policy));
    return this.value;
  }
}
