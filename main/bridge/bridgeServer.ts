import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { eventNames, isCommandName, snapshotChange, type StateSnapshot } from '../../preload/contract';
import type { EventHub } from '../common/eventHub';
import type { Logger } from '../common/log';
import type { Dispatch } from '../transports/dispatcher';
import { RPC, readRequest, rpcError, rpcNotification, rpcResponse, type RpcResponse } from './jsonRpc';

/** A message over this size gets a JSON-RPC error and the connection stays; far bigger ones close it (ws code 1009). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
const HARD_LIMIT_BYTES = 1024 * 1024;
const MAX_BATCH = 20;
/**
 * A client that lets more than this wait unsent (it stopped reading) is closed with `CLOSE_NOT_READING` instead of being
 * buffered without end; on reconnecting it gets a fresh snapshot. Well above one snapshot of the largest mailbox kept.
 */
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;
/** WebSocket close code (application range) for a client closed because it did not read what it was sent. */
export const CLOSE_NOT_READING = 4008;
/** How long a client closed for not reading has to take the close frame before its socket is dropped. */
const CLOSE_GRACE_MS = 1000;

export interface BridgeOptions {
  server: Server;
  path: string;
  token: string;
  /** Browser pages may connect only from these origins; tools that send no Origin (not browsers) are let in by token. */
  allowedOrigins: () => readonly string[];
  /** The `Host` header must name one of these (the loopback address and port): a DNS-rebound name is refused. */
  allowedHosts: () => readonly string[];
  dispatch: Dispatch;
  events: EventHub;
  log: Logger;
  /** Default `MAX_UNSENT_BYTES`. */
  maxUnsentBytes?: number;
}

export interface Bridge {
  clientCount(): number;
  close(): Promise<void>;
}

/**
 * The local WebSocket bridge: the contract's commands as JSON-RPC 2.0 methods and its events as notifications.
 * Reached only through the loopback server it is attached to, and only with the run's random token.
 */
export function attachBridge(options: BridgeOptions): Bridge {
  const { server, path, token, dispatch, events, log } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: HARD_LIMIT_BYTES });
  const expected = Buffer.from(token);

  const refuse = (socket: Duplex, status: number, reason: string, message: string) => {
    log.warn('bridge connection refused', { reason });
    const body = JSON.stringify({ error: message });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://bridge.invalid');
    if (!options.allowedHosts().includes(request.headers.host ?? '')) {
      return refuse(socket, 421, 'Misdirected Request', 'The bridge answers only on its loopback address.');
    }
    if (url.pathname !== path) return refuse(socket, 404, 'Not Found', 'There is no WebSocket endpoint here.');
    const given = Buffer.from(url.searchParams.get('token') ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse(socket, 401, 'Unauthorized', 'The bridge token is missing or wrong. Use the bridge address the companion printed.');
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !options.allowedOrigins().includes(origin)) {
      return refuse(socket, 403, 'Forbidden', 'Web pages from other sites may not control the companion.');
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  };
  server.on('upgrade', onUpgrade);

  // Every client gets the same notification text: serialise each event once, not once per client.
  const notifications = new WeakMap<object, string>();
  const notificationOf = (name: string, payload: object): string => {
    let text = notifications.get(payload);
    if (text === undefined) notifications.set(payload, (text = rpcNotification(name, payload)));
    return text;
  };

  const maxUnsent = options.maxUnsentBytes ?? MAX_UNSENT_BYTES;

  wss.on('connection', (ws: WebSocket) => {
    const send = (text: string) => {
      if (ws.readyState !== ws.OPEN) return;
      const unsent = ws.bufferedAmount;
      // bufferedAmount counts UTF-8 bytes; a UTF-16 unit is at most 3 of them, so most sends need no count of their own.
      if (unsent + text.length * 3 <= maxUnsent || unsent + Buffer.byteLength(text) <= maxUnsent) return ws.send(text);
      log.warn('bridge client closed: it is not reading what it is sent', { unsentBytes: unsent });
      ws.close(CLOSE_NOT_READING, 'Closed: too much unsent data (the client is not reading). Reconnect for a fresh state.');
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
    };
    // Every (re)connect starts with the whole state: events that come before it wait, and go out behind it.
    let waiting: string[] | null = [];
    const unsubscribe = eventNames.map((name) =>
      events.on(name, (payload) => {
        const text = notificationOf(name, payload);
        if (waiting) waiting.push(text);
        else send(text);
      }),
    );
    void dispatch('state.get', undefined).then((snapshot) => {
      if (snapshot.ok && isSnapshot(snapshot.value)) send(rpcNotification('state.changed', snapshotChange(snapshot.value)));
      const queued = waiting ?? [];
      waiting = null;
      for (const text of queued) send(text);
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void handleMessage(data, isBinary).then((reply) => {
        if (reply !== undefined) send(JSON.stringify(reply));
      });
    });
    ws.on('close', () => unsubscribe.forEach((off) => off()));
    ws.on('error', (error) => log.debug('bridge socket error', { error }));
  });

  async function handleMessage(data: RawData, isBinary: boolean): Promise<RpcResponse | RpcResponse[] | undefined> {
    const size = Array.isArray(data) ? data.reduce((sum, part) => sum + part.length, 0) : (data as Buffer).byteLength;
    if (size > MAX_MESSAGE_BYTES) {
      return rpcError(null, RPC.invalidRequest, 'invalidInput', `The message is too large (${size} bytes; the limit is ${MAX_MESSAGE_BYTES}).`);
    }
    if (isBinary) return rpcError(null, RPC.invalidRequest, 'invalidInput', 'Send JSON-RPC requests as text messages.');
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString());
    } catch {
      return rpcError(null, RPC.parseError, 'invalidInput', 'The message is not valid JSON.');
    }
    if (!Array.isArray(parsed)) return handleRequest(parsed);
    if (parsed.length === 0) return rpcError(null, RPC.invalidRequest, 'invalidInput', 'An empty batch is not a request.');
    if (parsed.length > MAX_BATCH) {
      return rpcError(null, RPC.invalidRequest, 'invalidInput', `A batch may hold at most ${MAX_BATCH} requests.`);
    }
    const replies = (await Promise.all(parsed.map(handleRequest))).filter((reply) => reply !== undefined);
    return replies.length > 0 ? replies : undefined;
  }

  async function handleRequest(value: unknown): Promise<RpcResponse | undefined> {
    const envelope = readRequest(value);
    if (!envelope.ok) return rpcError(envelope.id, RPC.invalidRequest, 'invalidInput', envelope.message);
    const { id, method, params } = envelope.request;
    const result = await dispatch(method, params);
    // A request without an id is a notification: it runs, and nothing is answered.
    if (id === undefined) return undefined;
    return rpcResponse(id, result, isCommandName(method));
  }

  return {
    clientCount: () => wss.clients.size,
    close: async () => {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function isSnapshot(value: unknown): value is StateSnapshot {
  return typeof value === 'object' && value !== null && typeof (value as { revision?: unknown }).revision === 'number';
}
