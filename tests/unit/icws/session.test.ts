import { describe, expect, it } from 'vitest';
import { setVoicemailState } from '../../../main/icws/api';
import { toCompanionError } from '../../../main/core/errors';
import { IcwsHttpError, IcwsNetworkError, IcwsProtocolError } from '../../../main/icws/errors';
import { IcwsSession, plainTextOf, type SessionInfo } from '../../../main/icws/session';
import type { HttpRequest, HttpTransport } from '../../../main/icws/transport';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/vnd.inin.icws+json; charset=utf-8', ...headers },
  });

interface Seen {
  url: string;
  init: HttpRequest;
}

/** A scripted CIC: sign-ins hand out sessions s1, s2...; `valid` decides which sessions calls may use. */
function fakeServer(options: { password?: string; answerSignIn?: (url: URL) => Response | null } = {}) {
  const seen: Seen[] = [];
  let sessions = 0;
  const valid = new Set<string>();
  const transport: HttpTransport = {
    managesCookies: false,
    fetch: async (url, init) => {
      seen.push({ url, init: { ...init, headers: { ...init.headers } } });
      const target = new URL(url);
      if (target.pathname === '/icws/connection') {
        const scripted = options.answerSignIn?.(target);
        if (scripted) return scripted;
        const body = JSON.parse(init.body ?? '{}');
        if (body.password !== (options.password ?? 'pw')) {
          return json(400, { errorId: 'error.request.connection.authenticationFailure', errorCode: -2147221503, message: 'The authentication process failed.' });
        }
        const id = `s${++sessions}`;
        valid.add(id);
        return json(
          201,
          { sessionId: id, csrfToken: `csrf-${id}`, userID: 'agent1', userDisplayName: 'Agent One', features: [{ featureId: 'messaging', version: 2 }], alternateHostList: [] },
          { 'Set-Cookie': `icws_${id}=cookie-${id}|languageId=en-us; Path=/icws/${id}; HttpOnly` },
        );
      }
      const id = target.pathname.split('/')[2] ?? '';
      if (!valid.has(id)) return json(401, { errorId: 'error.request.sessionNotFound', errorCode: 2, message: 'The session could not be found.' });
      return new Response(null, { status: 204 });
    },
  };
  return { transport, seen, valid, signIns: () => seen.filter((s) => new URL(s.url).pathname === '/icws/connection').length };
}

function makeSession(transport: HttpTransport, password: () => Promise<string | null> = async () => 'pw') {
  const renewedWith: SessionInfo[] = [];
  const failures: unknown[] = [];
  const secrets: string[] = [];
  const retired: string[] = [];
  const session = new IcwsSession({
    transport,
    log: silent,
    secrets: { add: (v) => v && secrets.push(v), retire: (v) => v && retired.push(v) },
    locale: () => 'fr-CA',
    hooks: { password, renewed: async (info) => void renewedWith.push(info), renewFailed: (error) => void failures.push(error) },
  });
  return { session, renewedWith, failures, secrets, retired };
}

describe('IcwsSession', () => {
  it('signs in with the application name, Accept-Language and include=features,version; sends CSRF and cookie after', async () => {
    const server = fakeServer();
    const { session, secrets } = makeSession(server.transport);
    const info = await session.connect({ base: 'https://cic1:8019', userId: 'agent1', password: 'pw' });
    expect(info).toMatchObject({ sessionId: 's1', displayName: 'Agent One', features: { messaging: 2 } });
    const signIn = server.seen[0]!;
    expect(signIn.url).toBe('https://cic1:8019/icws/connection?include=features,version');
    expect(signIn.init.headers['Accept-Language']).toBe('fr-CA');
    expect(JSON.parse(signIn.init.body!)).toEqual({
      __type: 'urn:inin.com:connection:icAuthConnectionRequestSettings',
      applicationName: 'ICWS Companion',
      userID: 'agent1',
      password: 'pw',
    });
    await session.call({ method: 'POST', path: 'voice-prompts/followme/record' });
    await session.call({ method: 'GET', path: 'messaging/messages', csrf: false });
    const [, action, messages] = server.seen;
    expect(action!.init.headers).toMatchObject({ 'ININ-ICWS-CSRF-Token': 'csrf-s1', Cookie: 'icws_s1=cookie-s1|languageId=en-us' });
    expect(messages!.init.headers.Cookie).toBe('icws_s1=cookie-s1|languageId=en-us');
    expect(messages!.init.headers['ININ-ICWS-CSRF-Token']).toBeUndefined();
    expect(secrets).toEqual(expect.arrayContaining(['pw', 'csrf-s1', 'cookie-s1|languageId=en-us']));
  });

  it('renews once for all calls that meet a 401 together, then each retries on the new session', async () => {
    const server = fakeServer();
    const { session, renewedWith } = makeSession(server.transport);
    await session.connect({ base: 'https://cic1:8019', userId: 'agent1', password: 'pw' });
    server.valid.clear();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => session.call({ method: 'POST', path: `dialer/op${i}` })),
    );
    expect(results.every((r) => r.sessionId === 's2')).toBe(true);
    expect(server.signIns()).toBe(2);
    expect(renewedWith.map((i) => i.sessionId)).toEqual(['s2']);
  });

  it("drops an expired session's cookie and token at renewal, so reconnects do not pile them up", async () => {
    const server = fakeServer();
    const { session, retired } = makeSession(server.transport);
    await session.connect({ base: 'https://cic1:8019', userId: 'agent1', password: 'pw' });
    for (let round = 0; round < 3; round++) {
      server.valid.clear();
      await session.call({ method: 'POST', path: 'dialer/op' });
    }
    expect(retired).toEqual(expect.arrayContaining(['csrf-s1', 'cookie-s1|languageId=en-us', 'csrf-s3']));
    const last = server.seen.at(-1)!;
    expect(last.url).toContain('/icws/s4/');
    expect(last.init.headers.Cookie).toBe('icws_s4=cookie-s4|languageId=en-us');
  });

  it('fails every waiting call with the authentication error when the password no longer works', async () => {
    let password = 'pw';
    const server = fakeServer();
    const { session, failures } = makeSession(server.transport, async () => password);
    await session.connect({ base: 'https://cic1:8019', userId: 'agent1', password: 'pw' });
    server.valid.clear();
    password = 'changed';
    const outcomes = await Promise.allSettled([session.call({ method: 'POST', path: 'a' }), session.call({ method: 'POST', path: 'b' })]);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(IcwsHttpError);
      expect(((outcome as PromiseRejectedResult).reason as IcwsHttpError).errorId).toBe('error.request.connection.authenticationFailure');
    }
    expect(server.signIns()).toBe(2);
    expect(failures).toHaveLength(1);
  });

  it('walks the alternate hosts of a 503 on the same scheme and port, bounded, and remembers them', async () => {
    const tried: string[] = [];
    const server = fakeServer({
      answerSignIn: (url) => {
        tried.push(url.host);
        if (url.hostname === 'cic2') return null;
        return json(503, { alternateHostList: ['cic1', 'cic3', 'cic2'], errorId: 'error.server.notAcceptingConnections', message: 'no' });
      },
    });
    const { session } = makeSession(server.transport);
    const info = await session.connect({ base: 'https://cic1:8019', userId: 'agent1', password: 'pw' });
    expect(info.base).toBe('https://cic2:8019');
    expect(tried).toEqual(['cic1:8019', 'cic3:8019', 'cic2:8019']);
    expect(session.rememberedAlternates).toEqual(['cic1', 'cic3', 'cic2']);
  });

  it('gives up after maxHostAttempts servers when every one is refusing', async () => {
    let n = 0;
    const server = fakeServer({
      answerSignIn: () => json(503, { alternateHostList: [`h${++n}`], errorId: 'error.server.notAcceptingConnections', message: 'no' }),
    });
    const { session } = makeSession(server.transport);
    await expect(session.connect({ base: 'https://cic1:8019', userId: 'agent1', password: 'pw' })).rejects.toMatchObject({ status: 503 });
    expect(server.signIns()).toBe(5);
  });

  it('turns a refused connection into a network error naming the server', async () => {
    const transport: HttpTransport = {
      managesCookies: false,
      fetch: async () => {
        throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
      },
    };
    const { session } = makeSession(transport);
    const error = await session.connect({ base: 'https://cic9:8019', userId: 'a', password: 'pw' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IcwsNetworkError);
    expect((error as IcwsNetworkError).host).toBe('cic9:8019');
  });

  it('never sends a Cookie header through a transport that manages cookies itself', async () => {
    const server = fakeServer();
    const transport: HttpTransport = { ...server.transport, managesCookies: true };
    const { session } = makeSession(transport);
    await session.connect({ base: 'https://cic1:8019', userId: 'agent1', password: 'pw' });
    await session.call({ method: 'GET', path: 'connection' });
    expect(server.seen.every((s) => s.init.headers.Cookie === undefined)).toBe(true);
  });
});

describe('voicemail ids in request paths', () => {
  it('refuses an id that would climb out of its path segment, before any request', async () => {
    const calls: unknown[] = [];
    const call = async (options: unknown) => {
      calls.push(options);
      return { status: 200, body: null, sessionId: 's1' };
    };
    for (const id of ['..', '.', '']) {
      const error = await Promise.resolve()
        .then(() => setVoicemailState(call, id, true))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IcwsProtocolError);
      expect((error as IcwsProtocolError).problem).toEqual({ kind: 'unsafeId', id });
      expect(toCompanionError(error, { action: 'voicemail.stop', server: 'cic1' }).message).toBe(
        `CIC listed a voicemail with the id "${id}", which cannot be sent back to it safely, so the companion did not stop the voicemail.`,
      );
    }
    await setVoicemailState(call, 'a/../b', true);
    expect(calls).toEqual([{ method: 'PUT', path: 'unified-messaging/a%2F..%2Fb', body: { state: 1 } }]);
  });
});

describe('error pages as one line of text', () => {
  const pathological = [
    ['unclosed script tags', '<html>' + '<script>'.repeat(500_000)],
    ['unclosed title tags', '<title>'.repeat(500_000)],
    ['tags that never close', '<'.repeat(2_000_000)],
    ['entity-like runs', '&'.repeat(1_000_000) + 'a'.repeat(1_000_000)],
    ['a script that never ends', `<html><p>Gateway down</p><script>${'x<'.repeat(1_000_000)}`],
  ] as const;

  it.each(pathological)('reads only the start of a page of %s, in one pass', (_, page) => {
    const text = plainTextOf(page, 'text/html');
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text).not.toMatch(/<script|<title/i);
  });

  it('finds the title, drops scripts and styles, decodes the common entities', () => {
    expect(plainTextOf('<html><head><style>p{}</style><title>502 &amp; Bad&nbsp;Gateway</title></head></html>', 'text/html')).toBe('502 & Bad Gateway');
    expect(plainTextOf('<p>Gateway down</p><SCRIPT>alert("<b>x</b>")</SCRIPT><p>try later &lt;soon&gt;</p>', null)).toBe('Gateway down try later ‹soon›');
    expect(plainTextOf(`${'a'.repeat(9000)}<title>late</title>`, 'text/plain')).toBe('a'.repeat(200));
  });
});
