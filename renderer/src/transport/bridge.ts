import type {
  CommandName,
  CompanionError,
  CompanionTransport,
  EventName,
  EventPayloads,
  ParamsOf,
  Result,
  ResultOf,
  Unsubscribe,
} from '../../../preload/contract';
import { isObject } from '../../../preload/contract/guards';
import type { Link, LinkStatus } from './link';

export const NOT_REACHABLE: CompanionError = {
  kind: 'network',
  message: 'The companion is not reachable. It reconnects on its own; try again in a moment.',
};

export interface BridgeOptions {
  /** For tests: a WebSocket constructor. */
  WebSocket?: typeof WebSocket;
  /** First retry delay; doubles per failed attempt up to `maxDelayMs`, with jitter. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A call with no answer in this time fails with a `network` error (the socket is then considered dead). */
  callTimeoutMs?: number;
  random?: () => number;
}

interface Pending {
  resolve: (result: Result<unknown>) => void;
  timer: ReturnType<typeof setTimeout>;
}

type Listener = (payload: never) => void;

/**
 * JSON-RPC 2.0 over the companion's WebSocket bridge. Calls resolve to `Result<T>`, never throw; while the socket is down
 * they fail at once with a `network` error. Reconnects with capped, jittered exponential backoff that resets once a
 * connection opens.
 */
export class BridgeTransport implements CompanionTransport, Link {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly statusListeners = new Set<(status: LinkStatus) => void>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  private readonly WS: typeof WebSocket;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly callTimeoutMs: number;
  private readonly random: () => number;
  status: LinkStatus = { state: 'connecting', attempt: 0 };

  constructor(
    private readonly url: string,
    options: BridgeOptions = {},
  ) {
    this.WS = options.WebSocket ?? WebSocket;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.callTimeoutMs = options.callTimeoutMs ?? 120_000;
    this.random = options.random ?? Math.random;
    this.connect();
  }

  call<K extends CommandName>(name: K, params: ParamsOf<K> | undefined): Promise<Result<ResultOf<K>>> {
    const socket = this.socket;
    if (!socket || socket.readyState !== this.WS.OPEN || this.status.state !== 'open') {
      return Promise.resolve({ ok: false, error: NOT_REACHABLE });
    }
    const id = this.nextId++;
    const message: Record<string, unknown> = { jsonrpc: '2.0', id, method: name };
    if (params !== undefined) message.params = params;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve({ ok: false, error: { kind: 'network', message: 'The companion did not answer in time. Try again.' } });
      }, this.callTimeoutMs);
      this.pending.set(id, { resolve: resolve as (result: Result<unknown>) => void, timer });
      try {
        socket.send(JSON.stringify(message));
      } catch {
        this.settle(id, { ok: false, error: NOT_REACHABLE });
      }
    });
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  onStatus(listener: (status: LinkStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Stop for good (tests, page unload). */
  close(): void {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close();
    this.failAll();
  }

  private setStatus(status: LinkStatus): void {
    this.status = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private connect(): void {
    if (this.closed) return;
    this.setStatus({ state: 'connecting', attempt: this.attempt });
    let socket: WebSocket;
    try {
      socket = new this.WS(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      this.attempt = 0;
      this.setStatus({ state: 'open' });
    };
    socket.onmessage = (event: MessageEvent) => {
      if (socket === this.socket) this.receive(event.data);
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.failAll();
      this.scheduleRetry();
    };
    socket.onerror = () => {
      // A close event always follows; reconnection happens there.
    };
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    const exp = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(this.attempt, 10));
    const delay = Math.round(exp / 2 + (exp / 2) * this.random());
    this.attempt += 1;
    this.setStatus({ state: 'waiting', attempt: this.attempt, nextAttemptAt: Date.now() + delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private failAll(): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { ok: false, error: NOT_REACHABLE });
  }

  private settle(id: number, result: Result<unknown>): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    clearTimeout(pending.timer);
    pending.resolve(result);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (!isObject(message)) return;
    if (typeof message.id === 'number' && this.pending.has(message.id)) {
      if ('result' in message) {
        this.settle(message.id, { ok: true, value: message.result });
      } else {
        this.settle(message.id, { ok: false, error: errorOf(message.error) });
      }
      return;
    }
    if (message.id === undefined && typeof message.method === 'string') {
      for (const listener of this.listeners.get(message.method) ?? []) {
        try {
          listener(message.params as never);
        } catch (error) {
          console.error('listener failed', error);
        }
      }
    }
  }
}

/** The contract puts a `CompanionError` in every error's `data`; anything else still becomes an error the agent can read. */
function errorOf(error: unknown): CompanionError {
  if (isObject(error)) {
    const data = error.data;
    if (isObject(data) && typeof data.kind === 'string' && typeof data.message === 'string') {
      return data as unknown as CompanionError;
    }
    if (typeof error.message === 'string' && error.message) {
      return { kind: error.code === -32602 ? 'invalidInput' : 'internal', message: error.message };
    }
  }
  return { kind: 'internal', message: 'The companion sent an answer this window does not understand.' };
}

/** `ws://host:port/bridge?token=…` for a page served at `http://host:port/?token=…`. */
export function bridgeUrlFor(location: { protocol: string; host: string; search: string }): string | null {
  const token = new URLSearchParams(location.search).get('token');
  if (!token) return null;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/bridge?token=${encodeURIComponent(token)}`;
}
