import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventHub } from '../common/eventHub';
import type { Logger } from '../common/log';
import type { Dispatch } from '../transports/dispatcher';
import { attachBridge, type Bridge } from './bridgeServer';
import { SECURITY_HEADERS } from './contentSecurityPolicy';
import { readStaticFile } from './staticFiles';

const LOOPBACK = '127.0.0.1';
const BRIDGE_PATH = '/bridge';

export interface LocalServerOptions {
  port: number;
  /** Folder of the built renderer to serve as the UI; null serves the bridge alone. */
  rendererDir: string | null;
  dispatch: Dispatch;
  events: EventHub;
  log: Logger;
  /** Fixed for tests; a fresh random token otherwise. */
  token?: string;
}

export interface LocalServer {
  port: number;
  token: string;
  uiUrl: string;
  bridgeUrl: string;
  bridge: Bridge;
  close(): Promise<void>;
}

/**
 * The companion's loopback server: the built UI and the JSON-RPC bridge on one port of 127.0.0.1 only. Requests whose
 * Host is not this loopback address are refused, so a web page cannot reach it through DNS rebinding.
 */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = options.port;
  const ownHosts = () => [`${LOOPBACK}:${port}`, `localhost:${port}`];

  const server = createServer((request, response) => {
    void serve(request, response).catch((error: unknown) => {
      options.log.error('local server request failed', { error });
      if (!response.headersSent) send(response, 500, 'text/plain; charset=utf-8', 'Internal error');
      else response.destroy();
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!ownHosts().includes(request.headers.host ?? '')) {
      return send(response, 421, 'text/plain; charset=utf-8', 'This server answers only on its loopback address.');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
    }
    if (!options.rendererDir) return send(response, 404, 'text/plain; charset=utf-8', 'Only the bridge is served here.');
    const path = new URL(request.url ?? '/', 'http://local.invalid').pathname;
    const file = await readStaticFile(options.rendererDir, path);
    if (file.status === 404) {
      const hint = path === '/' ? 'The UI is not built yet: run `npm run build:renderer`.' : 'Not found.';
      return send(response, 404, 'text/plain; charset=utf-8', hint);
    }
    response.setHeader('Cache-Control', path === '/' || path.endsWith('.html') ? 'no-store' : 'max-age=3600');
    send(response, 200, file.type, request.method === 'HEAD' ? '' : file.body);
  }

  const bridge = attachBridge({
    server,
    path: BRIDGE_PATH,
    token,
    allowedOrigins: () => ownHosts().map((host) => `http://${host}`),
    allowedHosts: ownHosts,
    dispatch: options.dispatch,
    events: options.events,
    log: options.log.child('bridge'),
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    uiUrl: `http://${LOOPBACK}:${port}/?token=${token}`,
    bridgeUrl: `ws://${LOOPBACK}:${port}${BRIDGE_PATH}?token=${token}`,
    bridge,
    close: async () => {
      await bridge.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}
