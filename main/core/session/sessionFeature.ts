/**
 * Signing in and out: the password (the keychain, or this run's copy), "Try the demo", forgetting a saved password, and
 * the connection and features slices as the connection's events change them. The connection's own life (sign-in,
 * reconnects, failure) is `Connection`'s, in main/icws/; this is the agent's side of it.
 */
import { fail, initialState, ok, type ConnectionState, type PublicState, type Result } from '../../../preload/contract';
import { MESSAGE_TYPES } from '../../icws/api';
import type { MessagingMode } from '../../icws/messages';
import { isAuthenticationFailure } from '../../icws/errors';
import { displayHost, normalizeServerUrl } from '../../icws/url';
import type { Connection, ConnectionEvent } from '../../icws/connection';
import { credentialAccount, reasonOf, type CredentialStore } from './credentials';
import type { Account, CoreContext, Feature, HandlersOf } from '../feature';
import { demoRefusal, signInRefusal } from '../settings/policy';
import type { SettingsFeature } from '../settings/settingsFeature';
import type { StationFeature } from '../station/stationFeature';

export interface DemoServer {
  url: string;
  close?: () => Promise<void>;
}

const DEMO_USER = { userId: 'agent1', password: '1234', workstation: '7001' } as const;

interface SignInRequest {
  server: string;
  userId: string;
  password?: string;
  remember?: boolean;
}

export interface SessionFeatureDeps {
  connection: () => Connection;
  settings: SettingsFeature;
  station: StationFeature;
  /** The OS keychain; without one, passwords are kept for the run only. */
  credentials?: CredentialStore;
  startDemoServer?: () => Promise<DemoServer>;
  /** Every other feature forgets what it knew; returns their slices, published with the connection's in one change. */
  resetFeatures: (reason: 'signOut' | 'failure') => Partial<PublicState>;
}

/**
 * Where the agent's sign-in stands. Each sign-in gets a state object of its own: a slower, older sign-in that finds
 * another one in place knows it was superseded (by a sign-out or another sign-in) and says so instead of failing.
 */
type SignInLife =
  | { name: 'signedOut' }
  /** Signing in; the connection may already be up while the keychain and the settings finish: its `connected` event
   * then waits here (with the messaging mode it reported) so the agent sees one complete change. */
  | { name: 'signingIn'; account: Account; messaging: MessagingMode }
  | { name: 'signedIn'; account: Account };

export class SessionFeature implements Feature {
  readonly name = 'session';
  private life: SignInLife = { name: 'signedOut' };
  /** This run's copy of the password, for signing in again when the keychain has none (or cannot answer). */
  private runPassword: string | null = null;
  private passwordSaved: { saved: boolean; reason?: string } = { saved: false };
  private demoServer: Promise<DemoServer> | null = null;

  constructor(
    private readonly ctx: CoreContext,
    private readonly deps: SessionFeatureDeps,
  ) {}

  /** The connection's own message: the connection acts on it, nothing here. */
  readonly messages = {
    [MESSAGE_TYPES.connectionStateChange]: { keyed: false, apply: () => {} },
  };

  get account(): Account | null {
    return this.life.name === 'signedOut' ? null : this.life.account;
  }

  private get connection(): Connection {
    return this.deps.connection();
  }

  /** A sign-in overtaken by a sign-out or by another sign-in: say which, not that something failed. */
  private superseded(): Result<never> {
    return this.life.name === 'signedOut'
      ? fail('notSignedIn', 'You signed out before this sign-in finished.')
      : fail('notSignedIn', 'Another sign-in replaced this one.');
  }

  private async signIn(request: SignInRequest, demo = false): Promise<Result<ConnectionState>> {
    const { policy, log, secrets, store } = this.ctx;
    const normalized = normalizeServerUrl(request.server);
    if (!normalized.ok) return fail('invalidInput', normalized.message);
    const base = normalized.base;
    const refusal = demo ? null : signInRefusal(base, request.remember, policy);
    if (refusal) return fail('refused', refusal);
    const userId = request.userId;
    const accountKey = credentialAccount(userId, base);
    const server = displayHost(base);

    let password = request.password && request.password !== '' ? request.password : null;
    let fromKeychain = false;
    if (password === null) {
      let why: string | null = null;
      if (!policy.policy.rememberPasswordAllowed) {
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
    secrets.add(password);

    await this.signOut();
    const life: SignInLife = { name: 'signingIn', account: { base, userId, demo }, messaging: 'sse' };
    this.life = life;
    this.runPassword = password;
    this.passwordSaved = { saved: false };
    store.update({ connection: { status: 'connecting', server: base, userId, ...(demo ? { demo: true } : {}) } });

    try {
      await this.connection.signIn({ base, userId, password });
    } catch (error) {
      if (this.life !== life) return this.superseded();
      const companionError = this.ctx.errorOf(error, 'signIn');
      if (fromKeychain && isAuthenticationFailure(error)) {
        companionError.message = `CIC did not accept the saved password for ${userId}. Enter your password.`;
      }
      log.warn('sign-in failed', { server, userId, kind: companionError.kind, errorId: companionError.errorId });
      this.runPassword = null;
      this.life = { name: 'signedOut' };
      store.update({ connection: { status: 'failed', server: base, userId, error: companionError, ...(demo ? { demo: true } : {}) } });
      return { ok: false, error: companionError };
    }
    if (this.life !== life) return this.superseded();

    if (!demo) {
      const remember = request.remember ?? (fromKeychain ? true : this.deps.settings.value.rememberPassword);
      this.passwordSaved = await this.storePassword(accountKey, password, remember, fromKeychain);
      if (this.life !== life) return this.superseded();
      const saved = await this.deps.settings.save((settings) => ({ ...settings, server: base, userId, rememberPassword: remember }));
      if (this.life !== life) return this.superseded();
      if (!saved.ok) this.deps.settings.warn(saved.error.message);
    }
    const messaging = life.messaging;
    this.life = { name: 'signedIn', account: life.account };
    const info = this.connection.info;
    if (info && this.connection.isConnected) this.publishConnected(info.base, info.displayName, info.features, messaging);
    return ok(store.value.connection);
  }

  /** "Remember me": the keychain and nowhere else; a keychain that refuses only costs the saving, never the sign-in. */
  private async storePassword(account: string, password: string, remember: boolean, fromKeychain: boolean): Promise<{ saved: boolean; reason?: string }> {
    const store = this.deps.credentials;
    if (fromKeychain) return { saved: true };
    if (!remember) {
      // Unticking "remember me" also removes what an earlier sign-in saved.
      await store?.delete(account).catch((error) => this.ctx.log.debug('could not delete the saved password', { reason: reasonOf(error) }));
      return { saved: false };
    }
    if (!store) return { saved: false, reason: 'This version of the companion has no access to a system keychain; the password is kept until you quit.' };
    try {
      await store.set(account, password);
      return { saved: true };
    } catch (error) {
      const reason = `${reasonOf(error)} The password is kept only until you quit.`;
      this.ctx.log.warn('password not saved in the keychain', { reason });
      return { saved: false, reason };
    }
  }

  /** The password for signing in again: the keychain's when it was saved there, else this run's copy. */
  async passwordForRenewal(): Promise<string | null> {
    const account = this.account;
    if (!account) return null;
    if (!account.demo && this.passwordSaved.saved && this.deps.credentials) {
      try {
        const saved = await this.deps.credentials.get(credentialAccount(account.userId, account.base));
        if (saved) {
          this.ctx.secrets.add(saved);
          return saved;
        }
      } catch (error) {
        this.ctx.log.info('keychain unavailable for signing in again; using this run’s copy', { reason: reasonOf(error) });
      }
    }
    return this.runPassword;
  }

  /** Signs out (subscriptions and connection deleted on the server); every feature forgets what it knew. */
  async signOut(): Promise<void> {
    // First: a sign-in still under way sees at once that the agent signed out.
    this.life = { name: 'signedOut' };
    await this.connection.signOut();
    this.runPassword = null;
    this.passwordSaved = { saved: false };
    const slices = this.deps.resetFeatures('signOut');
    const initial = initialState();
    this.ctx.store.update({ connection: initial.connection, ...slices, features: initial.features });
  }

  /** Signs out and closes the demo server; nothing keeps running afterwards. */
  async stop(): Promise<void> {
    await this.signOut();
    const demo = this.demoServer;
    this.demoServer = null;
    if (demo) {
      try {
        await (await demo).close?.();
      } catch (error) {
        this.ctx.log.warn('closing the demo server failed', { error: String(error) });
      }
    }
  }

  private async startDemo(): Promise<Result<ConnectionState>> {
    const refusal = demoRefusal(this.ctx.policy);
    if (refusal) return fail('refused', refusal);
    const launch = this.deps.startDemoServer;
    if (!launch) return fail('unsupported', 'The demo is not available in this version of the companion.');
    this.demoServer ??= launch();
    let demo: DemoServer;
    try {
      demo = await this.demoServer;
    } catch (error) {
      this.demoServer = null;
      this.ctx.log.error('demo server did not start', { error: String(error) });
      return fail('internal', 'The demo server could not be started. The details are in the log.');
    }
    const signedIn = await this.signIn({ server: demo.url, userId: DEMO_USER.userId, password: DEMO_USER.password, remember: false }, true);
    if (!signedIn.ok) return signedIn;
    // The demo shows a working agent: logged in to a workstation, so the Dialer call and playback work at once.
    const station = await this.deps.station.handlers['station.logIn']({ kind: 'workstation', workstation: DEMO_USER.workstation });
    if (!station.ok) this.ctx.log.warn('demo station logon failed', { kind: station.error.kind });
    return ok(this.ctx.store.value.connection);
  }

  private async forgetPassword(params: { server: string; userId: string } | undefined): Promise<Result<null>> {
    const settings = this.deps.settings.value;
    const account = this.account;
    const server = params?.server ?? account?.base ?? settings.server;
    const userId = params?.userId ?? account?.userId ?? settings.userId;
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
    if (account && account.base === normalized.base && account.userId === userId) {
      this.passwordSaved = { saved: false };
      const connection = this.ctx.store.value.connection;
      if (connection.status !== 'signedOut') {
        const { passwordNotSavedReason: _reason, ...rest } = connection;
        this.ctx.store.update({ connection: { ...rest, passwordSaved: false } });
      }
    }
    if (this.deps.settings.value.rememberPassword) await this.deps.settings.save((current) => ({ ...current, rememberPassword: false }));
    return ok(null);
  }

  /** The connection's events → the connection slice; a failure for good also empties every feature's slices. */
  onConnectionEvent(event: ConnectionEvent): void {
    const { store } = this.ctx;
    const current = store.value.connection;
    switch (event.type) {
      case 'connected':
        if (this.life.name === 'signingIn') {
          // The sign-in publishes it once the keychain is done; remember the mode meanwhile.
          this.life.messaging = event.messaging;
          return;
        }
        this.publishConnected(event.info.base, event.info.displayName, event.info.features, event.messaging);
        return;
      case 'messaging':
        if (this.life.name === 'signingIn') {
          this.life.messaging = event.messaging;
          return;
        }
        if (current.status === 'signedOut') return;
        store.update({ connection: { ...current, messaging: event.messaging } });
        return;
      case 'reconnecting': {
        const { error: _e, nextAttemptAt: _n, ...rest } = current;
        store.update({ connection: { ...rest, status: 'reconnecting', error: this.ctx.errorOf(event.error, 'signIn'), nextAttemptAt: event.nextAttemptAt } });
        return;
      }
      case 'failed': {
        const { nextAttemptAt: _n, messaging: _m, ...rest } = current;
        const slices = this.deps.resetFeatures('failure');
        store.update({ connection: { ...rest, status: 'failed', error: this.ctx.errorOf(event.error, 'signIn') }, ...slices });
        return;
      }
    }
  }

  private publishConnected(base: string, displayName: string, features: Record<string, number> | null, messaging: MessagingMode): void {
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
      ...this.deps.station.lastStationOf(account),
    };
    this.ctx.store.update({ connection, features: features ?? {} });
  }

  readonly handlers: HandlersOf<'session'> = {
    'session.signIn': (params) => this.signIn(params),
    'session.startDemo': () => this.startDemo(),
    'session.signOut': async () => {
      await this.signOut();
      return ok(null);
    },
    'session.forgetPassword': (params) => this.forgetPassword(params),
  };
}
