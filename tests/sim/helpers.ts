// Test helpers: a real simulator on port 0, an ICWS client that signs in and calls it over real HTTP, and an SSE
// reader built on raw http.request so every byte of the stream can be checked.
import http from 'node:http';
import { afterEach } from 'vitest';
import { startSimulator } from '../../sim';
import type { Simulator, SimulatorOptions } from '../../sim';

export const IC_AUTH = 'urn:inin.com:connection:icAuthConnectionRequestSettings';
export const ICWS_JSON = 'application/vnd.inin.icws+json; charset=utf-8';
export const CAMPAIGN = '64BDEC2E-4AE1-4F1F-8C47-79C34433D6FC';

/** Starts simulators for the test that is running and closes them all after it. */
export function simulatorsPerTest(): (options?: SimulatorOptions) => Promise<Simulator> {
  let running: Simulator[] = [];
  afterEach(async () => {
    await Promise.all(running.map((s) => s.close()));
    running = [];
  });
  return async (options = {}) => {
    const started = await start(options);
    running.push(started);
    return started;
  };
}

export function start(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ quiet: true, ...options });
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body, undefined when empty or not JSON. */
  json: unknown;
}

function parseOrUndefined(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: parseOrUndefined(text) };
}

export function loginBody(userID = 'agent1', password = '1234'): string {
  return JSON.stringify({ __type: IC_AUTH, applicationName: 'ICWS Companion tests', userID, password });
}

export class Client {
  constructor(
    readonly base: string,
    readonly sessionId: string,
    readonly csrfToken: string,
    /** `icws_<id>=<value>` as a Cookie header sends it. */
    readonly cookie: string,
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { 'ININ-ICWS-CSRF-Token': this.csrfToken, Cookie: this.cookie, 'Content-Type': 'application/json', ...extra };
  }

  url(path: string): string {
    return `${this.base}/icws/${this.sessionId}/${path}`;
  }

  call(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Answer> {
    return request(this.url(path), {
      method,
      headers: this.headers(extra),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** A short poll: cookie only, as real clients do. */
  async poll(): Promise<Record<string, unknown>[]> {
    const answer = await request(this.url('messaging/messages'), { headers: { Cookie: this.cookie } });
    if (answer.status !== 200) throw new Error(`poll answered ${answer.status}: ${answer.text}`);
    return answer.json as Record<string, unknown>[];
  }

  /** Polls until a message of this type shows up; returns every message seen so far. */
  async pollUntil(type: string, seen: Record<string, unknown>[] = []): Promise<Record<string, unknown>[]> {
    for (let i = 0; i < 200; i++) {
      seen.push(...(await this.poll()));
      if (seen.some((m) => m.__type === type)) return seen;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no ${type} message arrived`);
  }

  async stationLogon(workstation = '7001'): Promise<void> {
    const answer = await this.call('PUT', 'connection/station', {
      __type: 'urn:inin.com:connection:workstationSettings',
      workstation,
      supportedMediaTypes: [1],
      readyForInteractions: true,
    });
    if (answer.status !== 200) throw new Error(`station logon answered ${answer.status}: ${answer.text}`);
  }
}

export async function login(sim: { url: string }, userID = 'agent1', password = '1234'): Promise<Client> {
  const answer = await request(`${sim.url}/icws/connection`, {
    method: 'POST',
    headers: { 'Accept-Language': 'en-US', 'Content-Type': 'application/json' },
    body: loginBody(userID, password),
  });
  if (answer.status !== 201) throw new Error(`login answered ${answer.status}: ${answer.text}`);
  const body = answer.json as { sessionId: string; csrfToken: string };
  const setCookie = answer.headers.get('set-cookie') ?? '';
  return new Client(sim.url, body.sessionId, body.csrfToken, setCookie.split(';')[0] ?? '');
}

export function byType(messages: Record<string, unknown>[], type: string): Record<string, unknown>[] {
  return messages.filter((m) => m.__type === type);
}

/** A Server-Sent Events connection read line by line. */
export class SseReader {
  readonly lines: string[] = [];
  readonly messages: Record<string, unknown>[] = [];
  status = 0;
  headers: http.IncomingHttpHeaders = {};
  ended = false;
  private buffer = '';
  private request: http.ClientRequest | null = null;
  private waiters: (() => void)[] = [];

  static open(client: Client, accept = 'text/event-stream'): Promise<SseReader> {
    const reader = new SseReader();
    return new Promise((resolve, reject) => {
      const req = http.request(client.url('messaging/messages'), { headers: { Cookie: client.cookie, Accept: accept } }, (res) => {
        reader.status = res.statusCode ?? 0;
        reader.headers = res.headers;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => reader.feed(chunk));
        res.on('end', () => reader.finish());
        res.on('close', () => reader.finish());
        res.on('error', () => reader.finish());
        resolve(reader);
      });
      req.on('error', (error) => {
        reader.finish();
        reject(error);
      });
      req.end();
      reader.request = req;
    });
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      this.lines.push(line);
      if (line.startsWith('data: ')) {
        try {
          this.messages.push(JSON.parse(line.slice(6)) as Record<string, unknown>);
        } catch {
          this.messages.push({ unparsable: line.slice(6) });
        }
      }
    }
    this.wake();
  }

  private finish(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once the condition holds; fails after `timeoutMs` (a safety net, not a timing assertion). */
  async until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.ended) throw new Error(`stream ended before the condition held; lines: ${this.lines.slice(-5).join(' | ')}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`condition not met; last lines: ${this.lines.slice(-5).join(' | ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(remaining, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async untilEnded(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream did not end');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.request?.destroy();
  }
}

/** Waits until a condition on the simulator holds (e.g. a stream is attached). */
export async function eventually(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
