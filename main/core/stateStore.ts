/**
 * The public state and its one emission path. Changes made inside `batch` (all the messages of one delivery, one
 * action's effects) go out as a single `state.changed`; a change that leaves the state as it was is never emitted.
 */
import type { PublicState } from '../../preload/contract';

export class StateStore {
  private state: PublicState;
  private depth = 0;
  private lastEmitted: string;

  constructor(
    initial: PublicState,
    private readonly emit: (state: PublicState) => void,
  ) {
    this.state = initial;
    this.lastEmitted = JSON.stringify(initial);
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
    const serialized = JSON.stringify(this.state);
    if (serialized === this.lastEmitted) return;
    this.lastEmitted = serialized;
    this.emit(this.state);
  }
}
