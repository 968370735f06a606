import type {
  AppInfo,
  CommandName,
  CompanionApi,
  CompanionTransport,
  EventName,
  ErrorKind,
  EventPayloads,
  ParamsOf,
  PublicState,
  Result,
  ResultOf,
  Settings,
  StationState,
  Unsubscribe,
  VoicemailMessage,
} from '../../preload/contract';
import { buildCompanionApi, commandNames } from '../../preload/contract';
import type { Link, LinkStatus } from '../../renderer/src/transport/link';
import { CompanionStore, emptyState } from '../../renderer/src/lib/store.svelte';

type Handler = (params: unknown) => Result<unknown> | Promise<Result<unknown>>;

export function defaultSettings(): Settings {
  return {
    server: null,
    userId: null,
    rememberPassword: false,
    hotkeys: { stopPlayback: 'CommandOrControl+Alt+S', recordFollowMe: 'CommandOrControl+Alt+R' },
    notifications: { station: true, session: true, voicemail: true, actionFailures: true },
    startAtLogin: false,
    startHidden: false,
    certificatePins: [],
    bridge: { enabled: false, port: 0 },
    window: null,
    lastStations: {},
  };
}

export const info: AppInfo = { name: 'ICWS Companion', version: '0.1.0', runtime: 'node', platform: 'linux', demoAvailable: true };

export function signedIn(patch: Partial<PublicState> = {}): PublicState {
  return {
    ...emptyState(),
    connection: { status: 'connected', server: 'https://cic1:8019', userId: 'agent1', displayName: 'Agent One', messaging: 'sse' },
    ...patch,
  };
}

export const workstation: StationState = {
  id: 'st-7001',
  extension: '7001',
  kind: 'workstation',
  mediaTypes: ['call', 'chat'],
};

export function voicemails(count: number): VoicemailMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `vm-${i + 1}`,
    from: `Caller ${i + 1}`,
    subject: `Message ${i + 1}`,
    received: new Date(Date.UTC(2025, 0, 1, 0, 0, 0) + (count - i) * 60_000).toISOString(),
    read: i % 2 === 1,
  }));
}

/**
 * A companion in memory: answers commands from `handlers` (by default: the current state / settings and `ok(null)`),
 * records every call, and lets a test push events and link changes as the real transports would.
 */
export class FakeCompanion implements CompanionTransport, Link {
  state: PublicState;
  revision = 0;
  settings: Settings;
  readonly calls: { name: CommandName; params: unknown }[] = [];
  readonly handlers = new Map<CommandName, Handler>();
  status: LinkStatus = { state: 'open' };
  private readonly listeners = new Map<string, Set<(payload: never) => void>>();
  private readonly statusListeners = new Set<(status: LinkStatus) => void>();

  constructor(state: PublicState = emptyState(), settings: Settings = defaultSettings()) {
    this.state = state;
    this.settings = settings;
  }

  handle<K extends CommandName>(name: K, handler: (params: ParamsOf<K>) => Result<ResultOf<K>> | Promise<Result<ResultOf<K>>>): this {
    this.handlers.set(name, handler as Handler);
    return this;
  }

  /** Make a command fail with a contract error. */
  fail(name: CommandName, kind: ErrorKind, message: string, extra: object = {}): this {
    return this.handle(name, () => ({ ok: false, error: { kind, message, ...extra } }));
  }

  callsOf(name: CommandName): unknown[] {
    return this.calls.filter((call) => call.name === name).map((call) => call.params);
  }

  async call<K extends CommandName>(name: K, params: ParamsOf<K> | undefined): Promise<Result<ResultOf<K>>> {
    this.calls.push({ name, params });
    const handler = this.handlers.get(name);
    if (handler) return (await handler(params)) as Result<ResultOf<K>>;
    switch (name) {
      case 'state.get':
        return { ok: true, value: { ...this.state, revision: this.revision } } as Result<ResultOf<K>>;
      case 'settings.get':
        return { ok: true, value: this.settings } as Result<ResultOf<K>>;
      case 'app.info':
        return { ok: true, value: info } as Result<ResultOf<K>>;
      case 'station.logIn':
        return { ok: true, value: workstation } as Result<ResultOf<K>>;
      default:
        return { ok: true, value: null } as Result<ResultOf<K>>;
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  onStatus(listener: (status: LinkStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Push `state.changed` as the main side does: the changed slices, with the next revision. */
  push(patch: Partial<PublicState>): void {
    this.state = { ...this.state, ...patch };
    this.emit('state.changed', { revision: ++this.revision, slices: patch });
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners.get(event) ?? []) (listener as (p: EventPayloads[E]) => void)(payload);
  }

  pushSettings(patch: Partial<Settings>): void {
    this.settings = { ...this.settings, ...patch };
    for (const listener of this.listeners.get('settings.changed') ?? []) (listener as (p: Settings) => void)(this.settings);
  }

  setLink(status: LinkStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  get api(): CompanionApi {
    return buildCompanionApi(commandNames, this);
  }

  /** A started store over this fake, with its first snapshot read. */
  async store(): Promise<CompanionStore> {
    const store = new CompanionStore(this.api, this);
    store.start();
    await store.resync();
    return store;
  }
}
