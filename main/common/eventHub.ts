import type { EventName, EventPayloads, Unsubscribe } from '../../preload/contract';

/** Fan-out of the contract's events to every transport (IPC windows, bridge clients, the tray). */
export class EventHub {
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>();

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        (listener as (payload: EventPayloads[E]) => void)(payload);
      } catch {
        // One broken listener (a closed socket, a destroyed window) must not stop the others.
      }
    }
  }
}
