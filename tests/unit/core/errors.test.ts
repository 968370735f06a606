import { describe, expect, it } from 'vitest';
import { dialerUnavailableSentence, toCompanionError, type Action } from '../../../main/core/errors';
import {
  IcwsCertificateError,
  IcwsHttpError,
  IcwsNetworkError,
  IcwsSessionEndedError,
  IcwsTimeoutError,
  IcwsUnsupportedError,
} from '../../../main/icws/errors';

const http = (status: number, body: Record<string, unknown> = {}) => new IcwsHttpError(status, { message: 'Server text.', ...body }, 'cic1:8019', 'POST', 'x');
const map = (error: unknown, action: Action = 'followMe') => toCompanionError(error, { action, server: 'cic1:8019' });

describe('toCompanionError', () => {
  it('noStation says to log in to a station, for the action at hand', () => {
    const error = http(400, { errorId: 'error.request.noStation' });
    expect(map(error)).toEqual({
      kind: 'noStation',
      message: 'Log in to a station first: the follow-me prompt is recorded over your phone.',
      errorId: 'error.request.noStation',
      status: 400,
    });
    expect(map(error, 'voicemail.play').message).toBe('Log in to a station first: the voicemail plays on your phone.');
  });

  it('bad credentials are authenticationFailed', () => {
    const error = http(400, { errorId: 'error.request.connection.authenticationFailure', errorCode: -2147221503 });
    expect(map(error, 'signIn')).toMatchObject({ kind: 'authenticationFailed', status: 400, errorId: 'error.request.connection.authenticationFailure' });
  });

  it('a 400 on stop means the voicemail is not playing; a validation 400 is invalidInput; another 400 refused', () => {
    expect(map(http(400, { errorId: 'error.request.invalidRepresentation.malformed' }), 'voicemail.stop').kind).toBe('notPlaying');
    expect(map(http(400, { errorId: 'error.request.invalidRepresentation.invalidProperty', propertyName: 'callId' }), 'dialer.updateCallData')).toMatchObject({
      kind: 'invalidInput',
      message: expect.stringMatching(/^CIC did not accept the call id\./),
    });
    expect(map(http(400, { errorId: 'error.request.connection.stationInUse' }), 'station.logIn')).toMatchObject({
      kind: 'refused',
      message: expect.stringContaining('Server text.'),
    });
  });

  it('403 on a Dialer action names the licence and the right', () => {
    const mapped = map(http(403, { errorId: 'error.request.accessDenied' }), 'dialer.markForFinishing');
    expect(mapped.kind).toBe('forbidden');
    expect(mapped.message).toMatch(/Dialer Add-on licence/);
    expect(mapped.message).toMatch(/Logon Campaign/);
    expect(map(http(403), 'station.logIn').message).toMatch(/Logon Stations/);
  });

  it('401, 404, 410, 503 and 5xx keep status and errorId', () => {
    expect(map(http(401, { errorId: 'error.request.sessionNotFound' }))).toMatchObject({ kind: 'sessionExpired', status: 401, errorId: 'error.request.sessionNotFound' });
    expect(map(http(404))).toMatchObject({ kind: 'notFound', status: 404 });
    expect(map(http(410, { errorId: 'error.request.gone' }))).toMatchObject({ kind: 'gone', status: 410 });
    expect(map(http(503), 'signIn')).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(map(http(500))).toMatchObject({ kind: 'server', status: 500 });
  });

  it('network failures name the server', () => {
    expect(map(new IcwsNetworkError('cic1:8019', 'ECONNREFUSED', 'the connection was refused'), 'signIn')).toEqual({
      kind: 'network',
      message: 'Could not reach the CIC server at cic1:8019 (the connection was refused). Check the address and your network.',
    });
    expect(map(new IcwsTimeoutError('cic1:8019', 20000)).message).toMatch(/cic1:8019 did not answer in time/);
  });

  it('an untrusted certificate carries what the agent needs to pin it', () => {
    const certificate = { host: 'cic1:8019', fingerprint256: 'AB:CD', subject: 'CN=cic1', issuer: 'CN=cic1' };
    expect(map(new IcwsCertificateError(certificate, 'DEPTH_ZERO_SELF_SIGNED_CERT'), 'signIn')).toMatchObject({ kind: 'untrustedCertificate', certificate });
  });

  it('a missing or old feature is unsupported with id, needed and available', () => {
    expect(map(new IcwsUnsupportedError({ id: 'dialer', needed: 7, available: 3 }), 'dialer.markForFinishing')).toMatchObject({
      kind: 'unsupported',
      feature: { id: 'dialer', needed: 7, available: 3 },
    });
    expect(map(new IcwsUnsupportedError({ id: 'voice-prompts', needed: 2, available: null })).message).toMatch(/does not offer voice prompts at all/);
  });

  it('a server-side close says whether the companion reconnects', () => {
    expect(map(new IcwsSessionEndedError('Shutting down.', true)).kind).toBe('unavailable');
    expect(map(new IcwsSessionEndedError('Logged off by an administrator.', false))).toMatchObject({
      kind: 'sessionExpired',
      message: expect.stringContaining('Logged off by an administrator.'),
    });
  });
});

describe('toCompanionError at sign-in', () => {
  it('a 404, 405 or redirect means the address is not a CIC server, not that CIC refused the agent', () => {
    for (const status of [404, 405, 302]) {
      const error = map(http(status, { message: 'Method not allowed.' }), 'signIn');
      expect(error).toMatchObject({ kind: 'server', status });
      expect(error.message).toBe(`The server at cic1:8019 did not answer like a CIC server (HTTP ${status}). Check the server address (a web proxy needs its full path).`);
    }
    // After sign-in, a 404 still means CIC could not find what was asked for.
    expect(map(http(404), 'voicemail.play').kind).toBe('notFound');
  });

  it('server text is redacted before it is clipped, so a secret cut at the limit cannot slip through half', () => {
    const secret = 'S3CRET-TOKEN-0123456789abcdef';
    const message = `${'x'.repeat(280)} ${secret}`;
    const error = toCompanionError(http(500, { message }), { action: 'followMe', server: 'cic1:8019', redact: (text) => text.split(secret).join('[redacted]') });
    expect(error.message).not.toContain('S3CRET');
    expect(error.message).toContain('[redacted]');
  });

  it('a Dialer 403 naming the licence or the Logon Campaign right becomes one sentence; others do not', () => {
    expect(dialerUnavailableSentence(http(403, { message: 'Neither the agent nor the station has a Dialer Add-on License available.' }))).toBe(
      'Dialer actions are not available to you: your CIC account has no Dialer licence.',
    );
    expect(dialerUnavailableSentence(http(403, { message: 'The agent does not have the "Logon Campaign" security right.' }))).toMatch(/Logon Campaign/);
    expect(dialerUnavailableSentence(http(403))).toBeNull();
    expect(dialerUnavailableSentence(http(400, { message: 'licence' }))).toBeNull();
  });

  it('a property CIC names is said in words; an unknown one is left out', () => {
    expect(map(http(400, { errorId: 'error.request.invalidRepresentation.invalidProperty', propertyName: 'workstation' }), 'station.logIn').message).toMatch(
      /^CIC did not accept the workstation name\./,
    );
    expect(map(http(400, { errorId: 'error.request.invalidRepresentation.invalidProperty', propertyName: 'zzInternal' }), 'station.logIn').message).toMatch(
      /^CIC did not accept what was sent to log in to the station\./,
    );
  });
});
