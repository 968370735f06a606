import { commandNames, type Result } from '../../../preload/contract';
import type { CommandHandlers } from '../../../preload/contract';

/** Handlers that echo what reached them after validation, so transport tests see exactly what a handler would get. */
export function echoHandlers(overrides: Partial<Record<string, (params: unknown) => Promise<Result<unknown>>>> = {}): CommandHandlers {
  const handlers: Record<string, (params: unknown) => Promise<Result<unknown>>> = {};
  for (const name of commandNames) {
    handlers[name] = overrides[name] ?? (async (params) => ({ ok: true, value: { command: name, params: params ?? null } }));
  }
  return handlers as unknown as CommandHandlers;
}
