import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { GONE_MESSAGE, WWW_AUTHENTICATE } from '../../sim';
import { IC_AUTH, ICWS_JSON, login, loginBody, request, simulatorsPerTest } from './helpers';

const sim = simulatorsPerTest();

function signIn(base: string, body: string, headers: Record<string, string> = { 'Accept-Language': 'en-US' }, query = '') {
  return request(`${base}/icws/connection${query}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
}

describe('POST /icws/connection', () => {
  it('signs in with 201, session headers, a numeric id and a path-scoped HttpOnly cookie', async () => {
    const s = await sim();
    const answer = await signIn(s.url, loginBody());
    expect(answer.status).toBe(201);
    expect(answer.headers.get('content-type')).toBe(ICWS_JSON);
    const body = answer.json as Record<string, unknown>;
    expect(body.sessionId).toMatch(/^\d+$/);
    expect(answer.headers.get('ININ-ICWS-Session-ID')).toBe(body.sessionId);
    expect(answer.headers.get('ININ-ICWS-CSRF-Token')).toBe(body.csrfToken);
    expect(typeof body.csrfToken).toBe('string');
    expect(body).toMatchObject({ userID: 'agent1', userDisplayName: 'Agent One', icServer: 'CICSIM01', alternateHostList: [] });
    expect(body.features).toBeUndefined();
    const cookie = answer.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(
      new RegExp(`^icws_${String(body.sessionId)}=[0-9a-f-]{36}\\|languageId=en-us; Path=/icws/${String(body.sessionId)}; HttpOnly$`),
    );
  });

  it('honours include=features,version,effective-station', async () => {
    const s = await sim();
    const answer = await signIn(s.url, loginBody(), undefined, '?include=features,version,effective-station');
    const body = answer.json as Record<string, unknown>;
    expect(body.features).toEqual(
      expect.arrayContaining([
        { featureId: 'connection', version: 15 },
        { featureId: 'messaging', version: 2 },
        { featureId: 'voice-prompts', version: 2 },
        { featureId: 'unified-messaging', version: 2 },
        { featureId: 'dialer', version: 7 },
      ]),
    );
    expect(body.version).toMatchObject({ majorVersion: '18', productReleaseDisplayString: '2018 R4' });
    expect(body).toHaveProperty('effectiveStation', null);
  });

  it('takes the language of the cookie from Accept-Language', async () => {
    const s = await sim();
    const answer = await signIn(s.url, loginBody(), { 'Accept-Language': 'fr-CA,fr;q=0.8' });
    expect(answer.headers.get('set-cookie')).toContain('|languageId=fr-ca;');
  });

  it('accepts the body as application/vnd.inin.icws+JSON;charset=utf-8 and ignores unknown headers', async () => {
    const s = await sim();
    const answer = await signIn(s.url, loginBody(), {
      'Accept-Language': 'en-us',
      'Content-Type': 'application/vnd.inin.icws+JSON;charset=utf-8',
      'X-ICWS-DevTools-CorrelationId': 'abc',
      'ININ-ICWS-Session-ID': 'whatever',
    });
    expect(answer.status).toBe(201);
  });

  it('answers a bad password or an unknown user with authenticationFailure', async () => {
    const s = await sim();
    for (const body of [loginBody('agent1', 'wrong'), loginBody('nobody', '1234')]) {
      const answer = await signIn(s.url, body);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({
        errorId: 'error.request.connection.authenticationFailure',
        errorCode: -2147221503,
        message: 'The authentication process failed.',
      });
    }
  });

  it('requires Accept-Language', async () => {
    const s = await sim();
    // fetch always adds `Accept-Language: *`, so this request goes out through http.request.
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(`${s.url}/icws/connection`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end(loginBody());
    });
    expect(status).toBe(400);
    expect(JSON.parse(body)).toMatchObject({
      __type: 'urn:inin.com:common:missingPropertyError',
      errorId: 'error.request.invalidRepresentation.missingRequiredParameter',
      propertyName: 'Accept-Language',
    });
  });

  it('requires __type, applicationName, userID and password', async () => {
    const s = await sim();
    const full = { __type: IC_AUTH, applicationName: 'a', userID: 'agent1', password: '1234' };
    for (const missing of ['__type', 'applicationName', 'userID', 'password'] as const) {
      const body: Record<string, string> = { ...full };
      delete body[missing];
      const answer = await signIn(s.url, JSON.stringify(body));
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ __type: 'urn:inin.com:common:missingPropertyError', propertyName: missing });
    }
  });

  it('answers 503 with the alternate host list when not accepting, and 201 again after resume', async () => {
    const s = await sim({ scenario: { server: { alternateHostList: ['127.0.0.2'] } } });
    s.control.stopAccepting();
    const refused = await signIn(s.url, loginBody());
    expect(refused.status).toBe(503);
    expect(refused.json).toEqual({
      alternateHostList: ['127.0.0.2'],
      errorId: 'error.server.notAcceptingConnections',
      message: 'This Session Manager is not currently accepting connections.',
    });
    s.control.resumeAccepting();
    expect((await signIn(s.url, loginBody())).status).toBe(201);
  });

  it('has a backup on 127.0.0.2 at the same port that takes the connection the primary refuses', async () => {
    const primary = await sim({ scenario: { server: { alternateHostList: ['127.0.0.2'] } } });
    const backup = await sim({ host: '127.0.0.2', port: primary.port });
    expect(backup.url).toBe(`http://127.0.0.2:${primary.port}`);
    primary.control.stopAccepting();
    const refused = await signIn(primary.url, loginBody());
    const [alternate] = (refused.json as { alternateHostList: string[] }).alternateHostList;
    const answer = await signIn(`http://${String(alternate)}:${primary.port}`, loginBody());
    expect(answer.status).toBe(201);
    expect(backup.control.state().sessions).toHaveLength(1);
    expect(primary.control.state().sessions).toHaveLength(0);
  });
});

describe('features and version', () => {
  it('lists features without a session and drops those at version 0', async () => {
    const s = await sim({ features: { dialer: 0, messaging: 1 } });
    const answer = await request(`${s.url}/icws/connection/features`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe(ICWS_JSON);
    const list = (answer.json as { featureInfoList: { featureId: string; version: number }[] }).featureInfoList;
    expect(list).toContainEqual({ featureId: 'messaging', version: 1 });
    expect(list.map((f) => f.featureId)).not.toContain('dialer');
    expect((await request(`${s.url}/icws/connection/features/connection`)).json).toEqual({ featureId: 'connection', version: 15 });
    expect((await request(`${s.url}/icws/connection/features/dialer`)).status).toBe(400);
  });

  it('answers the version', async () => {
    const s = await sim();
    const answer = await request(`${s.url}/icws/connection/version`);
    expect(answer.json).toMatchObject({ majorVersion: '18', minorVersion: '4', su: '0', productId: 'ININ.CIC', codebaseId: '18.4.0.62' });
  });
});

describe('session checks', () => {
  it('GET connection answers the connection state; DELETE logs out with 200 and drops the station', async () => {
    const s = await sim();
    const client = await login(s);
    expect((await client.call('GET', 'connection')).json).toEqual({ connectionState: 1, reason: '', shouldReconnect: false });
    await client.stationLogon('7001');
    const logout = await client.call('DELETE', 'connection');
    expect(logout.status).toBe(200);
    expect(s.control.state().stations).toEqual([]);
    expect(s.control.state().sessions).toEqual([]);
    expect((await client.call('GET', 'connection')).status).toBe(401);
  });

  it('answers 401 with the exact WWW-Authenticate header for a missing cookie or CSRF token (errorCode 1)', async () => {
    const s = await sim();
    const client = await login(s);
    const noCookie = await request(client.url('connection'), { headers: { 'ININ-ICWS-CSRF-Token': client.csrfToken } });
    const noCsrf = await request(client.url('connection'), { headers: { Cookie: client.cookie } });
    for (const answer of [noCookie, noCsrf]) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe(WWW_AUTHENTICATE);
      expect(answer.headers.get('www-authenticate')).toBe('ICWS realm="ICWS" location="/ICWS/connection"');
      expect(answer.json).toMatchObject({ errorCode: 1 });
      expect(typeof (answer.json as { message: unknown }).message).toBe('string');
    }
  });

  it('answers 401 errorCode 2 for a wrong token, an unknown session and an expired session', async () => {
    const s = await sim();
    const client = await login(s);
    const wrongCsrf = await client.call('GET', 'connection', undefined, { 'ININ-ICWS-CSRF-Token': 'nope' });
    const wrongCookie = await client.call('GET', 'connection', undefined, { Cookie: `icws_${client.sessionId}=00000000-0000-0000-0000-000000000000|languageId=en-us` });
    const unknown = await request(`${s.url}/icws/99999999/connection`, {
      headers: { Cookie: 'icws_99999999=x', 'ININ-ICWS-CSRF-Token': 'y' },
    });
    s.control.expireSessions();
    const expired = await client.call('GET', 'connection');
    for (const answer of [wrongCsrf, wrongCookie, unknown, expired]) {
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe(WWW_AUTHENTICATE);
      expect(answer.json).toMatchObject({ errorCode: 2 });
    }
  });

  it('lets messaging/messages through with the cookie alone, but not without it', async () => {
    const s = await sim();
    const client = await login(s);
    const ok = await request(client.url('messaging/messages'), { headers: { Cookie: client.cookie } });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual([]);
    const refused = await request(client.url('messaging/messages'));
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(WWW_AUTHENTICATE);
  });
});

describe('gone, unknown, malformed', () => {
  it('answers 410 with the documented text when the feature is too old or absent', async () => {
    const s = await sim({ features: { 'voice-prompts': 1, 'unified-messaging': 1, dialer: 6 } });
    const client = await login(s);
    const cases: [string, string][] = [
      ['POST', 'voice-prompts/followme/record'],
      ['POST', 'unified-messaging/vm-agent1-0003/voicemail-message/play/start'],
      ['POST', 'unified-messaging/vm-agent1-0003/voicemail-message/play/stop'],
      ['POST', 'dialer/mark-call-for-finishing'],
    ];
    for (const [method, path] of cases) {
      const answer = await client.call(method, path, {});
      expect(answer.status, path).toBe(410);
      expect((answer.json as { message: string }).message).toBe(GONE_MESSAGE);
      expect(GONE_MESSAGE).toBe('This resource has been deprecated and removed from the API.');
    }
    // update-call-data only needs dialer 3, and unified-messaging 1 still has mark read.
    expect((await client.call('POST', 'dialer/update-call-data', {})).status).not.toBe(410);
    expect((await client.call('PUT', 'unified-messaging/vm-agent1-0003', { state: 1 })).status).toBe(204);
  });

  it('answers 410 for update-call-data below dialer 3 and for Dialer without the feature', async () => {
    const low = await sim({ features: { dialer: 2 } });
    expect((await (await login(low)).call('POST', 'dialer/update-call-data', {})).status).toBe(410);
    const none = await sim({ features: { dialer: 0 } });
    expect((await (await login(none)).call('POST', 'dialer/update-call-data', {})).status).toBe(410);
  });

  it('answers an unknown ICWS path with 404 and an error body, and a wrong method with 405 and Allow', async () => {
    const s = await sim();
    const client = await login(s);
    const unknown = await client.call('GET', 'interactions/12345');
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe(ICWS_JSON);
    expect(unknown.json).toMatchObject({ errorId: 'error.request.notFound' });
    expect((await request(`${s.url}/elsewhere`)).status).toBe(404);
    const wrong = await client.call('POST', 'connection/station');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')?.split(', ').sort()).toEqual(['DELETE', 'GET', 'PUT']);
    expect(wrong.json).toMatchObject({ errorId: 'error.request.methodNotAllowed' });
  });

  it('answers malformed JSON with 400 invalidRepresentation.malformed', async () => {
    const s = await sim();
    const client = await login(s);
    const answer = await request(client.url('connection/station'), { method: 'PUT', headers: client.headers(), body: '{"__type": ' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ __type: 'urn:inin.com:common:error', errorId: 'error.request.invalidRepresentation.malformed' });
    const signInAnswer = await signIn(s.url, 'not json');
    expect(signInAnswer.json).toMatchObject({ errorId: 'error.request.invalidRepresentation.malformed' });
    const array = await client.call('PUT', 'connection/station', [1, 2]);
    expect(array.json).toMatchObject({ errorId: 'error.request.invalidRepresentation.malformed' });
  });

  it('refuses a body over 1 MiB with 413 and keeps serving', async () => {
    const s = await sim();
    const client = await login(s);
    const big = JSON.stringify({ __type: 'urn:inin.com:connection:workstationSettings', workstation: 'x'.repeat(1024 * 1024 + 10) });
    const answer = await request(client.url('connection/station'), { method: 'PUT', headers: client.headers(), body: big });
    expect(answer.status).toBe(413);
    expect(answer.json).toMatchObject({ errorId: 'error.request.entityTooLarge' });
    expect((await client.call('GET', 'connection')).status).toBe(200);
  });

  it('refuses a non-JSON media type with 415', async () => {
    const s = await sim();
    const client = await login(s);
    const answer = await request(client.url('connection/station'), {
      method: 'PUT',
      headers: client.headers({ 'Content-Type': 'text/plain' }),
      body: 'workstation=7001',
    });
    expect(answer.status).toBe(415);
  });

  it('survives garbage: bad percent-encoding, absurd paths, a raw broken request', async () => {
    const s = await sim();
    const client = await login(s);
    expect((await request(`${s.url}/icws/${client.sessionId}/unified-messaging/%E0%A4%A/voicemail-message/play/stop`)).status).toBe(404);
    expect((await request(`${s.url}/icws/${'a/'.repeat(200)}`)).status).toBe(404);
    const net = await import('node:net');
    await new Promise<void>((resolve) => {
      const socket = net.connect(s.port, '127.0.0.1', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
    expect((await client.call('GET', 'connection')).status).toBe(200);
  });
});
