/**
 * The life of the companion's CIC connection: sign in, watch (subscriptions and the message pump), lose it, get it back,
 * sign out. Every failure maps to one of three outcomes (discord.js style): resume the same session, sign in again with
 * backoff (network, 5xx, 503, a server-side close that says reconnect), or stop for good (bad credentials, an untrusted
 * certificate, a close that says do not reconnect). Backoff is exponential with full jitter and decays only after a
 * stable connection.
 */
import { Backoff, type BackoffOptions } from './backoff';
import type { Clock, TimerHandle } from './clock';
import {
  connectionState,
  FEATURES,
  hasFeature,
  MESSAGE_TYPES,
  subscribe,
  unsubscribe,
  type Call,
  type Subscription,
} from './api';
import {
  IcwsAbortedError,
  IcwsCertificateError,
  IcwsHttpError,
  IcwsNetworkError,
  IcwsNotConnectedError,
  IcwsProtocolError,
  IcwsSessionEndedError,
  IcwsTimeoutError,
  isAuthenticationFailure,
} from './errors';
import type { IcwsLogger, SecretSink } from './logger';
import { MessagePump, type IcwsMessage, type MessagingMode } from './messages';
import { IcwsSession, type CallOptions, type CallResult, type Credentials, type SessionInfo } from './session';
import type { HttpTransport } from './transport';
import { hostPortOf } from './url';

export type ConnectionEvent =
  | { type: 'connected'; info: SessionInfo; messaging: MessagingMode }
  | { type: 'reconnecting'; error: unknown; nextAttemptAt: number }
  | { type: 'failed'; error: unknown }
  | { type: 'messaging'; messaging: MessagingMode };

export interface ConnectionOptions {
  transport: HttpTransport;
  clock: Clock;
  log: IcwsLogger;
  secrets: SecretSink;
  locale: () => string;
  /** The password for signing in again (keychain, or this run's copy). */
  password: () => Promise<string | null>;
  /** After a fresh session replaced a lost one, before the subscriptions: log the station in again. */
  restoreStation: (call: Call) => Promise<void>;
  /** What to subscribe to on every new session (each only where the server has its feature), in this order. */
  subscriptions: readonly Subscription[];
  onMessages: (messages: IcwsMessage[]) => void;
  onEvent: (event: ConnectionEvent) => void;
  backoff?: BackoffOptions;
  pollIntervalMs?: number;
  sseSilenceMs?: number;
  requestTimeoutMs?: number;
  maxHostAttempts?: number;
}

/**
 * The connection's life as one value. Every change goes through `to`, which logs it; a state object is replaced, never
 * reused, so a step that waited (a sign-in, a sign-out) knows it was overtaken when the state is no longer its own.
 */
type ConnectionLife =
  /** Nothing runs: never signed in, signed out, or a sign-in that failed. */
  | { name: 'idle' }
  /** A sign-in (with its subscriptions) is under way; `settled` resolves when it ends either way. */
  | { name: 'signingIn'; settled: Promise<void> }
  /** Signed in and watching: the message pump runs. */
  | { name: 'connected' }
  /** Lost; the next attempt is scheduled with backoff. `sessionDead`: CIC said so, so there is no "still alive?" probe. */
  | { name: 'reconnecting'; sessionDead: boolean }
  /** Lost for good (bad credentials, an untrusted certificate, a close that says do not reconnect): the agent must act. */
  | { name: 'failed' }
  /** Deleting the subscriptions and the connection on the server. */
  | { name: 'signingOut' };

export class Connection {
  private readonly session: IcwsSession;
  private readonly backoff: Backoff;
  private life: ConnectionLife = { name: 'idle' };
  /** The resources of the current life: the pump while connected, the timer while reconnecting. */
  private pump: MessagePump | null = null;
  private timer: TimerHandle | null = null;
  private active: Subscription[] = [];

  constructor(private readonly options: ConnectionOptions) {
    this.backoff = new Backoff({ random: () => options.clock.random(), ...options.backoff });
    this.session = new IcwsSession({
      transport: options.transport,
      log: options.log,
      secrets: options.secrets,
      locale: options.locale,
      clock: options.clock,
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.maxHostAttempts !== undefined ? { maxHostAttempts: options.maxHostAttempts } : {}),
      hooks: {
        password: options.password,
        renewed: (info) => this.prepare(info, true),
        renewFailed: (error) => this.onRenewFailed(error),
      },
    });
  }

  get info(): SessionInfo | null {
    return this.session.current;
  }

  get features(): Record<string, number> | null {
    return this.session.current?.features ?? null;
  }

  get isConnected(): boolean {
    return this.life.name === 'connected';
  }

  /** The one transition function: every change of the connection's life is logged here. */
  private to(next: ConnectionLife, why: string): void {
    const from = this.life.name;
    this.life = next;
    this.options.log.info('connection state', { from, to: next.name, why });
  }

  /** Signs in and starts watching. Throws the ICWS error when it fails (nothing is left running then). */
  async signIn(credentials: Credentials): Promise<SessionInfo> {
    let settle = () => {};
    const life: ConnectionLife = { name: 'signingIn', settled: new Promise<void>((resolve) => (settle = resolve)) };
    this.to(life, 'sign-in');
    try {
      return await this.runSignIn(credentials, life);
    } finally {
      settle();
    }
  }

  private async runSignIn(credentials: Credentials, life: ConnectionLife): Promise<SessionInfo> {
    // A sign-out (or another sign-in) while this one is under way wins: checked after every wait.
    const stillWanted = () => {
      if (this.life !== life) throw new IcwsAbortedError('Signed out.');
    };
    await this.release(false);
    stillWanted();
    this.backoff.reset();
    let signedIn = false;
    try {
      const info = await this.session.connect(credentials);
      signedIn = true;
      stillWanted();
      await this.prepare(info, false);
      stillWanted();
      this.connected(info, 'signed in');
      return info;
    } catch (error) {
      // A session that exists but could not be set up is deleted, not left behind on the server. When this sign-in
      // was overtaken, whoever overtook it (a sign-out, another sign-in) cleans up instead.
      if (this.life === life) {
        this.to({ name: 'idle' }, 'sign-in failed');
        await this.release(signedIn);
      }
      throw error;
    }
  }

  /** A session call (renewing on 401). */
  call: Call = (options: CallOptions): Promise<CallResult> => {
    if (!this.session.current) return Promise.reject(new IcwsNotConnectedError());
    return this.session.call(options);
  };

  /** Deletes the subscriptions and the connection on the server; afterwards no timer, request or socket is left. */
  async signOut(): Promise<void> {
    const previous = this.life;
    // Nothing runs and nothing is held on the server: only the local leftovers go (no transition to log).
    if (previous.name === 'idle') return this.release(false);
    const life: ConnectionLife = { name: 'signingOut' };
    this.to(life, 'sign-out');
    if (previous.name === 'signingIn') {
      // Still waiting for CIC to accept the sign-in: stop it (no server session is known yet). Once accepted, let the
      // set-up finish, so that the release below deletes its subscriptions and connection on the server.
      if (!this.session.current) this.session.reset();
      await previous.settled;
    }
    await this.release(true);
    if (this.life === life) this.to({ name: 'idle' }, 'signed out');
  }

  /** Stops the pump and the timer, deletes what the server holds when asked to, and forgets the session. */
  private async release(tellServer: boolean): Promise<void> {
    this.clearTimer();
    const pump = this.pump;
    this.pump = null;
    await pump?.stop();
    if (tellServer && this.session.current) {
      const call = (options: CallOptions) => this.session.call({ ...options, renew: false });
      await Promise.all(
        this.active.map((subscription) =>
          unsubscribe(call, subscription).catch((error) => this.options.log.debug('unsubscribe failed', { subscription: subscription.name, error: String(error) })),
        ),
      );
      await this.session.disconnect();
    }
    this.active = [];
    this.session.reset();
    this.options.transport.closeIdle?.();
  }

  /** Station (after a renewal) and subscriptions on a new session; their first messages (isDelta false) resync the caches. */
  private async prepare(info: SessionInfo, renewal: boolean): Promise<void> {
    const call: Call = (options) => this.session.call({ ...options, renew: false });
    if (renewal) {
      // A new session: whatever CIC said of the old one no longer holds.
      if (this.life.name === 'reconnecting') this.life.sessionDead = false;
      await this.options.restoreStation(call).catch((error) => this.options.log.warn('could not log the station in again', { error: String(error) }));
    }
    const wanted = this.options.subscriptions.filter((subscription) => {
      const available = hasFeature(info.features, subscription.need);
      if (!available) this.options.log.info('subscription skipped: feature missing', { subscription: subscription.name, need: subscription.need });
      return available;
    });
    const results = await Promise.allSettled(wanted.map((subscription) => subscribe(call, subscription, info.userId, false)));
    this.active = [];
    let fatal: unknown = null;
    results.forEach((result, index) => {
      const subscription = wanted[index] as Subscription;
      if (result.status === 'fulfilled') {
        this.active.push(subscription);
        return;
      }
      const error: unknown = result.reason;
      // A subscription CIC refuses (no right, a feature gone) leaves that part of the companion empty, not the rest.
      if (error instanceof IcwsHttpError && error.status !== 401) {
        this.options.log.warn('subscription refused', { subscription: subscription.name, status: error.status, errorId: error.errorId });
        return;
      }
      fatal ??= error;
    });
    if (fatal !== null) throw fatal;
  }

  private connected(info: SessionInfo, why: string): void {
    this.to({ name: 'connected' }, why);
    this.backoff.connected(this.options.clock.now());
    const mode: MessagingMode = info.features === null || hasFeature(info.features, FEATURES.sse) ? 'sse' : 'poll';
    const pump = new MessagePump({
      call: this.call,
      mode,
      log: this.options.log,
      clock: this.options.clock,
      host: () => (this.session.current ? hostPortOf(this.session.current.base) : 'the server'),
      ...(this.options.pollIntervalMs !== undefined ? { pollIntervalMs: this.options.pollIntervalMs } : {}),
      ...(this.options.sseSilenceMs !== undefined ? { silenceMs: this.options.sseSilenceMs } : {}),
      onMessages: (messages) => this.onMessages(messages),
      onFailure: (error) => this.lost(error),
      onModeChange: (messaging) => this.options.onEvent({ type: 'messaging', messaging }),
    });
    this.pump = pump;
    pump.start();
    this.options.onEvent({ type: 'connected', info, messaging: mode });
  }

  private onMessages(messages: IcwsMessage[]): void {
    // The connection's own message comes without a subscription; the rest is the owner's.
    for (const message of messages) {
      if (message.__type !== MESSAGE_TYPES.connectionStateChange) continue;
      const raw = message.newConnectionState;
      const state = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (!Number.isFinite(state)) {
        // Without its new state the message says nothing: a session that works is not thrown away for it.
        this.options.log.warn('malformed message skipped (newConnectionState missing)', { type: message.__type });
        continue;
      }
      if (state === 1) continue;
      const reason = typeof message.reason === 'string' ? message.reason : '';
      const ended = new IcwsSessionEndedError(reason, message.shouldReconnect !== false);
      this.options.log.info('CIC reports the connection down', { reason, shouldReconnect: ended.shouldReconnect });
      if (this.life.name === 'reconnecting') this.life.sessionDead = true;
      if (ended.shouldReconnect) this.lost(ended, true);
      else this.fail(ended);
    }
    this.options.onMessages(messages);
  }

  private onRenewFailed(error: unknown): void {
    if (isTerminal(error)) this.fail(error);
    else this.lost(error);
  }

  /** The connection broke: stop watching, come back with backoff. */
  private lost(error: unknown, sessionDead = false): void {
    if (this.life.name !== 'connected') return;
    if (isTerminal(error)) return this.fail(error);
    this.options.log.warn('connection lost; reconnecting', { error: String(error) });
    this.to({ name: 'reconnecting', sessionDead }, 'connection lost');
    this.backoff.disconnected(this.options.clock.now());
    const pump = this.pump;
    this.pump = null;
    void pump?.stop();
    this.schedule(error);
  }

  private fail(error: unknown): void {
    if (this.life.name !== 'connected' && this.life.name !== 'reconnecting') return;
    this.options.log.warn('connection failed for good', { error: String(error) });
    this.to({ name: 'failed' }, 'not recoverable');
    this.clearTimer();
    const pump = this.pump;
    this.pump = null;
    void pump?.stop();
    this.active = [];
    this.session.reset();
    this.options.transport.closeIdle?.();
    this.options.onEvent({ type: 'failed', error });
  }

  private schedule(error: unknown): void {
    const delay = this.backoff.next();
    const nextAttemptAt = this.options.clock.now() + delay;
    this.clearTimer();
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = null;
      void this.attempt();
    }, delay);
    this.options.onEvent({ type: 'reconnecting', error, nextAttemptAt });
  }

  private async attempt(): Promise<void> {
    const life = this.life;
    if (life.name !== 'reconnecting') return;
    try {
      let alive = false;
      if (this.session.current && !life.sessionDead) {
        try {
          const { body } = await connectionState(this.call);
          const state = (body as { connectionState?: unknown } | null)?.connectionState;
          alive = state === undefined || Number(state) === 1;
        } catch (error) {
          // 401: the session is gone. A server that cannot be reached or fails may never answer for this session
          // again (the active member of a switchover pair died): sign in from scratch, which walks the alternates.
          const reachable = !(error instanceof IcwsNetworkError || error instanceof IcwsTimeoutError);
          if (reachable && !(error instanceof IcwsHttpError && (error.status === 401 || error.status >= 500))) throw error;
        }
      }
      if (this.life !== life) return;
      if (alive) this.options.log.info('session still alive; resuming');
      const info = alive && this.session.current ? this.session.current : await this.session.renew();
      if (this.life !== life) return;
      this.connected(info, alive ? 'session still alive' : 'signed in again');
    } catch (error) {
      if (this.life !== life || error instanceof IcwsAbortedError) return;
      if (isTerminal(error)) return this.fail(error);
      this.options.log.info('reconnect attempt failed', { error: String(error), attempts: this.backoff.attempts });
      this.schedule(error);
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) this.options.clock.clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Failures no retry can fix: the agent has to act (sign in again, pin a certificate). */
function isTerminal(error: unknown): boolean {
  if (isAuthenticationFailure(error)) return true;
  if (error instanceof IcwsNotConnectedError || error instanceof IcwsCertificateError) return true;
  if (error instanceof IcwsSessionEndedError) return !error.shouldReconnect;
  if (error instanceof IcwsHttpError) return error.status === 410 || error.status === 403;
  return !(error instanceof IcwsNetworkError || error instanceof IcwsTimeoutError || error instanceof IcwsProtocolError || error instanceof IcwsHttpError);
}
