/**
 * A bare ICWS session for load: sign in, subscribe, and hold a Server-Sent Events stream on its own socket, recording the
 * arrival time of every message. No companion involved: this measures the simulator.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { SseParser } from '../main/icws/sse';

export interface Arrival {
  at: number;
  message: Record<string, unknown>;
}

export class RawSession {
  private request: http.ClientRequest | null = null;
  private readonly listeners = new Set<(arrival: Arrival) => void>();
  messages = 0;

  private constructor(
    private readonly base: string,
    readonly sessionId: string,
    private readonly csrf: string,
    private readonly cookie: string,
    private readonly agent: http.Agent,
  ) {}

  static async signIn(base: string, userId: string, password: string): Promise<RawSession> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const response = await send(agent, base, 'POST', '/icws/connection', {
      headers: { 'Accept-Language': 'en-US', 'Content-Type': 'application/json' },
      body: JSON.stringify({ __type: 'urn:inin.com:connection:icAuthConnectionRequestSettings', applicationName: 'bench', userID: userId, password }),
    });
    if (response.status !== 201) throw new Error(`sign-in answered ${response.status}`);
    const body = JSON.parse(response.body) as { sessionId: string; csrfToken: string };
    const cookie = String(response.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
    return new RawSession(base, body.sessionId, body.csrfToken, cookie, agent);
  }

  async subscribe(path: string): Promise<void> {
    const response = await send(this.agent, this.base, 'PUT', `/icws/${this.sessionId}/messaging/subscriptions/${path}`, {
      headers: { 'ININ-ICWS-CSRF-Token': this.csrf, Cookie: this.cookie },
    });
    if (response.status >= 300) throw new Error(`subscribe ${path} answered ${response.status}`);
  }

  /** Opens the stream; resolves once its headers arrived. */
  stream(): Promise<void> {
    return new Promise((resolve, reject) => {
      const parser = new SseParser();
      const request = http.request(`${this.base}/icws/${this.sessionId}/messaging/messages`, {
        method: 'GET',
        agent: false,
        headers: { Accept: 'text/event-stream', Cookie: this.cookie },
      });
      this.request = request;
      request.on('response', (response) => {
        if (response.statusCode !== 200) return reject(new Error(`stream answered ${response.statusCode}`));
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          const at = performance.now();
          for (const event of parser.push(chunk)) {
            this.messages++;
            const message = JSON.parse(event.data) as Record<string, unknown>;
            for (const listener of this.listeners) listener({ at, message });
          }
        });
        response.on('error', () => undefined);
        resolve();
      });
      request.on('error', reject);
      request.end();
    });
  }

  onMessage(listener: (arrival: Arrival) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.request?.destroy();
    this.agent.destroy();
  }
}

function send(
  agent: http.Agent,
  base: string,
  method: string,
  path: string,
  options: { headers: Record<string, string>; body?: string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(`${base}${path}`, { method, agent, headers: options.headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}
