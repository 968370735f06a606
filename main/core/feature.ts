/**
 * What a capability of the core is made of, and what the companion hands it. A feature owns its ICWS subscriptions and
 * message types, its caches, its slices of the public state, its commands, and what it forgets when the agent signs out
 * or the connection fails for good. The companion only routes: message type → feature, command → handler, slices → state.
 */
import type { CommandHandlers, CommandName, CompanionError, ErrorKind, Namespace, PublicState, Result } from '../../preload/contract';
import type { Call, FeatureNeed, Subscription } from '../icws/api';
import type { IcwsMessage } from '../icws/messages';
import type { Action } from './errors';
import type { Logger, SecretRegistry } from '../common/log';
import type { LoadedPolicy } from './settings/policy';
import type { StateStore } from './stateStore';


/** The handlers of the commands of some namespaces (`station` → `station.logIn`, `station.logOut`). */
export type HandlersOf<NS extends Namespace> = {
  [K in CommandName as K extends `${NS}.${string}` ? K : never]: CommandHandlers[K];
};

type Intersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never;
type HandlersIn<F> = F extends { handlers: infer H } ? H : Record<never, never>;

/**
 * Every feature's handlers in one object, typed as all of them together: where the result must be `CommandHandlers`,
 * the compiler names any command no feature handles.
 */
export function handlersOf<F extends readonly object[]>(...features: F): Intersection<HandlersIn<F[number]>> {
  return Object.assign({}, ...features.map((feature) => ('handlers' in feature ? feature.handlers : {})));
}

/** One ICWS message type a feature consumes; `keyed` messages come as a whole (isDelta false) or as changes. */
export interface MessageRoute {
  keyed: boolean;
  apply(message: IcwsMessage): void;
}

/** Why a feature forgets what it knew: the agent signed out, or the connection failed for good. */
export type ResetReason = 'signOut' | 'failure';

export interface Feature {
  /** The capability, as the log names it. */
  readonly name: string;
  /** The subscriptions this feature needs on every new session, in the order they are made. */
  readonly subscriptions?: readonly Subscription[];
  /** The message types this feature consumes, by `__type`. */
  readonly messages?: Readonly<Record<string, MessageRoute>>;
  /** After every delivery (all its messages applied): publish its slices. */
  delivered?(): void;
  /** Once per turn of the event loop, after that turn's deliveries: for a slice too costly to read per delivery (the mailbox). */
  settled?(): void;
  /** Forgets its caches; returns its slices as they are then. */
  reset?(reason: ResetReason): Partial<PublicState>;
}

/** The account signed in to (or signing in), as the features other than the session need it. */
export interface Account {
  base: string;
  userId: string;
  demo: boolean;
}

/** What every feature may use: the state, the session's call, the common path of actions, logging and secrets. */
export interface CoreContext {
  readonly store: StateStore;
  readonly log: Logger;
  readonly secrets: SecretRegistry;
  readonly policy: LoadedPolicy;
  /** A call on the current session (renewing on 401). */
  readonly call: Call;
  /** The ICWS feature versions of the current session; null when the server would not say. */
  features(): Record<string, number> | null;
  account(): Account | null;
  /** `host:port` of the server signed in to, for sentences. */
  serverName(): string;
  /** An ICWS failure → the agent's sentence, with every secret of this run taken out. */
  errorOf(error: unknown, action: Action): CompanionError;
  /** Common path of every CIC action: signed in, feature present, then the request; errors become agent sentences. */
  act<T>(action: Action, need: FeatureNeed | null, run: () => Promise<T>): Promise<Result<T>>;
}

/** An action's own refusal (before or instead of a request), carried to `act` as a value. */
export class Refusal extends Error {
  constructor(readonly error: CompanionError) {
    super(error.message);
  }
}

export const refuse = (kind: ErrorKind, message: string): Refusal => new Refusal({ kind, message });
