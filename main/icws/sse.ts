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

export class SseParser {
  /**
   * The unfinished line, as the chunks that carried it. Only each new chunk is scanned and the parts are joined once,
   * when the line ends: a 10,000-voicemail mailbox is one data line of megabytes, arriving in many chunks.
   */
  private partial: string[] = [];
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
      const tail = text.slice(start, end);
      const line = this.partial.length > 0 ? this.partial.join('') + tail : tail;
      this.partial = [];
      start = end + 1;
      if (end === cr) {
        if (start < text.length) {
          if (text.charCodeAt(start) === 10) start++;
        } else {
          this.pendingCr = true;
        }
      }
      const event = this.line(line);
      if (event) events.push(event);
    }
    if (start < text.length) this.partial.push(text.slice(start));
    return events;
  }

  /** The stream ended: an event without its closing blank line is discarded, as the spec says. */
  end(): void {
    this.partial = [];
    this.data = [];
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
    this.eventType = '';
    if (data.length === 0) return null;
    return { type, data: data.join('\n'), lastEventId: this.lastId };
  }
}
