/**
 * The mailbox as CIC reports it: `voicemailMessagesMessage` (added, changed, removed; the first message is the whole
 * mailbox, there is no list endpoint), `voicemailPlayStatusMessage` (0 playing, 1 stopped) and `mwiMessage`.
 */
import type { VoicemailMessage, VoicemailState } from '../../preload/contract';
import { KeyedCache, type Properties } from '../icws/cache';
import type { IcwsMessage } from '../icws/messages';

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

const idOf = (item: Properties): string | undefined => (typeof item.unifiedMessageId === 'string' ? item.unifiedMessageId : undefined);

export class VoicemailWatch {
  private readonly mailbox = new KeyedCache();
  private playing: string | null = null;
  private waiting: number | null = null;
  /** The sorted public list, rebuilt only when the mailbox changed (the same array otherwise, so it is not re-sent). */
  private messages: VoicemailMessage[] | null = null;

  applyMessages(message: IcwsMessage): void {
    this.messages = null;
    this.mailbox.apply(
      message.isDelta === true,
      { added: message.voicemailMessagesAdded, changed: message.voicemailMessagesChanged, removed: message.voicemailMessagesRemoved },
      idOf,
    );
    if (this.playing !== null && !this.mailbox.get(this.playing)) this.playing = null;
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
    this.messages = null;
    this.mailbox.apply(true, { changed: [{ unifiedMessageId: id, state: read ? 1 : 0 }] }, idOf);
  }

  has(id: string): boolean {
    return this.mailbox.get(id) !== undefined;
  }

  get playingId(): string | null {
    return this.playing;
  }

  get state(): VoicemailState {
    this.messages ??= this.sortedMessages();
    return { messages: this.messages, playing: this.playing, waiting: this.waiting };
  }

  private sortedMessages(): VoicemailMessage[] {
    const messages: VoicemailMessage[] = this.mailbox.values().map((item) => ({
      id: String(item.unifiedMessageId),
      from: typeof item.from === 'string' ? item.from : '',
      subject: typeof item.subject === 'string' ? item.subject : '',
      received: isoDate(item.dateReceived),
      read: item.state === 1,
    }));
    // Newest first, as a mailbox is read.
    messages.sort((a, b) => (a.received < b.received ? 1 : a.received > b.received ? -1 : 0));
    return messages;
  }

  clear(): void {
    this.messages = null;
    this.mailbox.clear();
    this.playing = null;
    this.waiting = null;
  }
}
