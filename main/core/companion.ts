import {
  applySettingsPatch,
  initialState,
  type AppInfo,
  type CertificatePin,
  type CompanionError,
  type ConnectionState,
  type ErrorKind,
  type FollowMeStatus,
  type HotkeyAction,
  type HotkeyStatus,
  LAST_STATIONS_KEPT,
  lastStationKey,
  type PublicState,
  type Result,
  type Settings,
  type SettingsPatch,
  type StationLogIn,
  type StationState,
  validateAccelerator,
} from '../../preload/contract';
import type { CommandHandlers } from '../transports/dispatcher';
import * as icws from '../icws/api';
import { FEATURES, featureGap, MESSAGE_TYPES, type FeatureNeed } from '../icws/api';
import type { BackoffOptions } from '../icws/backoff';
import { systemClock, type Clock } from '../icws/clock';
import { isAuthenticationFailure } from '../icws/errors';
import type { IcwsMessage } from '../icws/messages';
import { createNodeHttpTransport } from '../icws/nodeTransport';
import type { HttpTransport } from '../icws/transport';
import { displayHost, normalizeServerUrl } from '../icws/url';
import { Connection, type ConnectionEvent } from './connection';
import { credentialAccount, reasonOf, type CredentialStore } from './credentials';
import { DialerWatch } from './dialer';
import { DialerDetails } from './dialerDetails';
import { dialerUnavailableSentence, toCompanionError, type Action, type ErrorContext } from './errors';
import { EventHub } from './eventHub';
import { processSecrets, type Logger, type SecretRegistry } from './log';
import { ManagedSettings } from './managedSettings';
import { demoRefusal, noPolicyLoaded, pinRefusal, policyState, settingsRefusal, signInRefusal, type LoadedPolicy } from './policy';
import type { SettingsStore } from './settingsStore';
import { StateStore } from './stateStore';
import { stationInfoOf, StationWatch, toStationState } from './station';
import { VoicemailWatch } from './voicemail';

/** What a transport factory gets: the pins to honour, read at each new connection (they change while running). */
export interface TransportTrust {
  pins: () => readonly CertificatePin[];
}

export interface DemoServer {
  url: string;
  close?: () => Promise<void>;
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

const HOTKEY_NAMES: Record<HotkeyAction, string> = { stopPlayback: 'stop playback', recordFollowMe: 'record follow-me' };

export const DEMO_USER = { userId: 'agent1', password: '1234', workstation: '7001' } as const;

/** An action's own refusal (before or instead of a request), carried to `act` as a value. */
class Refusal extends Error {
  constructor(readonly error: CompanionError) {
    super(error.message);
  }
}

const refuse = (kind: ErrorKind, message: string): Refusal => new Refusal({ kind, message });

interface SignInRequest {
  server: string;
  userId: string;
  password?: string;
  remember?: boolean;
}

/**
 * The companion's state and actions, free of Electron: the shell, the bridge and the tray all drive this one object.
 * Data flows one way: ICWS message → client cache → this state → transports → UI.
 */
export class Companion {
  readonly events = new EventHub();
  private readonly store: StateStore;
  private readonly clock: Clock;
  private readonly secrets: SecretRegistry;
  private readonly transport: HttpTransport;
  private readonly connection: Connection;
  private readonly stationWatch = new StationWatch();
  private readonly voicemail = new VoicemailWatch();
  private readonly dialer = new DialerWatch(icws.DIALER_QUEUE_SUBSCRIPTION_ID);
  private readonly dialerDetails = new DialerDetails({
    readContact: (callId, campaignId) => icws.requestContactData(this.connection.call, callId, campaignId),
    unavailableSentence: dialerUnavailableSentence,
    describe: (error) => this.errorOf(error, { action: 'dialer.requestContactData', server: this.serverName() }).message,
    changed: () => this.update({ dialer: this.dialerView() }),
  });
  private readonly log: Logger;
  private readonly policy: LoadedPolicy;
  /** The agent's settings with the policy laid over them: every read and write of settings goes through here. */
  private readonly managedSettings: ManagedSettings;

  /** This run's copy of the password, for signing in again when the keychain has none (or cannot answer). */
  private runPassword: string | null = null;
  private account: { base: string; userId: string; demo: boolean } | null = null;
  private passwordSaved: { saved: boolean; reason?: string } = { saved: false };
  /** The station this companion logged in to, logged in again when a lost session is replaced. */
  private stationSettings: StationLogIn | null = null;
  /** The reason CIC gave when it dropped the station itself, kept until the agent logs in to a station again. */
  private pendingDropReason: string | null = null;
  private followMeStatus: FollowMeStatus = 'idle';
  /** Each sign-in (and sign-out) starts a new generation; a slower, older sign-in then knows it was superseded. */
  private generation = 0;
  /** While a sign-in finishes (keychain), its `connected` event waits so the agent sees one complete change. */
  private pendingConnected: { generation: number; messaging: 'sse' | 'poll' } | null = null;
  private demoServer: Promise<DemoServer> | null = null;

  constructor(private readonly deps: CompanionDeps) {
    this.log = deps.log;
    this.policy = deps.policy ?? noPolicyLoaded();
    this.managedSettings = new ManagedSettings(deps.settings, this.policy);
    this.clock = deps.clock ?? systemClock;
    this.secrets = deps.secrets ?? processSecrets;
    this.store = new StateStore(
      initialState(),
      (change) => this.events.emit('state.changed', change),
      () => this.voicemail.handedOut(),
    );
    const trust: TransportTrust = { pins: () => this.managedSettings.value.certificatePins };
    this.transport = deps.createTransport ? deps.createTransport(trust) : createNodeHttpTransport({ trust: () => ({ pins: trust.pins() }) });
    const timing = deps.timing ?? {};
    this.connection = new Connection({
      transport: this.transport,
      clock: this.clock,
      log: deps.log.child('icws'),
      secrets: this.secrets,
      locale: () => this.locale(),
      password: () => this.passwordForRenewal(),
      restoreStation: (call) => this.restoreStation(call),
      onMessages: (messages) => this.onMessages(messages),
      onEvent: (event) => this.onConnectionEvent(event),
      ...timing,
      ...(timing.sseSilenceMs !== undefined ? { sseSilenceMs: timing.sseSilenceMs } : {}),
    });
  }

  async start(): Promise<void> {
    await this.managedSettings.load();
    const warnings = [this.managedSettings.warning, this.policy.problem].filter((warning): warning is string => warning !== null);
    // An error, not a warning: an administrator's log level of `error` must not hide that their own file is wrong.
    if (this.policy.problem) this.log.error('policy file not usable as written; the strictest reading is in force', { file: this.policy.file, problems: this.policy.details.slice(0, 20) });
    else if (this.policy.file) this.log.info('machine-wide policy in force', { file: this.policy.file, managed: Object.keys(policyState(this.policy).managed) });
    this.update({ warnings, policy: policyState(this.policy) });
  }

  /** Signs out (subscriptions and connection deleted), closes the demo server; nothing keeps running afterwards. */
  async stop(): Promise<void> {
    await this.signOut();
    const demo = this.demoServer;
    this.demoServer = null;
    if (demo) {
      try {
        await (await demo).close?.();
      } catch (error) {
        this.log.warn('closing the demo server failed', { error: String(error) });
      }
    }
    this.transport.closeIdle?.();
  }

  get publicState(): PublicState {
    return this.store.shared;
  }

  get settings(): Settings {
    return this.managedSettings.value;
  }

  /** Every public change goes through here and is emitted exactly once (and never when nothing changed). */
  protected update(patch: Partial<PublicState>): void {
    this.store.update(patch);
  }

  /**
   * ICWS failure → the agent's sentence. Sentences may quote what a server or proxy said, and some echo the request
   * back (its CSRF header, its cookie): every secret of this run is taken out before the sentence leaves the main side.
   */
  private errorOf(error: unknown, context: ErrorContext): CompanionError {
    const redact = (text: string) => this.secrets.redactText(text);
    const companionError = toCompanionError(error, { ...context, redact });
    return { ...companionError, message: redact(companionError.message) };
  }

  /** The voicemail slice, with which messages changed (so the change carries them, not the mailbox). */
  private updateVoicemail(): void {
    this.store.update({ voicemail: this.voicemail.state }, this.voicemail.takeChange());
  }

  private readonly pullVoicemail = () => this.updateVoicemail();

  /** A problem the agent should know about that belongs to no action (shown until the companion restarts). */
  private warn(message: string): void {
    const warnings = this.store.value.warnings;
    if (!warnings.includes(message)) this.update({ warnings: [...warnings, message].slice(-5) });
  }

  /** The desktop shell reports a problem of its own that belongs to no action (e.g. the OS refuses notifications). */
  reportDesktopProblem(message: string): void {
    this.warn(message);
  }

  /** The shell reports whether each global hotkey could be registered (taken by another app, refused, …). */
  setHotkeyStatus(action: HotkeyAction, status: HotkeyStatus): void {
    this.update({ hotkeys: { ...this.store.value.hotkeys, [action]: { ...status } } });
  }

  /** A hotkey the shell could never register is refused when it is set, with the reason, instead of failing later. */
  private checkHotkeys(patch: SettingsPatch): Result<null> {
    for (const [action, accelerator] of Object.entries(patch.hotkeys ?? {})) {
      if (accelerator === null || accelerator === undefined) continue;
      const check = validateAccelerator(accelerator, this.deps.platform ?? process.platform);
      if (!check.ok) return fail('invalidInput', `The ${HOTKEY_NAMES[action as HotkeyAction]} hotkey cannot be ${accelerator}: ${check.reason}`);
    }
    return { ok: true, value: null };
  }

  private locale(): string {
    const locale = typeof this.deps.locale === 'function' ? this.deps.locale() : this.deps.locale;
    return locale || Intl.DateTimeFormat().resolvedOptions().locale || 'en-US';
  }

  /**
   * A settings file that cannot be written (a read-only or full disk, a folder where the file should be) costs the
   * saving, never the action that changed them: the agent gets a sentence, the change lasts for this run.
   */
  private async saveSettings(change: (settings: Settings) => Settings): Promise<Result<Settings>> {
    const before = this.managedSettings.value;
    let saved: Settings;
    try {
      saved = await this.managedSettings.update(change);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException)?.code;
      const reason = typeof code === 'string' ? `${code} at ${this.managedSettings.path}` : error instanceof Error ? error.name : String(error);
      this.log.warn('settings not saved', { file: this.managedSettings.path, error: String(error) });
      const current = this.managedSettings.value;
      if (current !== before) this.events.emit('settings.changed', current);
      const unchanged = current === before;
      return fail(
        unchanged ? 'invalidInput' : 'unavailable',
        unchanged
          ? 'That change cannot be saved: the settings would not be valid.'
          : `Your settings could not be saved (${reason}); the change lasts only until you quit.`,
      );
    }
    this.events.emit('settings.changed', saved);
    return { ok: true, value: saved };
  }

  /** A pin the policy provides, or any new pin when IT keeps trust to itself, is refused (as a promise, for handlers). */
  private unlessManagedPin(host: string, adding: boolean): Promise<Result<Settings>> | null {
    const refusal = pinRefusal(host, adding, this.policy);
    return refusal ? Promise.resolve(fail('refused', refusal)) : null;
  }

  // --- session -------------------------------------------------------------------------------------------------

  /** A sign-in overtaken by a sign-out or by another sign-in: say which, not that something failed. */
  private superseded(): Result<never> {
    return this.account === null
      ? fail('notSignedIn', 'You signed out before this sign-in finished.')
      : fail('notSignedIn', 'Another sign-in replaced this one.');
  }

  private async signIn(request: SignInRequest, demo = false): Promise<Result<ConnectionState>> {
    const normalized = normalizeServerUrl(request.server);
    if (!normalized.ok) return fail('invalidInput', normalized.message);
    const base = normalized.base;
    const refusal = demo ? null : signInRefusal(base, request.remember, this.policy);
    if (refusal) return fail('refused', refusal);
    const userId = request.userId;
    const accountKey = credentialAccount(userId, base);
    const server = displayHost(base);

    let password = request.password && request.password !== '' ? request.password : null;
    let fromKeychain = false;
    if (password === null) {
      let why: string | null = null;
      if (!this.policy.policy.rememberPasswordAllowed) {
        return fail('invalidInput', 'Enter your password: your administrator does not allow saved passwords on this computer.');
      }
      try {
        password = (await this.deps.credentials?.get(accountKey)) ?? null;
      } catch (error) {
        why = reasonOf(error);
      }
      if (password === null) {
        return fail('invalidInput', why ? `Enter your password: ${why}` : `Enter your password: none is saved for ${userId} on ${server}.`);
      }
      fromKeychain = true;
    }
    this.secrets.add(password);

    await this.signOut();
    const generation = ++this.generation;
    this.account = { base, userId, demo };
    this.runPassword = password;
    this.passwordSaved = { saved: false };
    this.update({ connection: { status: 'connecting', server: base, userId, ...(demo ? { demo: true } : {}) } });

    this.pendingConnected = { generation, messaging: 'sse' };
    try {
      await this.connection.signIn({ base, userId, password });
    } catch (error) {
      this.pendingConnected = null;
      if (generation !== this.generation) return this.superseded();
      const companionError = this.errorOf(error, { action: 'signIn', server });
      if (fromKeychain && isAuthenticationFailure(error)) {
        companionError.message = `CIC did not accept the saved password for ${userId}. Enter your password.`;
      }
      this.log.warn('sign-in failed', { server, userId, kind: companionError.kind, errorId: companionError.errorId });
      this.runPassword = null;
      this.account = null;
      this.update({ connection: { status: 'failed', server: base, userId, error: companionError, ...(demo ? { demo: true } : {}) } });
      return { ok: false, error: companionError };
    }
    if (generation !== this.generation) return this.superseded();

    if (!demo) {
      const remember = request.remember ?? (fromKeychain ? true : this.managedSettings.value.rememberPassword);
      this.passwordSaved = await this.storePassword(accountKey, password, remember, fromKeychain);
      if (generation !== this.generation) return this.superseded();
      const saved = await this.saveSettings((settings) => ({ ...settings, server: base, userId, rememberPassword: remember }));
      if (generation !== this.generation) return this.superseded();
      if (!saved.ok) this.warn(saved.error.message);
    }
    const messaging = this.pendingConnected?.messaging ?? 'sse';
    this.pendingConnected = null;
    const info = this.connection.info;
    if (info && this.connection.isConnected) this.publishConnected(info.base, info.displayName, info.features, messaging);
    return { ok: true, value: this.store.value.connection };
  }

  /** "Remember me": the keychain and nowhere else; a keychain that refuses only costs the saving, never the sign-in. */
  private async storePassword(account: string, password: string, remember: boolean, fromKeychain: boolean): Promise<{ saved: boolean; reason?: string }> {
    const store = this.deps.credentials;
    if (fromKeychain) return { saved: true };
    if (!remember) {
      // Unticking "remember me" also removes what an earlier sign-in saved.
      await store?.delete(account).catch((error) => this.log.debug('could not delete the saved password', { reason: reasonOf(error) }));
      return { saved: false };
    }
    if (!store) return { saved: false, reason: 'This version of the companion has no access to a system keychain; the password is kept until you quit.' };
    try {
      await store.set(account, password);
      return { saved: true };
    } catch (error) {
      const reason = `${reasonOf(error)} The password is kept only until you quit.`;
      this.log.warn('password not saved in the keychain', { reason });
      return { saved: false, reason };
    }
  }

  private async passwordForRenewal(): Promise<string | null> {
    const account = this.account;
    if (!account) return null;
    if (!account.demo && this.passwordSaved.saved && this.deps.credentials) {
      try {
        const saved = await this.deps.credentials.get(credentialAccount(account.userId, account.base));
        if (saved) {
          this.secrets.add(saved);
          return saved;
        }
      } catch (error) {
        this.log.info('keychain unavailable for signing in again; using this run’s copy', { reason: reasonOf(error) });
      }
    }
    return this.runPassword;
  }

  private async signOut(): Promise<void> {
    this.generation++;
    this.pendingConnected = null;
    // Cleared first: a sign-in still under way sees at once that the agent signed out.
    this.account = null;
    await this.connection.signOut();
    this.runPassword = null;
    this.stationSettings = null;
    this.pendingDropReason = null;
    this.followMeStatus = 'idle';
    this.passwordSaved = { saved: false };
    this.clearWatches();
    const initial = initialState();
    this.update({
      connection: initial.connection,
      station: initial.station,
      voicemail: initial.voicemail,
      followMe: initial.followMe,
      dialer: initial.dialer,
      features: initial.features,
    });
  }

  private async startDemo(): Promise<Result<ConnectionState>> {
    const refusal = demoRefusal(this.policy);
    if (refusal) return fail('refused', refusal);
    const launch = this.deps.startDemoServer;
    if (!launch) return fail('unsupported', 'The demo is not available in this version of the companion.');
    this.demoServer ??= launch();
    let demo: DemoServer;
    try {
      demo = await this.demoServer;
    } catch (error) {
      this.demoServer = null;
      this.log.error('demo server did not start', { error: String(error) });
      return fail('internal', 'The demo server could not be started. The details are in the log.');
    }
    const signedIn = await this.signIn({ server: demo.url, userId: DEMO_USER.userId, password: DEMO_USER.password, remember: false }, true);
    if (!signedIn.ok) return signedIn;
    // The demo shows a working agent: logged in to a workstation, so the Dialer call and playback work at once.
    const station = await this.handlers['station.logIn']({ kind: 'workstation', workstation: DEMO_USER.workstation });
    if (!station.ok) this.log.warn('demo station logon failed', { kind: station.error.kind });
    return { ok: true, value: this.store.value.connection };
  }

  private async forgetPassword(params: { server: string; userId: string } | undefined): Promise<Result<null>> {
    const server = params?.server ?? this.account?.base ?? this.managedSettings.value.server;
    const userId = params?.userId ?? this.account?.userId ?? this.managedSettings.value.userId;
    if (!server || !userId) return fail('invalidInput', 'There is no saved sign-in to forget: give the server and user name.');
    const normalized = normalizeServerUrl(server);
    if (!normalized.ok) return fail('invalidInput', normalized.message);
    const store = this.deps.credentials;
    if (!store) return fail('unavailable', 'This version of the companion has no access to a system keychain, so no password was saved.');
    try {
      await store.delete(credentialAccount(userId, normalized.base));
    } catch (error) {
      return fail('unavailable', reasonOf(error));
    }
    if (this.account && this.account.base === normalized.base && this.account.userId === userId) {
      this.passwordSaved = { saved: false };
      const connection = this.store.value.connection;
      if (connection.status !== 'signedOut') {
        const { passwordNotSavedReason: _reason, ...rest } = connection;
        this.update({ connection: { ...rest, passwordSaved: false } });
      }
    }
    if (this.managedSettings.value.rememberPassword) await this.saveSettings((settings) => ({ ...settings, rememberPassword: false }));
    return { ok: true, value: null };
  }

  // --- connection events and messages ----------------------------------------------------------------------------

  private onConnectionEvent(event: ConnectionEvent): void {
    const current = this.store.value.connection;
    const server = this.account ? displayHost(this.account.base) : 'the server';
    switch (event.type) {
      case 'connected':
        if (this.pendingConnected) {
          // The sign-in publishes it once the keychain is done; remember the mode meanwhile.
          this.pendingConnected.messaging = event.messaging;
          return;
        }
        this.publishConnected(event.info.base, event.info.displayName, event.info.features, event.messaging);
        return;
      case 'messaging':
        if (this.pendingConnected) {
          this.pendingConnected.messaging = event.messaging;
          return;
        }
        if (current.status === 'signedOut') return;
        this.update({ connection: { ...current, messaging: event.messaging } });
        return;
      case 'reconnecting': {
        const { error: _e, nextAttemptAt: _n, ...rest } = current;
        this.update({
          connection: { ...rest, status: 'reconnecting', error: this.errorOf(event.error, { action: 'signIn', server }), nextAttemptAt: event.nextAttemptAt },
        });
        return;
      }
      case 'failed': {
        const { nextAttemptAt: _n, messaging: _m, ...rest } = current;
        this.clearWatches();
        this.followMeStatus = 'idle';
        const initial = initialState();
        this.update({
          connection: { ...rest, status: 'failed', error: this.errorOf(event.error, { action: 'signIn', server }) },
          station: null,
          voicemail: initial.voicemail,
          followMe: initial.followMe,
          dialer: initial.dialer,
        });
        return;
      }
    }
  }

  private publishConnected(base: string, displayName: string, features: Record<string, number> | null, messaging: 'sse' | 'poll'): void {
    const account = this.account;
    if (!account) return;
    const connection: ConnectionState = {
      status: 'connected',
      server: base,
      userId: account.userId,
      displayName,
      messaging,
      ...(account.demo ? { demo: true } : {}),
      passwordSaved: this.passwordSaved.saved,
      ...(this.passwordSaved.reason ? { passwordNotSavedReason: this.passwordSaved.reason } : {}),
      ...this.lastStationOf(account),
    };
    this.update({ connection, features: features ?? {} });
  }

  /** The deliveries (poll answers, stream chunks) of one turn of the event loop → one state change at most. */
  private onMessages(messages: IcwsMessage[]): void {
    this.log.debug('messages received', { count: messages.length });
    this.store.deliver(() => {
      for (const message of messages) {
        try {
          this.apply(message);
        } catch (error) {
          this.log.warn('message skipped: could not be applied', { type: message.__type, error: String(error) });
        }
      }
      this.update({
        station: this.stationWatch.current,
        stationDropReason: this.pendingDropReason,
        dialer: this.followDialer(),
      });
      // The mailbox is read once per turn, however many deliveries changed it.
    }, this.pullVoicemail);
  }

  /** The active Dialer call with what is known beyond the queue; a new call starts the read of its contact. */
  private followDialer(): PublicState['dialer'] {
    const active = this.dialer.active;
    const gap = featureGap(this.connection.features, FEATURES.requestContactData);
    const cannotRead = gap ? this.errorOf(gap, { action: 'dialer.requestContactData', server: this.serverName() }).message : null;
    this.dialerDetails.follow(active, active ? this.dialer.attributesOf(active.callId) : {}, cannotRead);
    return this.dialerView();
  }

  private dialerView(): PublicState['dialer'] {
    return this.dialerDetails.view(this.dialer.active);
  }

  private serverName(): string {
    return this.account ? displayHost(this.account.base) : 'the server';
  }

  private apply(message: IcwsMessage): void {
    const needsIsDelta =
      message.__type === MESSAGE_TYPES.stationConnectionStateChange ||
      message.__type === MESSAGE_TYPES.voicemailMessages ||
      message.__type === MESSAGE_TYPES.queueContents;
    if (needsIsDelta && typeof message.isDelta !== 'boolean') {
      this.log.warn('malformed message skipped (isDelta missing)', { type: message.__type });
      return;
    }
    switch (message.__type) {
      case MESSAGE_TYPES.stationConnectionStateChange: {
        this.registerStationSecrets(message);
        const station = this.stationWatch.apply(message);
        // CIC took the station away with a reason (a logon elsewhere): do not take it back after a reconnect.
        if (station === null && typeof message.reason === 'string' && message.reason !== '') {
          this.stationSettings = null;
          this.pendingDropReason = message.reason;
        }
        if (station !== null) this.pendingDropReason = null;
        return;
      }
      case MESSAGE_TYPES.voicemailMessages:
        this.voicemail.applyMessages(message);
        return;
      case MESSAGE_TYPES.voicemailPlayStatus:
        this.voicemail.applyPlayStatus(message);
        return;
      case MESSAGE_TYPES.mwi:
        this.voicemail.applyMwi(message);
        return;
      case MESSAGE_TYPES.queueContents:
        this.dialer.apply(message);
        return;
      case MESSAGE_TYPES.connectionStateChange:
        return; // The connection handles it.
      default:
        this.log.debug('message ignored (unknown type)', { type: message.__type });
    }
  }

  private registerStationSecrets(message: Record<string, unknown>): void {
    for (const info of [message, message.newStationInfo, message.previousStationInfo]) {
      if (info && typeof info === 'object') {
        const value = (info as Record<string, unknown>).sipPassword;
        if (typeof value === 'string') this.secrets.add(value);
      }
    }
  }

  private clearWatches(): void {
    this.stationWatch.clear();
    this.voicemail.clear();
    this.dialer.clear();
    this.dialerDetails.clear();
  }

  private async restoreStation(call: icws.Call): Promise<void> {
    if (!this.stationSettings) return;
    this.log.info('logging the station in again', { kind: this.stationSettings.kind });
    await icws.stationLogOn(call, this.stationSettings, false);
  }

  // --- actions -----------------------------------------------------------------------------------------------------

  /** Common path of every CIC action: signed in, feature present, then the request; errors become agent sentences. */
  private async act<T>(action: Action, need: FeatureNeed | null, run: () => Promise<T>): Promise<Result<T>> {
    const status = this.store.value.connection.status;
    if (status === 'reconnecting') return fail('unavailable', 'The companion is reconnecting to CIC; try again in a moment.');
    if (status === 'connecting') return fail('notSignedIn', 'Signing in to CIC is still in progress; try again in a moment.');
    if (status !== 'connected') return fail('notSignedIn', 'Sign in to CIC first.');
    const server = this.account ? displayHost(this.account.base) : 'the server';
    if (need) {
      const gap = featureGap(this.connection.features, need);
      if (gap) return { ok: false, error: this.errorOf(gap, { action, server }) };
    }
    try {
      return { ok: true, value: await run() };
    } catch (error) {
      if (error instanceof Refusal) return { ok: false, error: error.error };
      const companionError = this.errorOf(error, { action, server });
      if (companionError.kind === 'internal') this.log.error('action failed unexpectedly', { action, error: String(error) });
      else this.log.info('action failed', { action, kind: companionError.kind, status: companionError.status, errorId: companionError.errorId });
      return { ok: false, error: companionError };
    }
  }

  private setFollowMe(status: FollowMeStatus): PublicState['followMe'] {
    this.followMeStatus = status;
    const followMe = { status };
    this.update({ followMe });
    return followMe;
  }

  private followMe(verb: icws.FollowMeVerb): Promise<Result<PublicState['followMe']>> {
    return this.act('followMe', FEATURES.followMe, async () => {
      const pending = this.followMeStatus === 'recording' || this.followMeStatus === 'previewing';
      if ((verb === 'preview' || verb === 'commit') && !pending) {
        throw refuse('refused', `Record the follow-me prompt first: there is no new recording to ${verb === 'preview' ? 'play back' : 'keep'}.`);
      }
      await icws.followMe(this.connection.call, verb);
      const next: Record<icws.FollowMeVerb, FollowMeStatus> = { record: 'recording', preview: 'previewing', commit: 'committed', cancel: 'idle' };
      return this.setFollowMe(next[verb]);
    });
  }

  private async stationLogIn(settings: StationLogIn): Promise<Result<StationState>> {
    return this.act('station.logIn', FEATURES.station, async () => {
      await icws.stationLogOn(this.connection.call, settings);
      this.stationSettings = settings;
      this.pendingDropReason = null;
      await this.rememberStation(settings);
      // Read back what CIC made of it; the subscription's message may still be on its way.
      try {
        const { body } = await this.connection.call({ method: 'GET', path: 'connection/station' });
        if (body && typeof body === 'object') {
          this.registerStationSecrets(body as Record<string, unknown>);
          const station = toStationState(stationInfoOf({ __type: 'stationInformation', isDelta: false, ...(body as Record<string, unknown>) }) ?? null);
          if (station) return station;
        }
      } catch (error) {
        this.log.debug('reading the station back failed', { error: String(error) });
      }
      return (
        this.store.value.station ?? {
          id: settings.kind === 'remoteNumber' ? settings.remoteNumber : settings.workstation,
          extension: settings.kind === 'remoteNumber' ? settings.remoteNumber : settings.workstation,
          kind: settings.kind,
          mediaTypes: [],
        }
      );
    });
  }

  private lastStationOf(account: { userId: string; base: string }): Pick<ConnectionState, 'lastStation'> {
    const last = this.deps.settings.value.lastStations[lastStationKey(account.userId, account.base)];
    return last ? { lastStation: last } : {};
  }

  /** The station is offered at this user's next logon on this server; a settings file that cannot be written only costs that. */
  private async rememberStation(settings: StationLogIn): Promise<void> {
    const account = this.account;
    if (!account || account.demo) return;
    const key = lastStationKey(account.userId, account.base);
    const saved = await this.saveSettings((current) => {
      const others = Object.entries(current.lastStations).filter(([other]) => other !== key);
      return { ...current, lastStations: Object.fromEntries([...others.slice(-(LAST_STATIONS_KEPT - 1)), [key, settings]]) };
    });
    if (!saved.ok) this.log.info('last station not remembered', { kind: saved.error.kind });
    const connection = this.store.value.connection;
    if (saved.ok && connection.status !== 'signedOut') this.update({ connection: { ...connection, ...this.lastStationOf(account) } });
  }

  /** A Dialer request: refused at once when CIC already said this agent has no Dialer; a refusal saying so is kept. */
  private async dialerRequest<T>(run: () => Promise<T>): Promise<T> {
    const unavailable = this.store.value.dialer.unavailable;
    if (unavailable) throw refuse('forbidden', unavailable);
    try {
      return await run();
    } catch (error) {
      this.dialerDetails.refused(error);
      this.update({ dialer: this.dialerView() });
      throw error;
    }
  }

  /** The call a Dialer action is about: the one given, or the agent's active Dialer call. */
  private dialerTarget(callId: string | undefined, campaignId: string | undefined): { callId: string; campaignId: string } {
    if (callId && campaignId) return { callId, campaignId };
    if (callId) {
      const known = this.dialer.find(callId);
      if (!known?.campaignId) throw refuse('invalidInput', `Give the campaign id too: call ${callId} is not among your Dialer calls.`);
      return { callId: known.callId, campaignId: known.campaignId };
    }
    const active = this.dialer.active;
    if (!active) {
      throw refuse('noDialerCall', 'You have no active Dialer call (connected or on hold). Pick up the call first, or give its call id and campaign id.');
    }
    return { callId: active.callId, campaignId: campaignId ?? active.campaignId };
  }

  readonly handlers: CommandHandlers = {
    'app.info': async () => ({ ok: true, value: { ...this.deps.appInfo, demoAvailable: this.deps.appInfo.demoAvailable && this.policy.policy.demoOffered } }),
    'state.get': async () => ({ ok: true, value: this.store.snapshot() }),
    'settings.get': async () => ({ ok: true, value: this.managedSettings.value }),
    'settings.update': async (patch) => {
      const managed = settingsRefusal(patch, this.policy);
      if (managed) return fail('refused', managed);
      const hotkeys = this.checkHotkeys(patch);
      if (!hotkeys.ok) return hotkeys;
      return this.saveSettings((settings) => applySettingsPatch(settings, patch));
    },
    'certificates.pin': ({ host, fingerprint256 }) =>
      this.unlessManagedPin(host, true) ??
      this.saveSettings((settings) => ({
        ...settings,
        certificatePins: [
          ...settings.certificatePins.filter((pin) => pin.host !== host),
          { host, fingerprint256, addedAt: new Date().toISOString() },
        ],
      })),
    'certificates.unpin': ({ host }) =>
      this.unlessManagedPin(host, false) ??
      this.saveSettings((settings) => ({
        ...settings,
        certificatePins: settings.certificatePins.filter((pin) => pin.host !== host),
      })),
    'session.signIn': (params) => this.signIn(params),
    'session.startDemo': () => this.startDemo(),
    'session.signOut': async () => {
      await this.signOut();
      return { ok: true, value: null };
    },
    'session.forgetPassword': (params) => this.forgetPassword(params),
    'station.logIn': (params) => this.stationLogIn(params),
    'station.logOut': () =>
      this.act('station.logOut', FEATURES.station, async () => {
        await icws.stationLogOff(this.connection.call);
        this.stationSettings = null;
        return null;
      }),
    'followMe.record': () => this.followMe('record'),
    'followMe.preview': () => this.followMe('preview'),
    'followMe.commit': () => this.followMe('commit'),
    'followMe.cancel': () => this.followMe('cancel'),
    'voicemail.play': ({ id, target }) =>
      this.act('voicemail.play', FEATURES.voicemailPlayback, async () => {
        await icws.playVoicemail(this.connection.call, id, target);
        // Playing marks the message read (state 1); the play status message confirms it shortly.
        this.store.batch(() => {
          this.voicemail.setPlaying(id);
          if (this.voicemail.has(id)) this.voicemail.setRead(id, true);
          this.updateVoicemail();
        });
        return null;
      }),
    'voicemail.stop': (params) =>
      this.act('voicemail.stop', FEATURES.voicemailPlayback, async () => {
        const id = params?.id ?? this.voicemail.playingId;
        if (!id) throw refuse('notPlaying', 'No voicemail is playing.');
        await icws.stopVoicemail(this.connection.call, id);
        if (this.voicemail.playingId === id) {
          this.voicemail.setPlaying(null);
          this.updateVoicemail();
        }
        return null;
      }),
    'voicemail.markRead': ({ id, read }) =>
      this.act('voicemail.markRead', FEATURES.voicemailMarkRead, async () => {
        await icws.setVoicemailState(this.connection.call, id, read);
        if (this.voicemail.has(id)) {
          this.voicemail.setRead(id, read);
          this.updateVoicemail();
        }
        return null;
      }),
    'dialer.updateCallData': ({ callId, campaignId, callAttributes }) =>
      this.act('dialer.updateCallData', FEATURES.updateCallData, () =>
        this.dialerRequest(async () => {
          const target = this.dialerTarget(callId, campaignId);
          await icws.updateCallData(this.connection.call, target.callId, target.campaignId, callAttributes);
          this.dialerDetails.updated(target.callId, callAttributes);
          this.update({ dialer: this.dialerView() });
          return null;
        }),
      ),
    'dialer.requestContactData': () =>
      this.act('dialer.requestContactData', FEATURES.requestContactData, () =>
        this.dialerRequest(async () => {
          const active = this.dialer.active;
          if (!active) throw refuse('noDialerCall', 'You have no active Dialer call (connected or on hold).');
          return this.dialerDetails.refresh(active, this.dialer.attributesOf(active.callId));
        }),
      ),
    'dialer.markForFinishing': ({ callId, campaignId, callAttributes }) =>
      this.act('dialer.markForFinishing', FEATURES.markCallForFinishing, () =>
        this.dialerRequest(async () => {
          const target = this.dialerTarget(callId, campaignId);
          if (this.dialerDetails.markedForFinishing(target.callId)) throw refuse('refused', 'This call is already marked for finishing.');
          await icws.markCallForFinishing(this.connection.call, target.callId, target.campaignId, callAttributes);
          this.dialerDetails.setMarked(target.callId);
          if (callAttributes) this.dialerDetails.updated(target.callId, callAttributes);
          this.update({ dialer: this.dialerView() });
          return null;
        }),
      ),
  };
}

function fail<T>(kind: ErrorKind, message: string): Result<T> {
  return { ok: false, error: { kind, message } };
}
