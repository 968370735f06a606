/**
 * The mailbox as CIC reports it: `voicemailMessagesMessage` (added, changed, removed; the first message is the whole
 * mailbox, there is no list endpoint), `voicemailPlayStatusMessage` (0 playing, 1 stopped) and `mwiMessage`.
 */
import {
  applyMailboxChange,
  compareVoicemail,
  insertionIndex,
  mailboxChangeOf,
  MAILBOX_LIMIT,
  type MailboxChange,
  type VoicemailMessage,
  type VoicemailState,
} from '../../../preload/contract';
import { objects, type Properties } from '../../icws/cache';
import type { IcwsMessage } from '../../icws/messages';

/** CIC's compact `20210706T193229Z` (or a full ISO form) → ISO-8601 a browser parses; unknown forms pass through. */
export function isoDate(value: unknown): string {
  if (typeof value !== 'string') return '';
  // The usual form, without a regular expression: this runs for every message of a 10,000-voicemail mailbox.
  if (value.length === 16 && value[8] === 'T' && value[15] === 'Z' && /^\d{8}T\d{6}Z$/.test(value)) {
    return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T${value.slice(9, 11)}:${value.slice(11, 13)}:${value.slice(13, 15)}.000Z`;
  }
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(value);
  if (compact) {
    const [, y, mo, d, h, mi, s] = compact;
    return `${y}-${mo}-${d}T${h}:${mi}:${s}.000Z`;
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? value : new Date(parsed).toISOString();
}

const idOf = (item: Properties): string | undefined => (typeof item.unifiedMessageId === 'string' && item.unifiedMessageId !== '' ? item.unifiedMessageId : undefined);

/** The public message for a full entry, or for a partial one merged onto what was known (only the given fields change). */
function toMessage(id: string, item: Properties, previous?: VoicemailMessage): VoicemailMessage {
  return {
    id,
    from: typeof item.from === 'string' ? item.from : (previous?.from ?? ''),
    subject: typeof item.subject === 'string' ? item.subject : (previous?.subject ?? ''),
    received: 'dateReceived' in item ? isoDate(item.dateReceived) : (previous?.received ?? ''),
    read: 'state' in item ? item.state === 1 : (previous?.read ?? false),
  };
}

/** Up to this many edits in one delivery are spliced into the list; more are merged in one pass. */
const SPLICE_AT_MOST = 64;

const sameMessage = (a: VoicemailMessage, b: VoicemailMessage) =>
  a.from === b.from && a.subject === b.subject && a.received === b.received && a.read === b.read;

/**
 * The mailbox as an ordered list. The deltas of a delivery are collected by id and applied together when the list is
 * read (once per turn of the event loop): read flags are replaced in place (binary search), a few moved, added or
 * removed messages are spliced, many are merged in one pass, so a turn costs at most one pass over the list whatever
 * number of deltas it brought. The list handed out is never edited afterwards (the next edit works on a copy), and
 * `takeChange` tells which messages changed since it was last asked.
 */
export class VoicemailWatch {
  private list: VoicemailMessage[] = [];
  private readonly byId = new Map<string, VoicemailMessage>();
  /**
   * How many older messages beyond `limit` were let go: counted, not kept (not even their ids), so a mailbox of any size
   * costs at most `limit` messages. CIC removing or changing a message the companion does not know is taken to be one
   * of them.
   */
  private hidden = 0;
  /** Whether `list` was handed out: then the next edit copies it first. */
  private published = false;
  /** Edits not yet in `list` (null: removed), applied together when the list is next read. */
  private readonly pending = new Map<string, VoicemailMessage | null>();
  /** True while every pending edit replaces a listed message in its place. */
  private inPlace = true;
  /** For each pending id, the message as it stood in `list` before this delivery (undefined: not listed). */
  private readonly listedBefore = new Map<string, VoicemailMessage | undefined>();
  private change: Map<string, VoicemailMessage | null> | 'whole' | null = null;
  private playing: string | null = null;
  private waiting: number | null = null;

  constructor(private readonly limit = MAILBOX_LIMIT) {}

  applyMessages(message: IcwsMessage): void {
    if (message.isDelta !== true) {
      this.replace(objects(message.voicemailMessagesAdded));
    } else {
      for (const item of objects(message.voicemailMessagesAdded)) {
        const id = idOf(item);
        if (id !== undefined) this.upsert(toMessage(id, item));
      }
      for (const item of objects(message.voicemailMessagesChanged)) {
        const id = idOf(item);
        if (id === undefined) continue;
        const known = this.byId.get(id);
        // A change for a message not kept (an older one beyond the limit) changes nothing shown.
        if (known || this.hidden === 0) this.upsert(toMessage(id, item, known));
      }
      if (Array.isArray(message.voicemailMessagesRemoved)) {
        for (const id of message.voicemailMessagesRemoved) if (typeof id === 'string') this.remove(id);
      }
    }
    if (this.playing !== null && !this.byId.has(this.playing)) this.playing = null;
  }

  applyPlayStatus(message: IcwsMessage): void {
    const id = typeof message.unifiedMessageId === 'string' ? message.unifiedMessageId : null;
    if (!id) return;
    if (message.playStatus === 0) this.playing = id;
    else if (message.playStatus === 1 && this.playing === id) this.playing = null;
  }

  applyMwi(message: IcwsMessage): void {
    const count = Number(message.messagesWaiting);
    if (Number.isFinite(count) && count >= 0) this.waiting = Math.floor(count);
  }

  /** After the server accepted an action, before its message arrives (the message then changes nothing). */
  setPlaying(id: string | null): void {
    this.playing = id;
  }

  setRead(id: string, read: boolean): void {
    const previous = this.byId.get(id);
    if (previous) this.upsert({ ...previous, read });
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get playingId(): string | null {
    return this.playing;
  }

  /** The current slice. Its list is edited in place until `handedOut()` says someone outside may keep it. */
  get state(): VoicemailState {
    this.materialize();
    return { messages: this.list, playing: this.playing, waiting: this.waiting, notShown: this.hidden };
  }

  /** The list went out (an emitted change, a snapshot): the next edit works on a copy, once. */
  handedOut(): void {
    this.published = true;
  }

  /** The messages changed since the last call, 'whole' when the list was replaced, undefined when none changed. */
  takeChange(): MailboxChange | 'whole' | undefined {
    this.materialize();
    const change = this.change;
    this.change = null;
    if (change === null || change === 'whole') return change ?? undefined;
    return mailboxChangeOf(change);
  }

  clear(): void {
    this.list = [];
    this.published = false;
    this.byId.clear();
    this.pending.clear();
    this.listedBefore.clear();
    this.inPlace = true;
    this.hidden = 0;
    this.change = 'whole';
    this.playing = null;
    this.waiting = null;
  }

  /** The whole mailbox (the subscription's first message): sorted once, the newest `limit` kept. */
  private replace(items: Properties[]): void {
    const byId = new Map<string, VoicemailMessage>();
    for (const item of items) {
      const id = idOf(item);
      if (id !== undefined) byId.set(id, toMessage(id, item));
    }
    const sorted = [...byId.values()].sort(compareVoicemail);
    this.clear();
    this.list = sorted.slice(0, this.limit);
    for (const message of this.list) this.byId.set(message.id, message);
    this.hidden = Math.max(0, sorted.length - this.limit);
  }

  private editable(): VoicemailMessage[] {
    if (this.published) {
      this.list = this.list.slice();
      this.published = false;
    }
    return this.list;
  }

  private record(id: string, message: VoicemailMessage | null): void {
    if (this.change === 'whole') return;
    const change = this.change ?? new Map<string, VoicemailMessage | null>();
    this.change = change;
    change.set(id, message);
  }

  private indexOf(message: VoicemailMessage): number {
    const index = insertionIndex(this.list, message) - 1;
    return index >= 0 && this.list[index]!.id === message.id ? index : -1;
  }

  private upsert(message: VoicemailMessage): void {
    const previous = this.byId.get(message.id);
    if (previous && sameMessage(previous, message)) return;
    // Only a message already listed that keeps its place (a read flag) can be replaced where it is.
    if (!previous || previous.received !== message.received) this.inPlace = false;
    if (!this.pending.has(message.id)) this.listedBefore.set(message.id, previous);
    this.byId.set(message.id, message);
    this.pending.set(message.id, message);
    this.record(message.id, message);
  }

  private remove(id: string): void {
    const previous = this.byId.get(id);
    if (!previous) {
      if (this.hidden > 0) this.hidden--;
      return;
    }
    this.byId.delete(id);
    if (!this.pending.has(id)) this.listedBefore.set(id, previous);
    this.inPlace = false;
    this.pending.set(id, null);
    this.record(id, null);
  }

  /** A few messages moved, added or removed: each taken out of its old place and put in its new one. */
  private spliceInPlace(): void {
    const list = this.editable();
    for (const [id, message] of this.pending) {
      const before = this.listedBefore.get(id);
      if (before) {
        const index = this.indexOf(before);
        if (index >= 0) list.splice(index, 1);
      }
      if (message) list.splice(insertionIndex(list, message), 0, message);
    }
  }

  /** False if a message was not where it should be (then the merge below puts everything right). */
  private replaceInPlace(): boolean {
    const list = this.editable();
    for (const message of this.pending.values()) {
      const index = message ? this.indexOf(message) : -1;
      if (index < 0) return false;
      list[index] = message!;
    }
    return true;
  }

  /**
   * Applies the edits of the delivery to the ordered list: replaced where they are when no message moves (binary
   * search, in place), otherwise merged in one pass; then the oldest past the limit leave the list and are counted.
   */
  private materialize(): void {
    if (this.pending.size === 0) return;
    if (this.inPlace && this.replaceInPlace()) {
      // Done: no message moved.
    } else if (this.pending.size <= SPLICE_AT_MOST) {
      this.spliceInPlace();
    } else {
      this.list = applyMailboxChange(this.list, mailboxChangeOf(this.pending));
      this.published = false;
    }
    if (this.list.length > this.limit) {
      for (const message of this.editable().splice(this.limit)) {
        this.byId.delete(message.id);
        this.hidden++;
        this.record(message.id, null);
      }
    }
    this.pending.clear();
    this.listedBefore.clear();
    this.inPlace = true;
    if (this.playing !== null && !this.byId.has(this.playing)) this.playing = null;
  }
}
