/**
 * The public state and its one emission path. Changes made inside `batch` (one action's effects) go out as a single
 * `state.changed`; deliveries handed to `deliver` within one turn of the event loop go out together at its end. A
 * change carries only the slices that changed, with the next revision; an update that leaves the state as it was is
 * never emitted.
 *
 * Whether a slice changed is known from the update itself: by reference, then by comparing the small slices field by
 * field. The mailbox is never compared: its list is a new array exactly when it changed, and the voicemail watch says
 * which messages changed (`MailboxChange`), so a delta costs what it changed, whatever the size of the mailbox.
 */
import { mailboxChangeOf, type ChangedSlices, type MailboxChange, type PublicState, type SliceName, type StateChange, type StateSnapshot, type VoicemailMessage } from '../../preload/contract';

/** Past this share of the list, the whole list is sent instead of the messages that changed. */
const WHOLE_LIST_SHARE = 0.5;

export class StateStore {
  private state: PublicState;
  private revision = 0;
  private depth = 0;
  private readonly changed = new Set<SliceName>();
  /** The mailbox messages changed since the last emission (null: removed), or 'whole' when the list was replaced. */
  private mailbox: Map<string, VoicemailMessage | null> | 'whole' | null = null;
  private deferred: ReturnType<typeof setImmediate> | null = null;
  private readonly pulls = new Set<() => void>();

  /**
   * `handOut` runs whenever the state leaves the store (a change emitted, a snapshot taken): from then on, whoever
   * edits a slice in place (the mailbox) must copy it first.
   */
  constructor(
    initial: PublicState,
    private readonly emit: (change: StateChange) => void,
    private readonly handOut: () => void = () => {},
  ) {
    this.state = initial;
  }

  get value(): PublicState {
    return this.state;
  }

  /** The state for a caller that may keep it (the tray, notifications comparing with the previous state). */
  get shared(): PublicState {
    this.handOut();
    return this.state;
  }

  /** The whole state with its revision; anything still waiting for the end of the turn is emitted first. */
  snapshot(): StateSnapshot {
    if (this.deferred !== null) this.flush();
    this.handOut();
    return { ...this.state, revision: this.revision };
  }

  /**
   * `mailbox` says which messages of `voicemail.messages` changed (the list may be the same array, edited in place), or
   * that it was replaced ('whole'); without it, a list that is another array goes out whole.
   */
  update(patch: Partial<PublicState> | ((state: PublicState) => Partial<PublicState>), mailbox?: MailboxChange | 'whole'): void {
    const change = typeof patch === 'function' ? patch(this.state) : patch;
    this.record(change, mailbox);
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

  /**
   * For deliveries from the server: applied now, emitted once at the end of this turn of the event loop, so the many
   * stream chunks a busy server sends in one burst cost one change. Any other update emits them with its own. `pull`
   * runs once before that emission, for a slice that is costly to read (the mailbox) and is then read once per turn.
   */
  deliver(run: () => void, pull?: () => void): void {
    if (pull) this.pulls.add(pull);
    this.depth++;
    try {
      run();
    } finally {
      this.depth--;
    }
    this.deferred ??= setImmediate(() => {
      this.deferred = null;
      if (this.depth === 0) this.flush();
    });
  }

  private record(patch: Partial<PublicState>, mailbox: MailboxChange | 'whole' | undefined): void {
    for (const key of Object.keys(patch) as SliceName[]) {
      const before = this.state[key];
      const after = patch[key];
      if (key === 'voicemail') {
        const previous = before as PublicState['voicemail'];
        const next = after as PublicState['voicemail'];
        const listChanged =
          mailbox !== undefined
            ? mailbox === 'whole' || mailbox.upserted.length > 0 || mailbox.removed.length > 0
            : previous.messages !== next.messages && (previous.messages.length > 0 || next.messages.length > 0);
        if (listChanged) this.recordMailbox(mailbox === 'whole' ? undefined : mailbox);
        if (listChanged || previous.playing !== next.playing || previous.waiting !== next.waiting || previous.notShown !== next.notShown) {
          this.changed.add(key);
        }
      } else if (!sameValue(before, after)) {
        this.changed.add(key);
      }
    }
  }

  private recordMailbox(change: MailboxChange | undefined): void {
    if (this.mailbox === 'whole') return;
    if (!change) {
      this.mailbox = 'whole';
      return;
    }
    const pending = this.mailbox ?? new Map<string, VoicemailMessage | null>();
    this.mailbox = pending;
    for (const id of change.removed) pending.set(id, null);
    for (const message of change.upserted) pending.set(message.id, message);
  }

  private flush(): void {
    if (this.deferred !== null) {
      clearImmediate(this.deferred);
      this.deferred = null;
    }
    if (this.pulls.size > 0) {
      const pulls = [...this.pulls];
      this.pulls.clear();
      this.depth++;
      try {
        for (const pull of pulls) pull();
      } finally {
        this.depth--;
      }
    }
    if (this.changed.size === 0) return;
    const slices: Record<string, unknown> = {};
    for (const key of this.changed) slices[key] = this.state[key];
    const change: StateChange = { revision: ++this.revision, slices: slices as ChangedSlices };
    const pending = this.mailbox;
    if (this.changed.has('voicemail')) {
      const { messages, ...rest } = this.state.voicemail;
      if (pending === null) {
        change.slices.voicemail = rest;
      } else if (pending !== 'whole' && pending.size <= Math.max(1, messages.length * WHOLE_LIST_SHARE)) {
        change.slices.voicemail = rest;
        change.mailbox = mailboxChangeOf(pending);
      }
    }
    this.changed.clear();
    this.mailbox = null;
    this.handOut();
    this.emit(change);
  }
}

/** Structural equality of the small slices (connection, station, dialer, hotkeys…): plain data, compared field by field. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => sameValue(item, other[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = Object.keys(left).filter((key) => left[key] !== undefined);
  if (keys.length !== Object.keys(right).filter((key) => right[key] !== undefined).length) return false;
  return keys.every((key) => sameValue(left[key], right[key]));
}
