/**
 * The one consumer of `GET /icws/{sessionId}/messaging/messages`. With `messaging` >= 2 it holds a Server-Sent Events
 * stream (parsed incrementally; `:ping` keeps it alive; a stream silent past `silenceMs` is dead and reopened); otherwise
 * it short-polls. Exactly one request is ever outstanding, so switching from the stream to polling (a server or proxy
 * that answers the stream request with a poll array, or keeps dropping the stream) neither loses nor duplicates messages:
 * the server keeps what no request has taken yet.
 *
 * Messages are validated only as far as routing needs (an object with `__type`); anything else is logged and skipped.
 * A 401 renews the session inside `call` and the loop carries on; failures it cannot fix (the network, a failed
 * renewal) stop the pump and go to the owner, who reconnects with backoff.
 */
import { sleep, systemClock, type Clock } from './clock';
import { IcwsAbortedError, IcwsError, IcwsHttpError, IcwsNetworkError, IcwsProtocolError } from './errors';
import type { IcwsLogger } from './logger';
import type { CallOptions, CallResult } from './session';
import { BODY_LIMITS, BodyTooLargeError, readBoundedText } from './body';
import { Backoff } from './backoff';
import { MAX_JSON_DEPTH, parseJson } from './json';
import { SSE_LIMITS, SseLimitError, SseParser, type SseLimits } from './sse';

export interface IcwsMessage {
  __type: string;
  isDelta?: boolean;
  [property: string]: unknown;
}

export type MessagingMode = 'sse' | 'poll';

export interface MessagePumpOptions {
  call: (options: CallOptions) => Promise<CallResult>;
  mode: MessagingMode;
  log: IcwsLogger;
  /** A batch of messages that arrived together (one poll answer, one stream chunk). */
  onMessages: (messages: IcwsMessage[]) => void;
  /** The pump stopped on a failure it cannot fix; the owner reconnects. */
  onFailure: (error: IcwsError) => void;
  onModeChange?: (mode: MessagingMode) => void;
  /** `host:port` of the session's server, for error sentences. */
  host?: () => string;
  clock?: Clock;
  pollIntervalMs?: number;
  /** A stream with no byte (message or ping) for this long counts as dead. */
  silenceMs?: number;
  /** Streams ending one after another without delivering anything before the pump falls back to polling. */
  maxEmptyStreams?: number;
  /**
   * A stream that ends sooner than this (or is dropped for breaking a bound) counts as a failure: the next one opens
   * after a backoff delay, never sooner than `pollIntervalMs`, so a server that ends every stream at once is not hammered.
   */
  minStreamMs?: number;
  /** The longest wait between such streams. */
  maxReopenDelayMs?: number;
  /** Streams in a row that end early (delivering or not) before the pump falls back to polling, which has no such delay. */
  maxShortStreams?: number;
  /** Bounds of one stream's lines and events (tests lower them). */
  sseLimits?: SseLimits;
  /** Poll answers in a row that are not JSON before the pump gives up and reports the failure. */
  maxMalformedPolls?: number;
}

class StreamSilentError extends Error {}

/** How one stream went: whether it carried any complete line, and whether it was dropped for breaking a bound. */
interface StreamOutcome {
  received: boolean;
  dropped: boolean;
  /** The session the stream belonged to, when it got that far. */
  sessionId?: string;
}

export class MessagePump {
  private readonly clock: Clock;
  private running = false;
  private controller: AbortController | null = null;
  private loop: Promise<void> | null = null;
  private modeValue: MessagingMode;

  constructor(private readonly options: MessagePumpOptions) {
    this.clock = options.clock ?? systemClock;
    this.modeValue = options.mode;
  }

  get mode(): MessagingMode {
    return this.modeValue;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.controller = new AbortController();
    this.loop = this.run(this.controller.signal);
  }

  /** Stops the loop and closes the stream; resolves once no request of the pump is left. */
  async stop(): Promise<void> {
    this.running = false;
    this.controller?.abort(new IcwsAbortedError('Message pump stopped.'));
    const loop = this.loop;
    this.loop = null;
    await loop?.catch(() => {});
  }

  private async run(signal: AbortSignal): Promise<void> {
    let emptyStreams = 0;
    let shortStreams = 0;
    let lastSession: string | undefined;
    let malformedPolls = 0;
    const pollIntervalMs = this.options.pollIntervalMs ?? 1000;
    const reopen = new Backoff({ baseMs: pollIntervalMs, capMs: this.options.maxReopenDelayMs ?? 30_000, random: () => this.clock.random() });
    while (this.running && !signal.aborted) {
      try {
        if (this.modeValue === 'sse') {
          const openedAt = this.clock.now();
          const { received, dropped, sessionId } = await this.streamOnce(signal);
          const lastedMs = this.clock.now() - openedAt;
          if (sessionId !== undefined && sessionId !== lastSession) {
            // A renewed session starts afresh: the streams of the one that expired say nothing about this one.
            lastSession = sessionId;
            shortStreams = 0;
            reopen.reset();
          }
          const short = dropped || lastedMs < (this.options.minStreamMs ?? 5000);
          emptyStreams = received ? 0 : emptyStreams + 1;
          shortStreams = short ? shortStreams + 1 : 0;
          if (emptyStreams >= (this.options.maxEmptyStreams ?? 3)) {
            this.options.log.warn('message stream keeps ending without data; switching to polling');
            this.switchTo('poll');
          } else if (shortStreams >= (this.options.maxShortStreams ?? 5)) {
            // Messages would wait ever longer between such streams; polling delivers them at its steady cadence.
            this.options.log.warn('message stream keeps ending early; switching to polling', { lastedMs });
            this.switchTo('poll');
          } else if (short && shortStreams > 1) {
            // One stream cut short (a network blip, an expired session) is reopened at once. Streams that keep ending
            // at once are failures: back off, never below the polling cadence, so a server or proxy that closes every
            // stream costs a request a second at most.
            const delay = Math.max(pollIntervalMs, reopen.next());
            this.options.log.info('message stream ended early; reopening it after a pause', { lastedMs, delayMs: delay, attempts: reopen.attempts });
            await sleep(this.clock, delay, signal);
          } else {
            reopen.reset();
          }
        } else {
          await this.pollOnce(signal);
          malformedPolls = 0;
          await sleep(this.clock, this.options.pollIntervalMs ?? 1000, signal);
        }
      } catch (error) {
        if (!this.running || signal.aborted) return;
        if (error instanceof IcwsProtocolError && this.modeValue === 'poll' && ++malformedPolls < (this.options.maxMalformedPolls ?? 3)) {
          // A poll answer that is not JSON cannot be split into its messages: skip it, keep polling. Answer after answer
          // like that (a proxy's login page) means nothing is served any more: that goes to the owner below.
          this.options.log.warn('malformed messages answer skipped (not JSON)');
          await sleep(this.clock, this.options.pollIntervalMs ?? 1000, signal).catch(() => {});
          continue;
        }
        if (error instanceof StreamSilentError) {
          this.options.log.info('message stream silent too long; reopening it');
          continue;
        }
        if (error instanceof IcwsHttpError && this.modeValue === 'sse' && error.status !== 401 && error.status !== 410 && error.status < 500) {
          // The server (or a proxy) refuses the stream itself: polling still works on the same URL.
          this.options.log.warn('message stream refused; switching to polling', { status: error.status, errorId: error.errorId });
          this.switchTo('poll');
          continue;
        }
        const failure =
          error instanceof IcwsError ? error : new IcwsNetworkError(this.options.host?.() ?? 'the server', undefined, error instanceof Error ? error.message : String(error));
        this.running = false;
        this.options.onFailure(failure);
        return;
      }
    }
  }

  private switchTo(mode: MessagingMode): void {
    if (this.modeValue === mode) return;
    this.modeValue = mode;
    this.options.onModeChange?.(mode);
  }

  private async pollOnce(signal: AbortSignal): Promise<void> {
    const { body } = await this.options.call({ method: 'GET', path: 'messaging/messages', csrf: false, signal });
    if (signal.aborted) return;
    this.deliver(Array.isArray(body) ? body : body === null ? [] : [body]);
  }

  /** One stream, until it ends: whether anything (a message or a ping) came through it, and whether it was dropped. */
  private async streamOnce(signal: AbortSignal): Promise<StreamOutcome> {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    let silent = false;
    let timer = this.clock.setTimeout(() => {
      silent = true;
      controller.abort();
    }, this.options.silenceMs ?? 45_000);
    const rearm = () => {
      this.clock.clearTimeout(timer);
      timer = this.clock.setTimeout(() => {
        silent = true;
        controller.abort();
      }, this.options.silenceMs ?? 45_000);
    };
    let received = false;
    let sessionId: string | undefined;
    try {
      const result = await this.options.call({
        method: 'GET',
        path: 'messaging/messages',
        csrf: false,
        accept: 'text/event-stream',
        stream: true,
        signal: controller.signal,
      });
      const response = result.response;
      sessionId = result.sessionId;
      const contentType = response?.headers.get('content-type') ?? '';
      if (!response || !/text\/event-stream/i.test(contentType)) {
        // A server without SSE answers the same URL with the poll array: take it, and poll from now on.
        const text = response ? await this.readPollAnswer(response) : '';
        this.switchTo('poll');
        const parsed = text.trim() === '' ? { ok: true as const, value: [] } : parseJson(text);
        if (!parsed.ok) throw this.unusable(parsed.reason);
        this.deliver(Array.isArray(parsed.value) ? parsed.value : [parsed.value]);
        return { received: true, dropped: false, sessionId };
      }
      if (!response.body) return { received: false, dropped: false, sessionId };
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser(this.options.sseLimits ?? SSE_LIMITS);
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const lines = parser.lines;
          const events = parser.push(decoder.decode(value, { stream: true }));
          // Only a complete line proves the stream alive: bytes that never end a line (a drip) do not hold it open.
          if (parser.lines > lines) {
            received = true;
            rearm();
          }
          const batch: unknown[] = [];
          for (const event of events) {
            if (event.type !== 'message') continue;
            const message = parseJson(event.data);
            if (!message.ok) {
              this.options.log.warn(`malformed message skipped (${message.reason === 'tooDeep' ? 'nested too deeply' : 'not JSON'})`, { length: event.data.length });
              continue;
            }
            batch.push(message.value);
          }
          if (batch.length > 0) this.deliver(batch);
        }
      } finally {
        parser.end();
        reader.cancel().catch(() => {});
      }
      return { received, dropped: false, sessionId };
    } catch (error) {
      if (silent && !signal.aborted) throw new StreamSilentError();
      if (signal.aborted) throw new IcwsAbortedError();
      if (error instanceof SseLimitError) {
        // Whatever the server meant, it is not CIC's stream any more: drop it (and all it buffered) and reopen later.
        this.options.log.warn(`message stream dropped: ${error.message}`, { limitChars: error.limitChars });
        return { received, dropped: true, sessionId };
      }
      // A stream that broke while being read: reopen it; if the network is really gone, reopening says so.
      if (!(error instanceof IcwsError)) {
        this.options.log.info('message stream broke; reopening it', { error: error instanceof Error ? error.message : String(error) });
        return { received, dropped: false, sessionId };
      }
      throw error;
    } finally {
      this.clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** A poll answer to the stream request, read only up to what one poll may hold. */
  private async readPollAnswer(response: Response): Promise<string> {
    try {
      return await readBoundedText(response, BODY_LIMITS.messages, false);
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw this.unusable('tooLarge');
      throw error;
    }
  }

  private unusable(reason: 'invalid' | 'tooDeep' | 'tooLarge'): IcwsProtocolError {
    const host = this.options.host?.() ?? 'the server';
    switch (reason) {
      case 'tooLarge':
        return new IcwsProtocolError(host, 'the messages answer is too large', { kind: 'tooLarge', limitBytes: BODY_LIMITS.messages });
      case 'tooDeep':
        return new IcwsProtocolError(host, 'the messages answer is nested too deeply', { kind: 'tooDeep', maxDepth: MAX_JSON_DEPTH });
      default:
        return new IcwsProtocolError(host, 'the messages answer is not JSON');
    }
  }

  private deliver(items: unknown[]): void {
    const messages: IcwsMessage[] = [];
    for (const item of items) {
      if (typeof item !== 'object' || item === null || Array.isArray(item) || typeof (item as { __type?: unknown }).__type !== 'string') {
        this.options.log.warn('malformed message skipped (no __type)', { kind: Array.isArray(item) ? 'array' : typeof item });
        continue;
      }
      messages.push(item as IcwsMessage);
    }
    if (messages.length === 0) return;
    try {
      this.options.onMessages(messages);
    } catch (error) {
      // A bug in one handler must not stop the stream for everything else.
      this.options.log.error('handling messages failed', { error: error instanceof Error ? error.message : String(error) });
    }
  }
}


