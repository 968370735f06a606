/**
 * How the public state travels: a snapshot once, then changes by slice.
 *
 * - `state.get` answers a `StateSnapshot`: the whole public state and the revision it was taken at.
 * - `state.changed` carries a `StateChange`: only the slices that changed (each whole), with a revision one above the
 *   previous change's. The voicemail slice may leave out its `messages` and give `mailbox` instead: the messages added,
 *   changed or removed, so a read flag flipped in a 10,000-message mailbox costs one message, not the mailbox.
 * - A bridge client gets a snapshot as its first `state.changed` (`snapshot: true`, every slice) on each (re)connect; a
 *   window reads one with `state.get` when it starts.
 * - A client whose next change is not exactly one revision above what it holds has missed one: it asks `state.get`.
 *
 * Plain TypeScript without zod: the renderer, the preload and any tool apply changes with the same code.
 */
import type { PublicState, VoicemailMessage, VoicemailState } from './state';

export type SliceName = keyof PublicState;

/** The whole public state and the revision it was taken at: what `state.get` answers. */
export type StateSnapshot = PublicState & { revision: number };

/** The voicemail slice in a change: `messages` left out when the list did not change or when `mailbox` says how. */
export type VoicemailSliceChange = Omit<VoicemailState, 'messages'> & { messages?: VoicemailMessage[] };

export type ChangedSlices = Partial<Omit<PublicState, 'voicemail'>> & { voicemail?: VoicemailSliceChange };

/** Messages of the mailbox that changed: each added or changed message whole, and the ids of removed ones. */
export interface MailboxChange {
  upserted: VoicemailMessage[];
  removed: string[];
}

/** Edits by message id, the last one winning (null: removed) → the change that carries them. */
export function mailboxChangeOf(edits: ReadonlyMap<string, VoicemailMessage | null>): MailboxChange {
  const upserted: VoicemailMessage[] = [];
  const removed: string[] = [];
  for (const [id, message] of edits) {
    if (message) upserted.push(message);
    else removed.push(id);
  }
  return { upserted, removed };
}

export interface StateChange {
  /** Counts changes since the companion started; a snapshot carries the revision of the last change it includes. */
  revision: number;
  /** Present on a snapshot: `slices` then holds every slice and replaces what the client held. */
  snapshot?: true;
  slices: ChangedSlices;
  /** With `slices.voicemail` and without its `messages`: how the list changed. */
  mailbox?: MailboxChange;
}

/** The mailbox order: newest first; messages received at the same moment by id, so every side sorts alike. */
export function compareVoicemail(a: VoicemailMessage, b: VoicemailMessage): number {
  if (a.received !== b.received) return a.received < b.received ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Index at which `message` belongs in a list ordered by `compareVoicemail` (after any equal one). */
export function insertionIndex(list: readonly VoicemailMessage[], message: VoicemailMessage): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareVoicemail(list[middle]!, message) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * A new list with the change applied, in one pass over the list (the changed messages are merged in, not inserted one
 * by one); the given list is left as it was (a UI may still show it).
 */
export function applyMailboxChange(list: readonly VoicemailMessage[], change: MailboxChange): VoicemailMessage[] {
  const touched = new Set(change.removed);
  for (const message of change.upserted) touched.add(message.id);
  const kept = touched.size === 0 ? list : list.filter((message) => !touched.has(message.id));
  if (change.upserted.length === 0) return [...kept];
  const added = [...change.upserted].sort(compareVoicemail);
  const next: VoicemailMessage[] = new Array<VoicemailMessage>(kept.length + added.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < next.length; k++) {
    next[k] = j >= added.length || (i < kept.length && compareVoicemail(kept[i]!, added[j]!) <= 0) ? kept[i++]! : added[j++]!;
  }
  return next;
}

export function snapshotChange(snapshot: StateSnapshot): StateChange {
  const { revision, ...slices } = snapshot;
  return { revision, snapshot: true, slices };
}

/** The public state with a change applied (slices replaced whole, the mailbox edited); neither input is modified. */
export function applyStateChange(state: PublicState, change: StateChange): PublicState {
  const { voicemail, ...others } = change.slices;
  const next: PublicState = { ...state, ...others };
  if (voicemail) {
    const messages = voicemail.messages ?? (change.mailbox ? applyMailboxChange(state.voicemail.messages, change.mailbox) : state.voicemail.messages);
    next.voicemail = { ...voicemail, messages };
  }
  return next;
}

export type Received = 'applied' | 'stale' | 'gap';

/**
 * What a client holds of the public state, kept current by snapshots and changes. `receive` says `gap` when a change
 * was missed: the caller then asks `state.get` and hands the answer to `reset`.
 */
export class StateMirror {
  revision = -1;

  constructor(public state: PublicState) {}

  get synced(): boolean {
    return this.revision >= 0;
  }

  /** A snapshot is the whole truth at its revision: it replaces what is held (even from a companion that restarted). */
  reset(snapshot: StateSnapshot): void {
    const { revision, ...state } = snapshot;
    this.state = { ...this.state, ...state };
    this.revision = revision;
  }

  receive(change: StateChange): Received {
    if (change.snapshot) {
      this.state = applyStateChange(this.state, change);
      this.revision = change.revision;
      return 'applied';
    }
    if (this.revision >= 0 && change.revision <= this.revision) return 'stale';
    if (change.revision !== this.revision + 1) return 'gap';
    this.state = applyStateChange(this.state, change);
    this.revision = change.revision;
    return 'applied';
  }
}
