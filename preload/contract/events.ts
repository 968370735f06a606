import type { PublicState } from './state';
import type { Settings } from './settings';

/** Events the main side pushes to every window and bridge client. */
export interface EventPayloads {
  'state.changed': PublicState;
  'settings.changed': Settings;
}
export type EventName = keyof EventPayloads;
export const eventNames: readonly EventName[] = ['state.changed', 'settings.changed'];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (eventNames as readonly string[]).includes(name);
}
