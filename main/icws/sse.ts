/**
 * An incremental Server-Sent Events parser (the WHATWG "event stream interpretation"): feed it text as it arrives, split
 * anywhere (even between CR and LF, or inside a field name), and it returns the events completed so far. ICWS sends one
 * message object per event's `data:`; `:ping` comments, `id:` and `retry:` lines may appear and are handled here too.
 */
export interface SseEvent {
  /** `event:` field, `message` when absent. */
  type: string;
  /** The data lines joined with `\n`. */
  data: string;
  /** The last event id seen so far (persists across events, as the spec says). */
  lastEventId: string;
}

/**
 * Past these sizes a stream is not CIC's: a line or an event that never ends would otherwise grow until the process runs
 * out of memory. The biggest real event is one voicemail list: 10,000 messages are a few megabytes.
 */
export const SSE_LIMITS = { maxLineChars: 16 * 1024 * 1024, maxEventChars: 16 * 1024 * 1024 } as const;

export interface SseLimits {
  maxLineChars: number;
  maxEventChars: number;
}

/** The stream broke a bound: it must be dropped (the parser keeps nothing of the offending line or event). */
export class SseLimitError extends Error {
  constructor(
    readonly what: 'line' | 'event',
    readonly limitChars: number,
  ) {
    super(`a stream ${what} grew past ${limitChars} characters`);
    this.name = 'SseLimitError';
  }
}

export class SseParser {
  /**
   * The unfinished line, as the chunks that carried it. Only each new chunk is scanned and the parts are joined once,
   * when the line ends: a 10,000-voicemail mailbox is one data line of megabytes, arriving in many chunks.
   */
  private partial: string[] = [];
  private partialChars = 0;
  private dataChars = 0;
  /** The previous chunk ended with CR: a LF at the start of the next chunk belongs to the same line end. */
  private pendingCr = false;
  private started = false;
  private data: string[] = [];
  private eventType = '';
  private lastId = '';
  /** Reconnection time the server asked for (`retry:`), in ms. */
  retry: number | null = null;
  /** Number of comment lines seen (`:ping`); a stream that only pings is alive, not useful. */
  comments = 0;
  /** Complete lines seen: a stream that sends bytes but never ends a line is not alive. */
  lines = 0;

  constructor(private readonly limits: SseLimits = SSE_LIMITS) {}

  /** Throws SseLimitError when a line or an event outgrows the limits; the parser is then reset. */
  push(chunk: string): SseEvent[] {
    let text = chunk;
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;

    const events: SseEvent[] = [];
    let start = 0;
    // Native searches, not a loop over every character: a data line can be megabytes long. Each position is searched
    // for again only once passed, so a chunk of many short lines stays linear too.
    let lf = -2;
    let cr = -2;
    while (start < text.length) {
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      if (this.partialChars + end - start > this.limits.maxLineChars) this.overflow('line');
      const tail = text.slice(start, end);
      const line = this.partial.length > 0 ? this.partial.join('') + tail : tail;
      this.partial = [];
      this.partialChars = 0;
      start = end + 1;
      if (end === cr) {
        if (start < text.length) {
          if (text.charCodeAt(start) === 10) start++;
        } else {
          this.pendingCr = true;
        }
      }
      this.lines++;
      const event = this.line(line);
      if (event) events.push(event);
    }
    if (start < text.length) {
      this.partialChars += text.length - start;
      if (this.partialChars > this.limits.maxLineChars) this.overflow('line');
      this.partial.push(text.slice(start));
    }
    return events;
  }

  private overflow(what: 'line' | 'event'): never {
    this.end();
    throw new SseLimitError(what, what === 'line' ? this.limits.maxLineChars : this.limits.maxEventChars);
  }

  /** The stream ended: an event without its closing blank line is discarded, as the spec says. */
  end(): void {
    this.partial = [];
    this.partialChars = 0;
    this.data = [];
    this.dataChars = 0;
    this.eventType = '';
    this.pendingCr = false;
  }

  private line(line: string): SseEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) {
      this.comments++;
      return null;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.dataChars += value.length + 1;
        if (this.dataChars > this.limits.maxEventChars) this.overflow('event');
        this.data.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        // Unknown fields are ignored.
        break;
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    const type = this.eventType || 'message';
    const data = this.data;
    this.data = [];
    this.dataChars = 0;
    this.eventType = '';
    if (data.length === 0) return null;
    return { type, data: data.join('\n'), lastEventId: this.lastId };
  }
}
