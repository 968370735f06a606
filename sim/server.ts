// The HTTP(S) server: body limits, routing, authentication, feature gates, faults, and the guarantee that no input
// crashes it (every request runs inside one try/catch; anything unexpected is a 500 with an ICWS error body).
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ControlError } from './control';
import type { SimulatorControl } from './control';
import { gone, IcwsError, internalError, malformed, methodNotAllowed, notFound, payloadTooLarge, unsupportedMediaType } from './errors';
import type { Faults } from './faults';
import type { Reply, Route, SimulatorSettings } from './http';
import { ICWS_CONTENT_TYPE } from './http';
import { Router } from './router';
import { connectionRoutes } from './routes/connection';
import type { ControlRoute } from './routes/control';
import { controlRoutes } from './routes/control';
import { dialerRoutes } from './routes/dialer';
import { messagingRoutes } from './routes/messaging';
import { stationRoutes } from './routes/station';
import { voicemailRoutes } from './routes/voicemail';
import { voicePromptRoutes } from './routes/voicePrompts';
import type { World } from './state';

/** ICWS bodies are small; anything above this is refused with 413. */
export const ICWS_BODY_LIMIT = 1024 * 1024;
/** Control bodies may carry a benchmark mailbox of tens of thousands of entries. */
const CONTROL_BODY_LIMIT = 256 * 1024 * 1024;
/** Past this much of an oversized body the socket is dropped instead of drained. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

export interface RequestRecord {
  method: string;
  path: string;
  /** performance.now() when the request arrived. */
  receivedAt: number;
}

export interface ServerDeps {
  world: World;
  faults: Faults;
  control: SimulatorControl;
  settings: SimulatorSettings;
  tls?: { key: string; cert: string };
  quiet: boolean;
}

const icwsRouter = new Router<Route>([
  ...connectionRoutes,
  ...messagingRoutes,
  ...stationRoutes,
  ...voicePromptRoutes,
  ...voicemailRoutes,
  ...dialerRoutes,
]);
const controlRouter = new Router<ControlRoute>(controlRoutes);

type Body = { kind: 'ok'; raw: Buffer } | { kind: 'tooLarge' };

function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > DRAIN_LIMIT) req.destroy();
      else if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? { kind: 'tooLarge' } : { kind: 'ok', raw: Buffer.concat(chunks) }));
    req.on('error', reject);
    // A request destroyed mid-body (over DRAIN_LIMIT, client gone) never ends; settle anyway.
    req.on('close', () => resolve({ kind: 'tooLarge' }));
  });
}

function parseIcwsJson(raw: Buffer, contentType: string | undefined): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') return undefined;
  // Clients send application/json or application/vnd.inin.icws+JSON;charset=utf-8; both are JSON.
  if (contentType && !/json/i.test(contentType)) throw unsupportedMediaType(contentType);
  try {
    return JSON.parse(text);
  } catch {
    throw malformed();
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body?: string, contentType?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const all: Record<string, string | string[] | number> = { ...headers };
  if (body !== undefined) {
    all['Content-Type'] = contentType ?? ICWS_CONTENT_TYPE;
    all['Content-Length'] = Buffer.byteLength(body);
  } else {
    all['Content-Length'] = 0;
  }
  res.writeHead(status, all);
  res.end(body);
}

function sendReply(res: ServerResponse, reply: Reply): void {
  if ('streamed' in reply) return;
  const headers = reply.headers ?? {};
  if ('rawJson' in reply) send(res, reply.status, headers, reply.rawJson);
  else send(res, reply.status, headers, reply.body === undefined ? undefined : JSON.stringify(reply.body));
}

function sendError(res: ServerResponse, error: IcwsError): void {
  send(res, error.status, error.headers, JSON.stringify(error.body));
}

function sendControl(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  send(res, status, headers, JSON.stringify(body), 'application/json; charset=utf-8');
}

export class SimulatorServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly listeners = new Set<(record: RequestRecord) => void>();
  private pingTimer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: ServerDeps) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void this.handle(req, res);
    };
    this.server = deps.tls ? https.createServer({ key: deps.tls.key, cert: deps.tls.cert }, handler) : http.createServer(handler);
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  onRequest(listener: (record: RequestRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => reject(error);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        // One timer for every stream: pings are a sweep, not a timer per session.
        this.pingTimer = setInterval(() => {
          for (const session of this.deps.world.sessions.all()) session.queue.ping();
        }, this.deps.settings.pingIntervalMs);
        this.pingTimer.unref();
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  async close(): Promise<void> {
    if (this.pingTimer) clearInterval(this.pingTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.deps.world.close();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    res.on('error', () => undefined);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://simulator.invalid');
    } catch {
      sendError(res, notFound(req.url ?? ''));
      return;
    }
    const method = req.method ?? 'GET';
    for (const listener of this.listeners) {
      try {
        listener({ method, path: url.pathname, receivedAt });
      } catch {
        // A test's listener failing must not fail the request.
      }
    }
    const lowerPath = url.pathname.toLowerCase();
    try {
      if (lowerPath === '/sim' || lowerPath.startsWith('/sim/')) await this.handleControl(req, res, method, url);
      else if (lowerPath === '/icws' || lowerPath.startsWith('/icws/')) await this.handleIcws(req, res, method, url);
      else {
        req.resume();
        throw notFound(url.pathname);
      }
    } catch (error) {
      if (error instanceof IcwsError) {
        sendError(res, error);
        return;
      }
      if (!this.deps.quiet) console.error(`[sim] ${method} ${url.pathname} failed:`, error);
      sendError(res, internalError());
    }
  }

  private async handleIcws(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const { world, faults } = this.deps;
    const delay = faults.latencyFor(url.pathname);
    if (delay > 0) await this.sleep(delay);

    const body = await readBody(req, ICWS_BODY_LIMIT);
    const failure = faults.take(method, url.pathname);
    if (failure) {
      if (typeof failure.body === 'string') send(res, failure.status, failure.headers, failure.body, 'text/plain; charset=utf-8');
      else send(res, failure.status, failure.headers, JSON.stringify(failure.body));
      return;
    }
    const match = icwsRouter.match(method, url.pathname);
    if (match.kind === 'notFound') throw notFound(url.pathname);
    if (match.kind === 'wrongMethod') throw methodNotAllowed(match.allowed);
    if (body.kind === 'tooLarge') throw payloadTooLarge(ICWS_BODY_LIMIT);

    const { route, params } = match;
    const base = { req, res, url, params, world, settings: this.deps.settings };
    if (route.auth === 'none') {
      this.checkFeature(route);
      sendReply(res, await route.handle({ ...base, body: parseIcwsJson(body.raw, req.headers['content-type']) }));
      return;
    }
    const session = world.sessions.authenticate(req, params.sessionId ?? '', route.auth === 'session');
    this.checkFeature(route);
    const parsed = parseIcwsJson(body.raw, req.headers['content-type']);
    sendReply(res, await route.handle({ ...base, body: parsed, session }));
  }

  private checkFeature(route: Route): void {
    if (!route.feature) return;
    const [featureId, version] = route.feature;
    if (this.deps.world.featureVersion(featureId) < version) throw gone();
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, method: string, url: URL): Promise<void> {
    const match = controlRouter.match(method, url.pathname);
    const body = await readBody(req, CONTROL_BODY_LIMIT);
    if (match.kind === 'notFound') return sendControl(res, 404, { error: `no control endpoint ${method} ${url.pathname}` });
    if (match.kind === 'wrongMethod') {
      return sendControl(res, 405, { error: `use ${match.allowed.join(' or ')} for ${url.pathname}` }, { Allow: match.allowed.join(', ') });
    }
    if (body.kind === 'tooLarge') return sendControl(res, 413, { error: `control body larger than ${CONTROL_BODY_LIMIT} bytes` });
    let json: unknown;
    const text = body.raw.toString('utf8');
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch (error) {
        return sendControl(res, 400, { error: `malformed JSON: ${(error as Error).message}` });
      }
    }
    try {
      const result = await match.route.handle(this.deps.control, json, match.params);
      sendControl(res, 200, result ?? { ok: true });
    } catch (error) {
      if (error instanceof ControlError) return sendControl(res, error.status, { error: error.message });
      throw error;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}
