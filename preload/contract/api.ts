import type { ParamsOf, ResultOf } from './commands';
import type { CommandName } from './names';
import type { EventName, EventPayloads } from './events';
import type { Result } from './errors';

type NamespaceOf<K> = K extends `${infer NS}.${string}` ? NS : never;
type MethodOf<K, NS extends string> = K extends `${NS}.${infer M}` ? M : never;
export type Namespace = NamespaceOf<CommandName>;

/** Commands whose parameters may be left out entirely take an optional argument. */
export type CommandFunction<K extends CommandName> = undefined extends ParamsOf<K>
  ? (params?: ParamsOf<K>) => Promise<Result<ResultOf<K>>>
  : (params: ParamsOf<K>) => Promise<Result<ResultOf<K>>>;

export type Unsubscribe = () => void;

/** One typed function per command, grouped by namespace (`api.station.logIn({...})`). */
export type CommandApi = {
  [NS in Namespace]: { [M in MethodOf<CommandName, NS>]: CommandFunction<`${NS}.${M}` & CommandName> };
};

/**
 * What the renderer sees as `window.companion` (Electron) or builds over the bridge (browser): the commands, and `on`
 * for events.
 */
export type CompanionApi = CommandApi & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): Unsubscribe;
};

/** The one primitive both transports implement; `buildCompanionApi` turns it into the namespaced API. */
export interface CompanionTransport {
  call<K extends CommandName>(name: K, params: ParamsOf<K> | undefined): Promise<Result<ResultOf<K>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): Unsubscribe;
}

/**
 * The namespaced commands over one `call`: the preload, the browser transport and the main side's own callers (the tray,
 * the hotkeys, the command line) all build their API here, so the compiler checks every caller's parameters.
 */
export function buildCommandApi(names: readonly CommandName[], call: CompanionTransport['call']): CommandApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of names) {
    const [ns, method] = name.split('.') as [string, string];
    (api[ns] ??= {})[method] = (params?: unknown) => call(name, params as ParamsOf<typeof name>);
  }
  // Built from the full list of names, so every namespace and method of the type is there.
  return api as CommandApi;
}

export function buildCompanionApi(names: readonly CommandName[], transport: CompanionTransport): CompanionApi {
  return Object.assign(buildCommandApi(names, transport.call.bind(transport)), { on: transport.on.bind(transport) });
}
