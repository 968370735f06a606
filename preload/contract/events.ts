import type { StateChange } from './stateChange';
import type { Settings } from './settings';

/** Events the main side pushes to every window and bridge client. */
export interface EventPayloads {
  /** Only what changed, by slice, with a revision (see `stateChange.ts`). */
  'state.changed': StateChange;
  'settings.changed': Settings;
}
export type EventName = keyof EventPayloads;
export const eventNames: readonly EventName[] = ['state.changed', 'settings.changed'];
