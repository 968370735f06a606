import type { CommandName, CompanionApi, CompanionTransport } from '../../../preload/contract';

/**
 * The namespaced API over any transport, without the contract's runtime list of command names (which would pull zod into
 * the bundle): `api.station.logIn(p)` becomes `transport.call('station.logIn', p)`.
 */
export function apiOver(transport: CompanionTransport): CompanionApi {
  const namespaces = new Map<string, object>();
  const on = transport.on.bind(transport);
  return new Proxy({} as CompanionApi, {
    get(_target, ns) {
      if (ns === 'on') return on;
      if (typeof ns !== 'string') return undefined;
      let methods = namespaces.get(ns);
      if (!methods) {
        methods = new Proxy(
          {},
          {
            get(_t, method) {
              if (typeof method !== 'string') return undefined;
              return (params?: unknown) => transport.call(`${ns}.${method}` as CommandName, params as never);
            },
          },
        );
        namespaces.set(ns, methods);
      }
      return methods;
    },
  });
}
