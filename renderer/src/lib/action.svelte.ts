import type { CompanionError, Result } from '../../../preload/contract';
import type { Announcer } from './announcer.svelte';

/**
 * One thing the agent can do, with its progress and outcome: `pending` while the command runs, then either `done`
 * (a sentence saying what happened) or `error` (the contract's message). Both are shown inline next to the control.
 */
export class Action {
  pending = $state(false);
  done = $state<string | null>(null);
  error = $state.raw<CompanionError | null>(null);

  /** `announcer` is read when there is something to say, so a component can pass `() => store.announcer`. */
  constructor(private readonly announcerOf: () => Announcer | undefined = () => undefined) {}

  private get announcer(): Announcer | undefined {
    return this.announcerOf();
  }

  async run<T>(command: () => Promise<Result<T>>, success?: string | ((value: T) => string | null) | null): Promise<Result<T>> {
    this.pending = true;
    this.done = null;
    this.error = null;
    let result: Result<T>;
    try {
      result = await command();
    } catch (error) {
      result = { ok: false, error: { kind: 'internal', message: error instanceof Error ? error.message : String(error) } };
    }
    this.pending = false;
    if (result.ok) {
      const text = typeof success === 'function' ? success(result.value) : (success ?? null);
      this.done = text;
      if (text) this.announcer?.announce(text);
    } else {
      this.error = result.error;
      this.announcer?.announce(result.error.message);
    }
    return result;
  }

  /** Show a problem found before anything was sent (e.g. an empty field). */
  reject(message: string): void {
    this.done = null;
    this.error = { kind: 'invalidInput', message };
    this.announcer?.announce(message);
  }

  reset(): void {
    this.done = null;
    this.error = null;
  }
}
