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

/**
 * What the renderer sees as `window.companion` (Electron) or builds over the bridge (browser): one typed function per
 * command, grouped by namespace (`companion.station.logIn({...})`), and `on` for events.
 */
export type CompanionApi = {
  [NS in Namespace]: { [M in MethodOf<CommandName, NS>]: CommandFunction<`${NS}.${M}` & CommandName> };
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): Unsubscribe;
};

/** The one primitive both transports implement; `buildCompanionApi` turns it into the namespaced API. */
export interface CompanionTransport {
  call<K extends CommandName>(name: K, params: ParamsOf<K> | undefined): Promise<Result<ResultOf<K>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): Unsubscribe;
}

export function buildCompanionApi(names: readonly CommandName[], transport: CompanionTransport): CompanionApi {
  const api: Record<string, Record<string, unknown>> = {};
  for (const name of names) {
    const [ns, method] = name.split('.') as [string, string];
    (api[ns] ??= {})[method] = (params?: unknown) => transport.call(name, params as ParamsOf<typeof name>);
  }
  return Object.assign(api, { on: transport.on.bind(transport) }) as unknown as CompanionApi;
}
