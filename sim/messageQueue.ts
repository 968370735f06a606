// One session's outgoing messages. They wait here until a poll takes them or a Server-Sent Events stream is written,
// so a client switching between polling and SSE neither loses nor duplicates a message. A session has at most one
// consumer: attaching a stream ends the previous one.
import type { ServerResponse } from 'node:http';

/** Above this many undelivered messages the oldest are dropped, as a server protecting itself would. */
const MAX_PENDING = 250_000;

export class MessageQueue {
  /**
   * `perEvent`: every message is its own socket write, as a CIC server writes them (a burst reaches the client as many
   * small chunks). `perTick` (default): the messages of one tick go out in one write.
   */
  constructor(private readonly writes: 'perEvent' | 'perTick' = 'perTick') {}

  private pending: string[] = [];
  private stream: ServerResponse | null = null;
  private flushScheduled = false;
  private nextEventId = 1;

  /** Queues a message already serialised as JSON (serialised once for every session it fans out to). */
  push(serialized: string): void {
    if (this.writes === 'perEvent' && this.pending.length === 0 && this.writable()) {
      this.write(`id: ${this.nextEventId++}\ndata: ${serialized}\n\n`);
      return;
    }
    this.pending.push(serialized);
    if (this.pending.length > MAX_PENDING) this.pending.splice(0, this.pending.length - MAX_PENDING);
    this.scheduleFlush();
  }

  /** Everything waiting, for a short poll; the queue is empty afterwards. */
  drain(): string[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  get streaming(): boolean {
    return this.stream !== null;
  }

  attach(res: ServerResponse): void {
    const previous = this.stream;
    this.stream = res;
    if (previous) previous.end();
    res.on('close', () => {
      if (this.stream === res) this.stream = null;
    });
    this.flush();
  }

  ping(): void {
    if (this.stream && this.pending.length === 0) this.write(':ping\n\n');
  }

  /** Writes what is pending, then ends the stream cleanly (logout, expiry). */
  close(): void {
    this.flush();
    const stream = this.stream;
    this.stream = null;
    stream?.end();
  }

  /** Drops the stream's socket without a proper end, as a network failure would. */
  cut(): boolean {
    const stream = this.stream;
    if (!stream) return false;
    this.stream = null;
    stream.destroy();
    return true;
  }

  // Bursts are coalesced: every push in one tick of the event loop goes out in a single socket write.
  private scheduleFlush(): void {
    if (this.flushScheduled || !this.stream) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (!this.writable() || this.pending.length === 0) return;
    const messages = this.drain();
    if (this.writes === 'perEvent') {
      for (const message of messages) this.write(`id: ${this.nextEventId++}\ndata: ${message}\n\n`);
      return;
    }
    let chunk = '';
    for (const message of messages) chunk += `id: ${this.nextEventId++}\ndata: ${message}\n\n`;
    this.write(chunk);
  }

  private writable(): boolean {
    const stream = this.stream;
    return stream !== null && !stream.writableEnded && !stream.destroyed;
  }

  private write(chunk: string): void {
    if (this.writable()) this.stream?.write(chunk);
  }
}
