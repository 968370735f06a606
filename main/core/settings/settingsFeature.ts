/**
 * Settings, certificate pins and the machine-wide policy: `app.info`, `settings.*` and `certificates.*`, the warnings
 * slice (problems that belong to no action) and the policy slice. Every read and write of settings goes through the
 * managed view, so the policy is laid over whatever the agent chose.
 */
import { applySettingsPatch, fail, ok, type AppInfo, type Result, type Settings, type SettingsPatch } from '../../../preload/contract';
import type { EventHub } from '../../common/eventHub';
import type { CoreContext, Feature, HandlersOf } from '../feature';
import { ManagedSettings } from './managedSettings';
import { pinRefusal, policyState, settingsRefusal } from './policy';
import type { SettingsStore } from './settingsStore';

export interface SettingsFeatureDeps {
  appInfo: AppInfo;
  store: SettingsStore;
  events: EventHub;
  /** Checks another feature makes of a settings change before it is saved (the hotkeys). */
  checks: ((patch: SettingsPatch) => Result<null>)[];
}

export class SettingsFeature implements Feature {
  readonly name = 'settings';
  readonly managed: ManagedSettings;

  constructor(
    private readonly ctx: CoreContext,
    private readonly deps: SettingsFeatureDeps,
  ) {
    this.managed = new ManagedSettings(deps.store, ctx.policy);
  }

  get value(): Settings {
    return this.managed.value;
  }

  async start(): Promise<void> {
    const { policy, log } = this.ctx;
    await this.managed.load();
    const warnings = [this.managed.warning, policy.problem].filter((warning): warning is string => warning !== null);
    // An error, not a warning: an administrator's log level of `error` must not hide that their own file is wrong.
    if (policy.problem) log.error('policy file not usable as written; the strictest reading is in force', { file: policy.file, problems: policy.details.slice(0, 20) });
    else if (policy.file) log.info('machine-wide policy in force', { file: policy.file, managed: Object.keys(policyState(policy).managed) });
    this.ctx.store.update({ warnings, policy: policyState(policy) });
  }

  /** A problem the agent should know about that belongs to no action (shown until the companion restarts). */
  warn(message: string): void {
    const warnings = this.ctx.store.value.warnings;
    if (!warnings.includes(message)) this.ctx.store.update({ warnings: [...warnings, message].slice(-5) });
  }

  /**
   * A settings file that cannot be written (a read-only or full disk, a folder where the file should be) costs the
   * saving, never the action that changed them: the agent gets a sentence, the change lasts for this run.
   */
  async save(change: (settings: Settings) => Settings): Promise<Result<Settings>> {
    const before = this.managed.value;
    let saved: Settings;
    try {
      saved = await this.managed.update(change);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException)?.code;
      const reason = typeof code === 'string' ? `${code} at ${this.managed.path}` : error instanceof Error ? error.name : String(error);
      this.ctx.log.warn('settings not saved', { file: this.managed.path, error: String(error) });
      const current = this.managed.value;
      if (current !== before) this.deps.events.emit('settings.changed', current);
      const unchanged = current === before;
      return fail(
        unchanged ? 'invalidInput' : 'unavailable',
        unchanged
          ? 'That change cannot be saved: the settings would not be valid.'
          : `Your settings could not be saved (${reason}); the change lasts only until you quit.`,
      );
    }
    this.deps.events.emit('settings.changed', saved);
    return ok(saved);
  }

  /** A pin the policy provides, or any new pin when IT keeps trust to itself, is refused (as a promise, for handlers). */
  private unlessManagedPin(host: string, adding: boolean): Promise<Result<Settings>> | null {
    const refusal = pinRefusal(host, adding, this.ctx.policy);
    return refusal ? Promise.resolve(fail('refused', refusal)) : null;
  }

  readonly handlers: HandlersOf<'app' | 'settings' | 'certificates'> = {
    'app.info': async () => ok({ ...this.deps.appInfo, demoAvailable: this.deps.appInfo.demoAvailable && this.ctx.policy.policy.demoOffered }),
    'settings.get': async () => ok(this.managed.value),
    'settings.update': async (patch) => {
      const managed = settingsRefusal(patch, this.ctx.policy);
      if (managed) return fail('refused', managed);
      for (const check of this.deps.checks) {
        const checked = check(patch);
        if (!checked.ok) return checked;
      }
      return this.save((settings) => applySettingsPatch(settings, patch));
    },
    'certificates.pin': ({ host, fingerprint256 }) =>
      this.unlessManagedPin(host, true) ??
      this.save((settings) => ({
        ...settings,
        certificatePins: [
          ...settings.certificatePins.filter((pin) => pin.host !== host),
          { host, fingerprint256, addedAt: new Date().toISOString() },
        ],
      })),
    'certificates.unpin': ({ host }) =>
      this.unlessManagedPin(host, false) ??
      this.save((settings) => ({
        ...settings,
        certificatePins: settings.certificatePins.filter((pin) => pin.host !== host),
      })),
  };
}
