import {
  applySettingsPatch,
  initialState,
  type AppInfo,
  type CompanionError,
  type PublicState,
  type Result,
  type Settings,
} from '../../preload/contract';
import type { CommandHandlers } from '../transports/dispatcher';
import { EventHub } from './eventHub';
import type { Logger } from './log';
import type { SettingsStore } from './settingsStore';

export interface CompanionDeps {
  appInfo: AppInfo;
  settings: SettingsStore;
  log: Logger;
}

const notSignedIn: CompanionError = { kind: 'notSignedIn', message: 'Sign in to CIC first.' };

/**
 * The companion's state and actions, free of Electron: the shell, the bridge and the tray all drive this one object.
 * Data flows one way: ICWS message → client cache → this state → transports → UI.
 */
export class Companion {
  readonly events = new EventHub();
  private state: PublicState = initialState();

  constructor(private readonly deps: CompanionDeps) {}

  async start(): Promise<void> {
    await this.deps.settings.load();
    if (this.deps.settings.warning) this.update({ warnings: [this.deps.settings.warning] });
  }

  /** Signs out and closes everything this companion opened. */
  async stop(): Promise<void> {}

  get publicState(): PublicState {
    return this.state;
  }

  get settings(): Settings {
    return this.deps.settings.value;
  }

  /** Every public change goes through here and is emitted exactly once. */
  protected update(patch: Partial<PublicState>): void {
    this.state = { ...this.state, ...patch };
    this.events.emit('state.changed', this.state);
  }

  private async saveSettings(change: (settings: Settings) => Settings): Promise<Result<Settings>> {
    const saved = await this.deps.settings.update(change);
    this.events.emit('settings.changed', saved);
    return { ok: true, value: saved };
  }

  readonly handlers: CommandHandlers = {
    'app.info': async () => ({ ok: true, value: this.deps.appInfo }),
    'state.get': async () => ({ ok: true, value: this.state }),
    'settings.get': async () => ({ ok: true, value: this.deps.settings.value }),
    'settings.update': (patch) => this.saveSettings((settings) => applySettingsPatch(settings, patch)),
    'certificates.pin': ({ host, fingerprint256 }) =>
      this.saveSettings((settings) => ({
        ...settings,
        certificatePins: [
          ...settings.certificatePins.filter((pin) => pin.host !== host),
          { host, fingerprint256, addedAt: new Date().toISOString() },
        ],
      })),
    'certificates.unpin': ({ host }) =>
      this.saveSettings((settings) => ({
        ...settings,
        certificatePins: settings.certificatePins.filter((pin) => pin.host !== host),
      })),
    'session.signIn': async () => ({ ok: false, error: notSignedIn }),
    'session.startDemo': async () => ({ ok: false, error: notSignedIn }),
    'session.signOut': async () => ({ ok: true, value: null }),
    'session.forgetPassword': async () => ({ ok: false, error: notSignedIn }),
    'station.logIn': async () => ({ ok: false, error: notSignedIn }),
    'station.logOut': async () => ({ ok: false, error: notSignedIn }),
    'followMe.record': async () => ({ ok: false, error: notSignedIn }),
    'followMe.preview': async () => ({ ok: false, error: notSignedIn }),
    'followMe.commit': async () => ({ ok: false, error: notSignedIn }),
    'followMe.cancel': async () => ({ ok: false, error: notSignedIn }),
    'voicemail.play': async () => ({ ok: false, error: notSignedIn }),
    'voicemail.stop': async () => ({ ok: false, error: notSignedIn }),
    'voicemail.markRead': async () => ({ ok: false, error: notSignedIn }),
    'dialer.updateCallData': async () => ({ ok: false, error: notSignedIn }),
    'dialer.markForFinishing': async () => ({ ok: false, error: notSignedIn }),
  };
}
