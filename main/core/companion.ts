import { fail, initialState, ok, type AppInfo, type CertificatePin, type CommandHandlers, type CompanionError, type HotkeyAction, type HotkeyStatus, type PublicState, type Result, type Settings } from '../../preload/contract';
import { featureGap, type FeatureNeed } from '../icws/api';
import type { BackoffOptions } from '../icws/backoff';
import { systemClock, type Clock } from '../icws/clock';
import type { IcwsMessage } from '../icws/messages';
import { createNodeHttpTransport } from '../icws/nodeTransport';
import type { HttpTransport } from '../icws/transport';
import { displayHost } from '../icws/url';
import { Connection } from '../icws/connection';
import type { CredentialStore } from './session/credentials';
import { toCompanionError, type Action } from './errors';
import { EventHub } from '../common/eventHub';
import { handlersOf, Refusal, type CoreContext, type Feature, type MessageRoute, type ResetReason } from './feature';
import { DialerFeature } from './dialer/dialerFeature';
import { FollowMeFeature } from './followMe/followMeFeature';
import { HotkeysFeature } from './hotkeys/hotkeysFeature';
import { SessionFeature, type DemoServer } from './session/sessionFeature';
import { SettingsFeature } from './settings/settingsFeature';
import { StationFeature } from './station/stationFeature';
import { VoicemailFeature } from './voicemail/voicemailFeature';
import { processSecrets, type Logger, type SecretRegistry } from '../common/log';
import { noPolicyLoaded, type LoadedPolicy } from './settings/policy';
import type { SettingsStore } from './settings/settingsStore';
import { StateStore } from './stateStore';

export type { DemoServer } from './session/sessionFeature';

/** What a transport factory gets: the pins to honour, read at each new connection (they change while running). */
interface TransportTrust {
  pins: () => readonly CertificatePin[];
}

/** Knobs for tests and benchmarks; production uses the defaults. */
export interface CompanionTiming {
  pollIntervalMs?: number;
  sseSilenceMs?: number;
  requestTimeoutMs?: number;
  backoff?: BackoffOptions;
  maxHostAttempts?: number;
}

export interface CompanionDeps {
  appInfo: AppInfo;
  settings: SettingsStore;
  log: Logger;
  /**
   * Builds the HTTP transport CIC is reached through (called once). Default: Node's http/https with the pins from the
   * settings. The Electron shell passes Chromium's net (which keeps cookies itself).
   */
  createTransport?: (trust: TransportTrust) => HttpTransport;
  /** The OS keychain (keytar in host mode and the shell). Without one, passwords are kept for the run only. */
  credentials?: CredentialStore;
  /** Starts the embedded simulator for "Try the demo"; absent where the demo is not shipped. */
  startDemoServer?: () => Promise<DemoServer>;
  /** The agent's locale, for Accept-Language (e.g. `en-US`). */
  locale?: string | (() => string);
  clock?: Clock;
  /** Where secret values are registered for log redaction (default: the process-wide registry). */
  secrets?: SecretRegistry;
  timing?: CompanionTiming;
  /** The OS the hotkeys are checked for (default: this process's). */
  platform?: NodeJS.Platform;
  /** The machine-wide policy read at start (policy.ts); without one, every setting is the agent's. */
  policy?: LoadedPolicy;
}

/**
 * The companion, free of Electron: the shell, the bridge and the tray all drive this one object. It holds no capability
 * of its own; it routes ICWS messages by type to the feature that consumes them, commands to the feature that handles
 * them, and every feature's slices into the one public state. Data flows one way: ICWS message → feature cache → state
 * → transports → UI.
 */
export class Companion {
  readonly events = new EventHub();
  readonly handlers: CommandHandlers;
  private readonly store: StateStore;
  private readonly log: Logger;
  private readonly secrets: SecretRegistry;
  private readonly transport: HttpTransport;
  private readonly connection: Connection;
  private readonly session: SessionFeature;
  private readonly settingsFeature: SettingsFeature;
  private readonly hotkeys: HotkeysFeature;
  /** Every feature but the session, in the order their subscriptions are made and their slices published. */
  private readonly features: readonly Feature[];
  /** Message type → the one feature that consumes it. */
  private readonly routes = new Map<string, MessageRoute & { feature: string }>();

  constructor(private readonly deps: CompanionDeps) {
    this.log = deps.log;
    this.secrets = deps.secrets ?? processSecrets;
    const clock = deps.clock ?? systemClock;
    const policy = deps.policy ?? noPolicyLoaded();
    const ctx = this.context(policy);
    const voicemail = new VoicemailFeature(ctx);
    this.store = new StateStore(
      initialState(),
      (change) => this.events.emit('state.changed', change),
      () => voicemail.handedOut(),
    );
    this.hotkeys = new HotkeysFeature(ctx, deps.platform ?? process.platform);
    const settings = new SettingsFeature(ctx, { appInfo: deps.appInfo, store: deps.settings, events: this.events, checks: [this.hotkeys.check] });
    this.settingsFeature = settings;
    const station = new StationFeature(ctx, settings, deps.settings);
    // A new capability is built and listed here, once: its subscriptions, messages, slices, reset and commands follow.
    const features = [settings, this.hotkeys, station, new FollowMeFeature(ctx), voicemail, new DialerFeature(ctx)] as const;
    this.features = features;
    this.session = new SessionFeature(ctx, {
      connection: () => this.connection,
      settings,
      station,
      ...(deps.credentials ? { credentials: deps.credentials } : {}),
      ...(deps.startDemoServer ? { startDemoServer: deps.startDemoServer } : {}),
      resetFeatures: (reason) => this.resetFeatures(reason),
    });
    for (const feature of [this.session, ...this.features]) {
      for (const [type, route] of Object.entries(feature.messages ?? {})) {
        // One owner per message type: a second is a mistake in the code, caught at the first start.
        const owner = this.routes.get(type);
        if (owner) throw new Error(`${type} is consumed by both ${owner.feature} and ${feature.name}`);
        this.routes.set(type, { ...route, feature: feature.name });
      }
    }

    const trust: TransportTrust = { pins: () => settings.value.certificatePins };
    this.transport = deps.createTransport ? deps.createTransport(trust) : createNodeHttpTransport({ trust: () => ({ pins: trust.pins() }) });
    const timing = deps.timing ?? {};
    this.connection = new Connection({
      transport: this.transport,
      clock,
      log: deps.log.child('icws'),
      secrets: this.secrets,
      locale: () => this.locale(),
      password: () => this.session.passwordForRenewal(),
      restoreStation: (call) => station.restore(call),
      subscriptions: this.features.flatMap((feature) => feature.subscriptions ?? []),
      onMessages: (messages) => this.onMessages(messages),
      onEvent: (event) => this.session.onConnectionEvent(event),
      ...timing,
    });

    this.handlers = { 'state.get': async () => ok(this.store.snapshot()), ...handlersOf(this.session, ...features) };
  }

  /** What every feature is given; the store is read through the companion, so features built before it see it. */
  private context(policy: LoadedPolicy): CoreContext {
    const store = () => this.store;
    return {
      get store() {
        return store();
      },
      log: this.deps.log,
      secrets: this.secrets,
      policy,
      call: (options) => this.connection.call(options),
      features: () => this.connection.features,
      account: () => this.session.account,
      serverName: () => this.serverName(),
      errorOf: (error, action) => this.errorOf(error, action),
      act: (action, need, run) => this.act(action, need, run),
    };
  }

  async start(): Promise<void> {
    await this.settingsFeature.start();
  }

  /** Signs out (subscriptions and connection deleted), closes the demo server; nothing keeps running afterwards. */
  async stop(): Promise<void> {
    await this.session.stop();
    this.transport.closeIdle?.();
  }

  get publicState(): PublicState {
    return this.store.shared;
  }

  get settings(): Settings {
    return this.settingsFeature.value;
  }

  /** The desktop shell reports a problem of its own that belongs to no action (e.g. the OS refuses notifications). */
  reportDesktopProblem(message: string): void {
    this.settingsFeature.warn(message);
  }

  /** The shell reports whether each global hotkey could be registered (taken by another app, refused, …). */
  setHotkeyStatus(action: HotkeyAction, status: HotkeyStatus): void {
    this.hotkeys.setStatus(action, status);
  }

  private locale(): string {
    const locale = typeof this.deps.locale === 'function' ? this.deps.locale() : this.deps.locale;
    return locale || Intl.DateTimeFormat().resolvedOptions().locale || 'en-US';
  }

  private serverName(): string {
    const account = this.session.account;
    return account ? displayHost(account.base) : 'the server';
  }

  /**
   * ICWS failure → the agent's sentence. Sentences may quote what a server or proxy said, and some echo the request
   * back (its CSRF header, its cookie): every secret of this run is taken out before the sentence leaves the main side.
   */
  private errorOf(error: unknown, action: Action): CompanionError {
    const redact = (text: string) => this.secrets.redactText(text);
    const companionError = toCompanionError(error, { action, server: this.serverName(), redact });
    return { ...companionError, message: redact(companionError.message) };
  }

  /** Common path of every CIC action: signed in, feature present, then the request; errors become agent sentences. */
  private async act<T>(action: Action, need: FeatureNeed | null, run: () => Promise<T>): Promise<Result<T>> {
    const status = this.store.value.connection.status;
    if (status === 'reconnecting') return fail('unavailable', 'The companion is reconnecting to CIC; try again in a moment.');
    if (status === 'connecting') return fail('notSignedIn', 'Signing in to CIC is still in progress; try again in a moment.');
    if (status !== 'connected') return fail('notSignedIn', 'Sign in to CIC first.');
    if (need) {
      const gap = featureGap(this.connection.features, need);
      if (gap) return { ok: false, error: this.errorOf(gap, action) };
    }
    try {
      return ok(await run());
    } catch (error) {
      if (error instanceof Refusal) return { ok: false, error: error.error };
      const companionError = this.errorOf(error, action);
      if (companionError.kind === 'internal') this.log.error('action failed unexpectedly', { action, error: String(error) });
      else this.log.info('action failed', { action, kind: companionError.kind, status: companionError.status, errorId: companionError.errorId });
      return { ok: false, error: companionError };
    }
  }

  /** Every feature forgets what it knew (the session's sign-out, or a connection that failed for good). */
  private resetFeatures(reason: ResetReason): Partial<PublicState> {
    return Object.assign({}, ...this.features.map((feature) => feature.reset?.(reason) ?? {}));
  }

  /** The deliveries (poll answers, stream chunks) of one turn of the event loop → one state change at most. */
  private onMessages(messages: IcwsMessage[]): void {
    this.log.debug('messages received', { count: messages.length });
    this.store.deliver(() => {
      for (const message of messages) this.route(message);
      for (const feature of this.features) feature.delivered?.();
    }, this.settle);
  }

  /** One function for every turn, so the store runs it once however many deliveries the turn had. */
  private readonly settle = (): void => {
    for (const feature of this.features) feature.settled?.();
  };

  private route(message: IcwsMessage): void {
    const route = this.routes.get(message.__type);
    if (!route) {
      this.log.debug('message ignored (unknown type)', { type: message.__type });
      return;
    }
    if (route.keyed && typeof message.isDelta !== 'boolean') {
      this.log.warn('malformed message skipped (isDelta missing)', { type: message.__type, feature: route.feature });
      return;
    }
    try {
      route.apply(message);
    } catch (error) {
      this.log.warn('message skipped: could not be applied', { type: message.__type, feature: route.feature, error: String(error) });
    }
  }
}
