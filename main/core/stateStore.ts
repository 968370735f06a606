/**
 * The public state and its one emission path. Changes made inside `batch` (all the messages of one delivery, one
 * action's effects) go out as a single `state.changed`; a change that leaves the state as it was is never emitted.
 */
import type { PublicState } from '../../preload/contract';

export class StateStore {
  private state: PublicState;
  private depth = 0;
  /**
   * What was last emitted, per property of each slice (`voicemail.messages`, `station.id`…), by reference and as JSON.
   * A property whose object is the same as last time is not serialised again: with 10,000 voicemails, a station change
   * must not re-serialise the mailbox just to learn that it did not change.
   */
  private readonly emitted = new Map<string, { ref: unknown; json?: string }>();

  constructor(
    initial: PublicState,
    private readonly emit: (state: PublicState) => void,
  ) {
    this.state = initial;
    this.changedSinceEmitted();
  }

  get value(): PublicState {
    return this.state;
  }

  update(patch: Partial<PublicState> | ((state: PublicState) => Partial<PublicState>)): void {
    const change = typeof patch === 'function' ? patch(this.state) : patch;
    this.state = { ...this.state, ...change };
    if (this.depth === 0) this.flush();
  }

  batch<T>(run: () => T): T {
    this.depth++;
    try {
      return run();
    } finally {
      this.depth--;
      if (this.depth === 0) this.flush();
    }
  }

  private flush(): void {
    if (this.changedSinceEmitted()) this.emit(this.state);
  }

  /** Compares the state with what was last emitted (and remembers it): true when anything an observer sees differs. */
  private changedSinceEmitted(): boolean {
    const seen = new Set<string>();
    let changed = false;
    const visit = (path: string, value: unknown) => {
      seen.add(path);
      const before = this.emitted.get(path);
      if (before && before.ref === value) return;
      // Lists of another length differ without serialising them (a mailbox loading, a voicemail arriving).
      if (!before || (Array.isArray(value) && Array.isArray(before.ref) && value.length !== before.ref.length)) {
        changed = true;
        this.emitted.set(path, { ref: value });
        return;
      }
      const json = JSON.stringify(value) ?? 'undefined';
      if ((before.json ??= JSON.stringify(before.ref) ?? 'undefined') !== json) changed = true;
      this.emitted.set(path, { ref: value, json });
    };
    for (const [key, slice] of Object.entries(this.state)) {
      if (slice !== null && typeof slice === 'object' && !Array.isArray(slice)) {
        for (const [property, value] of Object.entries(slice)) visit(`${key}.${property}`, value);
      } else {
        visit(key, slice);
      }
    }
    for (const path of this.emitted.keys()) {
      if (!seen.has(path)) {
        this.emitted.delete(path);
        changed = true;
      }
    }
    return changed;
  }
}
