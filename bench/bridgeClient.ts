import { performance } from 'node:perf_hooks';
import WebSocket, { type RawData } from 'ws';
import { initialState, StateMirror, type CommandName, type CompanionError, type ParamsOf, type PublicState, type ResultOf, type StateChange } from '../preload/contract';

/**
 * A bridge client as any local tool would write it: a `ws` WebSocket to the companion's bridge speaking JSON-RPC 2.0.
 * Records the arrival time (performance.now(), before parsing) of every `state.changed` notification.
 */
export class BridgeCallError extends Error {
  constructor(
    readonly method: string,
    readonly error: CompanionError,
  ) {
    super(`${method}: ${error.kind}: ${error.message}`);
  }
}

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export type StateListener = (state: PublicState, receivedAt: number) => void;

interface RpcMessage {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string; data?: CompanionError };
}

export class BridgeClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<StateListener>();
  /** The latest state pushed or read. */
  state: PublicState | null = null;
  stateEvents = 0;
  /** Changes missed (each answered by reading a snapshot). */
  gaps = 0;
  private readonly mirror = new StateMirror(initialState());

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: RawData) => this.onMessage(data));
    socket.on('close', () => {
      for (const pending of this.pending.values()) pending.reject(new Error(`bridge closed during ${pending.method}`));
      this.pending.clear();
    });
  }

  static connect(url: string): Promise<BridgeClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false });
      socket.once('open', () => {
        socket.off('error', reject);
        resolve(new BridgeClient(socket));
      });
      socket.once('error', reject);
    });
  }

  /** Sends the request now; resolves with the result, rejects with BridgeCallError. */
  call<K extends CommandName>(method: K, params?: ParamsOf<K>): Promise<ResultOf<K>> {
    const id = this.nextId++;
    const message: Record<string, unknown> = { jsonrpc: '2.0', id, method };
    if (params !== undefined) message.params = params;
    return new Promise<ResultOf<K>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify(message), (error) => {
        if (error) {
          this.pending.delete(id);
          reject(error);
        }
      });
    });
  }

  onState(listener: StateListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves with the first state (already held or pushed later) for which `predicate` holds, and its arrival time.
   * `checkCurrent: false` waits for a new notification only.
   */
  waitForState(
    predicate: (state: PublicState) => boolean,
    timeoutMs: number,
    what = 'a state',
    checkCurrent = true,
  ): Promise<{ state: PublicState; at: number }> {
    if (checkCurrent && this.state && predicate(this.state)) return Promise.resolve({ state: this.state, at: performance.now() });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const off = this.onState((state, at) => {
        if (!predicate(state)) return;
        clearTimeout(timer);
        off();
        resolve({ state, at });
      });
    });
  }

  async refresh(): Promise<PublicState> {
    const snapshot = await this.call('state.get');
    if (typeof snapshot.revision === 'number') {
      this.mirror.reset(snapshot);
      this.state = this.mirror.state;
    } else {
      this.state = snapshot;
    }
    return this.state;
  }

  /**
   * A change by slice (applied to the mirror; a gap reads a snapshot), or the whole state as companions before the
   * slice format sent it (so the same benchmarks measure both).
   */
  private receive(params: unknown): PublicState | null {
    const change = params as StateChange;
    if (typeof change.revision !== 'number' || typeof change.slices !== 'object') {
      this.state = params as PublicState;
      return this.state;
    }
    const received = this.mirror.receive(change);
    if (received === 'gap') {
      this.gaps++;
      void this.refresh().catch(() => undefined);
      return null;
    }
    if (received === 'stale') return null;
    this.state = this.mirror.state;
    return this.state;
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.close();
    });
  }

  private onMessage(data: RawData): void {
    const at = performance.now();
    const message = JSON.parse(data.toString()) as RpcMessage;
    if (message.method === 'state.changed') {
      this.stateEvents++;
      const state = this.receive(message.params);
      if (state) for (const listener of [...this.listeners]) listener(state, at);
      return;
    }
    if (typeof message.id !== 'number') return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.error) {
      pending.reject(new BridgeCallError(pending.method, message.error.data ?? { kind: 'internal', message: message.error.message }));
    } else {
      pending.resolve(message.result);
    }
  }
}
