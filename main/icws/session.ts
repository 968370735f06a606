/**
 * One ICWS session: sign-in (with the switchover walk over `alternateHostList`), every session call with its CSRF
 * header and cookie, and renewal. Renewal is single-flight (matrix-js-sdk's refresh pattern): when several calls meet a
 * 401 at once, one re-login runs and all of them wait for it, then each retries once on the new session. The owner's
 * `renewed` hook runs inside that flight, so the retried calls find the subscriptions (and station) already back.
 */
import { isObject } from '../../preload/contract/guards';
import { systemClock, type Clock } from './clock';
import { BODY_LIMITS, BodyTooLargeError, readBoundedText, type BodyKind } from './body';
import { CookieJar } from './cookies';
import {
  IcwsAbortedError,
  IcwsError,
  IcwsHttpError,
  IcwsNetworkError,
  IcwsNotConnectedError,
  IcwsProtocolError,
  IcwsTimeoutError,
  type IcwsErrorBody,
} from './errors';
import { MAX_JSON_DEPTH, parseJson } from './json';
import type { IcwsLogger, SecretSink } from './logger';
import type { HttpRequest, HttpTransport } from './transport';
import { hostPortOf, hostnameOf, withHost } from './url';

const APPLICATION_NAME = 'ICWS Companion';
const AUTH_REQUEST_TYPE = 'urn:inin.com:connection:icAuthConnectionRequestSettings';
/** Visible ASCII only, as a header value sent back verbatim must be. */
const HEADER_TOKEN = /^[\x21-\x7e]{1,4096}$/;
const ACCEPT_JSON = 'application/vnd.inin.icws+json, application/json;q=0.9, */*;q=0.1';

export interface SessionInfo {
  /** Base URL of the server this session lives on (an alternate host after a switchover). */
  base: string;
  sessionId: string;
  userId: string;
  displayName: string;
  icServer?: string;
  /** Feature versions by id; null when the server would not say (nothing is then gated). */
  features: Record<string, number> | null;
  version?: Record<string, unknown>;
  alternateHostList: string[];
}

export interface Credentials {
  base: string;
  userId: string;
  password: string;
}

export interface CallOptions {
  method: HttpRequest['method'];
  /** Below `/icws/{sessionId}/`, e.g. `connection/station`. */
  path: string;
  body?: unknown;
  /** Send the CSRF header (default). The messages call takes the cookie only. */
  csrf?: boolean;
  accept?: string;
  /** Resolve as soon as headers arrive and hand back the live Response (Server-Sent Events). */
  stream?: boolean;
  signal?: AbortSignal;
  /** Overrides the default timeout; null: none (for a stream, the timeout covers only the headers). */
  timeoutMs?: number | null;
  /** Re-login on 401 and retry once (default true). Calls made while renewing pass false. */
  renew?: boolean;
}

export interface CallResult {
  status: number;
  body: unknown;
  /** Only for `stream: true`: the unread response. */
  response?: Response;
  /** The session the call went to. */
  sessionId: string;
}

interface SessionHooks {
  /** The password for a re-login (keychain, or the copy kept for this run); null: none available. */
  password(): Promise<string | null>;
  /** After a re-login: re-create the station watch and subscriptions before waiting calls retry. */
  renewed(info: SessionInfo): Promise<void>;
  /** A re-login failed (the calls waiting for it fail with the same error). */
  renewFailed?(error: unknown): void;
}

export interface IcwsSessionOptions {
  transport: HttpTransport;
  log: IcwsLogger;
  secrets: SecretSink;
  /** Accept-Language for sign-in and every call, from the agent's locale. */
  locale: () => string;
  hooks: SessionHooks;
  clock?: Clock;
  applicationName?: string;
  requestTimeoutMs?: number;
  /** How many servers one sign-in may try (the configured one plus alternates). */
  maxHostAttempts?: number;
}

export class IcwsSession {
  private readonly clock: Clock;
  private readonly jar: CookieJar;
  private info: SessionInfo | null = null;
  private csrfToken: string | null = null;
  private account: { base: string; userId: string } | null = null;
  /** Alternate host names learned from 201 and 503 answers, kept for reconnects. */
  private alternates: string[] = [];
  private renewing: Promise<SessionInfo> | null = null;
  /** Aborted on disconnect: every request of this session stops with it. */
  private lifetime = new AbortController();

  constructor(private readonly options: IcwsSessionOptions) {
    this.clock = options.clock ?? systemClock;
    this.jar = new CookieJar(
      (value) => options.secrets.add(value),
      (value) => options.secrets.retire(value),
    );
  }

  get current(): SessionInfo | null {
    return this.info;
  }

  get rememberedAlternates(): readonly string[] {
    return this.alternates;
  }

  /** Signs in from scratch, walking alternate hosts on 503 (bounded). Replaces any current session locally. */
  async connect(credentials: Credentials): Promise<SessionInfo> {
    // A new sign-in starts a new lifetime; a renewal (below) stays in the current one, so sign-out stops it.
    if (this.lifetime.signal.aborted) this.lifetime = new AbortController();
    this.account = { base: credentials.base, userId: credentials.userId };
    return this.connectWithin(credentials);
  }

  private async connectWithin(credentials: Credentials): Promise<SessionInfo> {
    this.options.secrets.add(credentials.password);
    const limit = this.options.maxHostAttempts ?? 5;
    const queue: string[] = [credentials.base, ...this.alternates.map((host) => withHost(credentials.base, host))];
    const tried = new Set<string>();
    let lastError: unknown = new IcwsNotConnectedError();
    while (queue.length > 0 && tried.size < limit) {
      const base = queue.shift() as string;
      if (tried.has(base)) continue;
      tried.add(base);
      try {
        const info = await this.signInAt(base, credentials);
        this.info = info;
        return info;
      } catch (error) {
        lastError = error;
        if (error instanceof IcwsHttpError && error.status === 503) {
          const hosts = error.alternateHostList;
          this.remember(hosts);
          this.options.log.info('server not accepting connections, trying alternates', { server: hostPortOf(base), alternates: hosts });
          for (const host of hosts) queue.push(withHost(credentials.base, host));
          continue;
        }
        // A switchover pair whose active member is down: the remembered alternates may answer.
        if ((error instanceof IcwsNetworkError || error instanceof IcwsTimeoutError) && queue.length > 0) continue;
        throw error;
      }
    }
    throw lastError;
  }

  /**
   * Single-flight re-login with the stored account. `staleSessionId` is the session a caller saw fail: if the session
   * was already replaced since, the caller just retries on the new one.
   */
  renew(staleSessionId?: string): Promise<SessionInfo> {
    if (staleSessionId !== undefined && this.info && this.info.sessionId !== staleSessionId) return Promise.resolve(this.info);
    this.renewing ??= this.runRenewal().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  private async runRenewal(): Promise<SessionInfo> {
    const account = this.account;
    if (!account) throw new IcwsNotConnectedError();
    try {
      const password = await this.options.hooks.password();
      if (password === null) throw new IcwsNotConnectedError();
      if (this.lifetime.signal.aborted || this.account !== account) throw new IcwsAbortedError('Signed out.');
      this.options.log.info('signing in again', { server: hostPortOf(account.base), userId: account.userId });
      this.dropSessionSecrets();
      const info = await this.connectWithin({ ...account, password });
      await this.options.hooks.renewed(info);
      return info;
    } catch (error) {
      if (!(error instanceof IcwsAbortedError)) this.options.hooks.renewFailed?.(error);
      throw error;
    }
  }

  /** A session call. On 401 (session expired or unknown) the session is renewed once and the call retried once. */
  async call(options: CallOptions): Promise<CallResult> {
    const info = this.info;
    if (!info) throw new IcwsNotConnectedError();
    try {
      return await this.send(info, options);
    } catch (error) {
      if (!(error instanceof IcwsHttpError) || error.status !== 401 || options.renew === false) throw error;
      this.options.log.info('session no longer valid', { path: options.path, errorId: error.errorId });
      const renewed = await this.renew(info.sessionId);
      return this.send(renewed, options);
    }
  }

  /** Ends the session on the server (best effort) and forgets it locally; aborts everything in flight. */
  async disconnect(): Promise<void> {
    const info = this.info;
    this.lifetime.abort(new IcwsAbortedError('Signed out.'));
    if (info) {
      try {
        await this.send(info, { method: 'DELETE', path: 'connection', timeoutMs: 5000 }, true);
      } catch (error) {
        this.options.log.debug('deleting the connection failed', { error: describe(error) });
      }
    }
    this.forget();
  }

  /** Forgets the session locally without telling the server (it is already gone). */
  forget(): void {
    this.dropSessionSecrets();
    this.info = null;
    this.csrfToken = null;
  }

  /**
   * An ended session's cookie and CSRF token are dead: each new session brings its own (with a new cookie name), so
   * keeping the old ones would only grow the jar and the redaction list with every reconnect. Calls still holding the
   * old session simply get their 401 and join the renewal.
   */
  private dropSessionSecrets(): void {
    this.options.secrets.retire(this.csrfToken);
    this.jar.clear();
  }

  /** Forgets the account too: no renewal is possible afterwards. */
  reset(): void {
    this.lifetime.abort(new IcwsAbortedError('Signed out.'));
    this.forget();
    this.account = null;
  }

  private remember(hosts: readonly string[]): void {
    for (const host of hosts) if (!this.alternates.includes(host)) this.alternates.push(host);
    // Bounded: a misconfigured server must not grow this forever.
    if (this.alternates.length > 8) this.alternates = this.alternates.slice(-8);
  }

  private async signInAt(base: string, credentials: Credentials): Promise<SessionInfo> {
    const url = `${base}/icws/connection?include=features,version`;
    const body = {
      __type: AUTH_REQUEST_TYPE,
      applicationName: this.options.applicationName ?? APPLICATION_NAME,
      userID: credentials.userId,
      password: credentials.password,
    };
    this.options.log.debug('signing in', { server: hostPortOf(base), userId: credentials.userId });
    const { status, body: answer, response } = await this.exchange(base, url, {
      method: 'POST',
      headers: { Accept: ACCEPT_JSON, 'Accept-Language': this.options.locale(), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }, 'connection', false, this.options.requestTimeoutMs ?? 20_000);
    const data = (isObject(answer) ? answer : {}) as Record<string, unknown>;
    const sessionId = stringOf(data.sessionId) ?? response.headers.get('ININ-ICWS-Session-ID') ?? undefined;
    const csrfToken = stringOf(data.csrfToken) ?? response.headers.get('ININ-ICWS-CSRF-Token') ?? undefined;
    if (!sessionId || !csrfToken) {
      throw new IcwsProtocolError(hostPortOf(base), `sign-in answered ${status} without a session id or CSRF token`);
    }
    this.options.secrets.add(csrfToken);
    if (!HEADER_TOKEN.test(csrfToken)) {
      // Sent back as a header on every call: a token no header can carry would fail each of them as "unreachable".
      throw new IcwsProtocolError(hostPortOf(base), `sign-in answered ${status} with a CSRF token that cannot be a header value`, { kind: 'badToken' });
    }
    this.csrfToken = csrfToken;
    const alternateHostList = Array.isArray(data.alternateHostList)
      ? data.alternateHostList.filter((h): h is string => typeof h === 'string' && h !== '' && h !== hostnameOf(base))
      : [];
    this.remember(alternateHostList);
    let features = parseFeatures(data.features);
    if (features === null) features = await this.fetchFeatures(base);
    const userId = stringOf(data.userID) ?? credentials.userId;
    this.options.log.info('signed in', { server: hostPortOf(base), userId, sessionId, features });
    return {
      base,
      sessionId,
      userId,
      displayName: stringOf(data.userDisplayName) ?? userId,
      ...(stringOf(data.icServer) ? { icServer: stringOf(data.icServer) as string } : {}),
      features,
      ...(isObject(data.version) ? { version: data.version } : {}),
      alternateHostList,
    };
  }

  /** Servers that ignore `include=features` are asked directly; if that fails too, nothing is gated. */
  private async fetchFeatures(base: string): Promise<Record<string, number> | null> {
    try {
      const { body } = await this.exchange(base, `${base}/icws/connection/features`, {
        method: 'GET',
        headers: { Accept: ACCEPT_JSON, 'Accept-Language': this.options.locale() },
      }, 'connection/features', false, 10_000);
      return isObject(body) ? parseFeatures(body.featureInfoList) : null;
    } catch (error) {
      this.options.log.warn('feature versions unavailable; no action is gated', { error: describe(error) });
      return null;
    }
  }

  private async send(info: SessionInfo, options: CallOptions, ignoreLifetime = false): Promise<CallResult> {
    const url = `${info.base}/icws/${encodeURIComponent(info.sessionId)}/${options.path}`;
    const headers: Record<string, string> = {
      Accept: options.accept ?? ACCEPT_JSON,
      'Accept-Language': this.options.locale(),
    };
    if (options.csrf !== false && this.csrfToken) headers['ININ-ICWS-CSRF-Token'] = this.csrfToken;
    const init: HttpRequest = { method: options.method, headers };
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    const timeoutMs = options.timeoutMs === undefined ? (this.options.requestTimeoutMs ?? 20_000) : options.timeoutMs;
    const result = await this.exchange(info.base, url, init, options.path, options.stream === true, timeoutMs, options.signal, ignoreLifetime);
    return { status: result.status, body: result.body, sessionId: info.sessionId, ...(options.stream ? { response: result.response } : {}) };
  }

  /**
   * One HTTP exchange with cookies, a timeout and cancellation; non-2xx becomes IcwsHttpError with the parsed ICWS
   * error body. Any 2xx is success: ICWS endpoints differ (200, 201, 202, 204).
   */
  private async exchange(
    base: string,
    url: string,
    init: HttpRequest,
    path: string,
    stream: boolean,
    timeoutMs: number | null,
    signal?: AbortSignal,
    ignoreLifetime = false,
  ): Promise<{ status: number; body: unknown; response: Response }> {
    const host = hostPortOf(base);
    const target = new URL(url);
    const basePath = new URL(base).pathname.replace(/\/+$/, '');
    if (!this.options.transport.managesCookies) {
      const cookie = this.jar.header(target, basePath);
      if (cookie) init.headers.Cookie = cookie;
    }
    const controller = new AbortController();
    let timedOut = false;
    const parents = [signal, ignoreLifetime ? undefined : this.lifetime.signal].filter((s): s is AbortSignal => s !== undefined);
    const onAbort = () => controller.abort();
    for (const parent of parents) {
      if (parent.aborted) controller.abort();
      else parent.addEventListener('abort', onAbort, { once: true });
    }
    const timer =
      timeoutMs !== null
        ? this.clock.setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, timeoutMs)
        : null;
    const cleanup = () => {
      if (timer !== null) this.clock.clearTimeout(timer);
      for (const parent of parents) parent.removeEventListener('abort', onAbort);
    };
    const failure = (error: unknown): IcwsError => {
      if (timedOut) return new IcwsTimeoutError(host, timeoutMs ?? 0);
      if (controller.signal.aborted) return new IcwsAbortedError();
      if (error instanceof IcwsError) return error;
      const cause = (error as { cause?: { code?: string } })?.cause;
      const code = cause?.code ?? (error as NodeJS.ErrnoException)?.code;
      return new IcwsNetworkError(host, code, code ?? (error instanceof Error ? error.message : String(error)));
    };

    let response: Response;
    try {
      if (controller.signal.aborted) throw new IcwsAbortedError();
      init.signal = controller.signal;
      response = await this.options.transport.fetch(url, init);
    } catch (error) {
      cleanup();
      throw failure(error);
    }
    if (!this.options.transport.managesCookies) {
      const setCookies = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
      if (setCookies.length > 0) this.jar.store(target, setCookies);
    }
    const ok = response.status >= 200 && response.status < 300;
    // Method, path and status only: headers and bodies carry the CSRF token, the cookie, passwords, SIP credentials.
    this.options.log.debug('icws request', { method: init.method, path, status: response.status, host });
    if (ok && stream) {
      // The stream's own reader takes over; the timeout guarded only the wait for headers.
      if (timer !== null) this.clock.clearTimeout(timer);
      const release = () => {
        for (const parent of parents) parent.removeEventListener('abort', onAbort);
      };
      controller.signal.addEventListener('abort', release, { once: true });
      return { status: response.status, body: undefined, response: withRelease(response, release) };
    }
    let text: string;
    // An error answer is read only as far as a sentence needs; a success must be whole, so past its bound it is refused.
    const limit = ok ? BODY_LIMITS[bodyKindOf(path)] : BODY_LIMITS.error;
    try {
      text = await readBoundedText(response, limit, !ok);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        this.options.log.warn('answer too large; not read', { method: init.method, path, status: response.status, limitBytes: limit });
        throw new IcwsProtocolError(host, `${init.method} ${path} answered more than ${limit} bytes`, { kind: 'tooLarge', limitBytes: limit });
      }
      throw failure(error);
    } finally {
      cleanup();
    }
    const body = parseBody(text, response.headers.get('content-type'));
    if (!ok) {
      const errorBody: IcwsErrorBody = isObject(body) ? errorBodyOf(body) : { message: plainTextOf(text, response.headers.get('content-type')) || response.statusText };
      throw new IcwsHttpError(response.status, errorBody, host, init.method, path);
    }
    if (body === TOO_DEEP) {
      throw new IcwsProtocolError(host, `${init.method} ${path} answered JSON nested too deeply`, { kind: 'tooDeep', maxDepth: MAX_JSON_DEPTH });
    }
    if (body === INVALID_JSON) throw new IcwsProtocolError(host, `${init.method} ${path} answered ${response.status} with a body that is not JSON`);
    return { status: response.status, body, response };
  }
}

const INVALID_JSON = Symbol('invalid json');
const TOO_DEEP = Symbol('too deep');

function bodyKindOf(path: string): BodyKind {
  if (path === 'connection' || path === 'connection/features') return 'signIn';
  return path === 'messaging/messages' ? 'messages' : 'call';
}

/** Any JSON media type (ICWS's `application/vnd.inin.icws+json`, plain `application/json`), or a body that looks like JSON. */
function parseBody(text: string, contentType: string | null): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const looksJson = /json/i.test(contentType ?? '') || trimmed.startsWith('{') || trimmed.startsWith('[');
  if (!looksJson) return /html|text/i.test(contentType ?? '') ? INVALID_JSON : trimmed;
  const parsed = parseJson(trimmed);
  if (parsed.ok) return parsed.value;
  return parsed.reason === 'tooDeep' ? TOO_DEEP : INVALID_JSON;
}

/** Only the fields of an ICWS error, each of the type it should have: a server or proxy may send anything. */
function errorBodyOf(body: Record<string, unknown>): IcwsErrorBody {
  const out: IcwsErrorBody = {};
  for (const key of ['__type', 'errorId', 'message', 'propertyName'] as const) {
    const value = body[key];
    if (typeof value === 'string' && value !== '') out[key] = value;
  }
  if (typeof body.errorCode === 'number' && Number.isFinite(body.errorCode)) out.errorCode = body.errorCode;
  if (Array.isArray(body.alternateHostList)) {
    out.alternateHostList = body.alternateHostList.filter((host): host is string => typeof host === 'string' && host !== '');
  }
  return out;
}

/** How much of an error page is looked at: its title, or its first words, are all a sentence needs. */
const ERROR_PAGE_CHARS = 8 * 1024;

/**
 * A body that is not JSON (a proxy's error page) as one short line: an HTML page by its title (or its text without
 * markup, scripts and styles), anything else as its first 200 characters. One pass over at most the first
 * ERROR_PAGE_CHARS characters, with plain searches: no regular expression that can backtrack over a hostile page.
 */
export function plainTextOf(text: string, contentType: string | null): string {
  const head = text.slice(0, ERROR_PAGE_CHARS);
  const html = /html/i.test(contentType ?? '') || head.trimStart().startsWith('<');
  const plain = html ? htmlToText(head) : head;
  return plain.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function htmlToText(page: string): string {
  const titleOpen = find(page, /<title/giu, 0);
  if (titleOpen >= 0) {
    const contentStart = page.indexOf('>', titleOpen);
    const contentEnd = contentStart < 0 ? -1 : find(page, /<\/title/giu, contentStart);
    if (contentEnd >= 0) {
      const title = withoutTags(page.slice(contentStart + 1, contentEnd));
      if (title.trim() !== '') return decodeEntities(title);
    }
  }
  return decodeEntities(withoutTags(page));
}

/** Index of the first match of a literal pattern (no quantifier: each search is linear) at or after `from`, or -1. */
function find(text: string, pattern: RegExp, from: number): number {
  pattern.lastIndex = from;
  return pattern.exec(text)?.index ?? -1;
}

const SCRIPT_OR_STYLE = /<(script|style)\b/iuy;
const ELEMENT_END = { script: /<\/script/giu, style: /<\/style/giu } as const;

/** The text between tags; a script or style element is skipped whole, and an unclosed one ends the text. */
function withoutTags(page: string): string {
  const parts: string[] = [];
  let at = 0;
  while (at < page.length) {
    const open = page.indexOf('<', at);
    if (open < 0) {
      parts.push(page.slice(at));
      break;
    }
    parts.push(page.slice(at, open), ' ');
    const close = page.indexOf('>', open + 1);
    if (close < 0) break;
    SCRIPT_OR_STYLE.lastIndex = open;
    const name = SCRIPT_OR_STYLE.exec(page)?.[1]?.toLowerCase() as keyof typeof ELEMENT_END | undefined;
    if (name) {
      const end = find(page, ELEMENT_END[name], close + 1);
      const endClose = end < 0 ? -1 : page.indexOf('>', end);
      if (endClose < 0) break;
      at = endClose + 1;
    } else {
      at = close + 1;
    }
  }
  return parts.join('');
}

const ENTITIES: Record<string, string> = { nbsp: ' ', lt: '‹', gt: '›', amp: '&', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  // `&name;` with a bounded name: no overlapping alternatives, so this stays linear.
  return text.replace(/&(#?[a-z0-9]{1,10});/gi, (_, name: string) => ENTITIES[name.toLowerCase()] ?? ' ');
}

function parseFeatures(value: unknown): Record<string, number> | null {
  if (!Array.isArray(value)) return null;
  const features: Record<string, number> = {};
  for (const item of value) {
    if (!isObject(item)) continue;
    const id = stringOf(item.featureId);
    const version = typeof item.version === 'number' ? item.version : Number(item.version);
    if (id && Number.isFinite(version)) features[id] = version;
  }
  return features;
}

/** The stream's abort listeners are released when its reader finishes, however it finishes. */
function withRelease(response: Response, release: () => void): Response {
  const body = response.body;
  if (!body) {
    release();
    return response;
  }
  const reader = body.getReader();
  const wrapped = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          release();
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        release();
        controller.error(error);
      }
    },
    cancel(reason) {
      release();
      return reader.cancel(reason);
    },
  });
  return new Response(wrapped, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
