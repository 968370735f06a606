import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { IcwsAbortedError, IcwsCertificateError, IcwsNetworkError } from '../../main/icws/errors';
import {
  CertificateTrust,
  createPinPrompt,
  electronFingerprintToHex,
  pinHostname,
  VERIFY_ACCEPT,
  VERIFY_REJECT,
  VERIFY_USE_CHROMIUM,
  type VerifyRequest,
} from '../../main/shell/certificates';
import { createElectronTransport } from '../../main/shell/electronTransport';
import { electronFetch, FakeSession, recordingLogger } from './fakes';

const der = Buffer.from('a self-signed CIC certificate');
const digest = createHash('sha256').update(der).digest();
const electronFingerprint = `sha256/${digest.toString('base64')}`;
const hex = [...digest].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');

const request = (over: Partial<VerifyRequest> = {}): VerifyRequest => ({
  hostname: 'cic1.example.com',
  verificationResult: 'net::ERR_CERT_AUTHORITY_INVALID',
  errorCode: -202,
  certificate: { fingerprint: electronFingerprint, subjectName: 'cic1', issuerName: 'cic1' },
  ...over,
});

function verify(trust: CertificateTrust, req: VerifyRequest): number {
  const callback = vi.fn();
  trust.verify(req, callback);
  expect(callback).toHaveBeenCalledTimes(1);
  return callback.mock.calls[0]![0] as number;
}

describe('fingerprints', () => {
  it('converts Electron sha256/base64 to colon hex', () => {
    expect(electronFingerprintToHex(electronFingerprint)).toBe(hex);
    expect(electronFingerprintToHex('sha1/AAAA')).toBeNull();
    expect(electronFingerprintToHex('sha256/AAAA')).toBeNull();
  });
  it('reads the host of a host:port pin', () => {
    expect(pinHostname('CIC1.example.com:8019')).toBe('cic1.example.com');
    expect(pinHostname('[::1]:8019')).toBe('::1');
    expect(pinHostname('cic1')).toBe('cic1');
  });
});

describe('CertificateTrust (the ICWS session verify proc)', () => {
  it("keeps Chromium's verdict for a certificate the OS trusts", () => {
    const trust = new CertificateTrust(() => [], recordingLogger().log);
    expect(verify(trust, request({ verificationResult: 'net::OK', errorCode: 0 }))).toBe(VERIFY_USE_CHROMIUM);
    expect(trust.rejectionFor('cic1.example.com')).toBeUndefined();
  });

  it('refuses an untrusted certificate and remembers its fingerprint for the agent', () => {
    const trust = new CertificateTrust(() => [], recordingLogger().log);
    expect(verify(trust, request())).toBe(VERIFY_REJECT);
    expect(trust.rejectionFor('CIC1.example.com')).toMatchObject({ fingerprint256: hex, reason: 'net::ERR_CERT_AUTHORITY_INVALID', subject: 'cic1' });
    expect(trust.certificateInfo(new URL('https://cic1.example.com:8019/icws/connection'))).toEqual({
      host: 'cic1.example.com:8019',
      fingerprint256: hex,
      subject: 'cic1',
      issuer: 'cic1',
    });
  });

  it('accepts it once pinned for that host (any port: Chromium gives the host only), and nothing else', () => {
    let pins = [{ host: 'cic1.example.com:8019', fingerprint256: hex.toLowerCase() }];
    const trust = new CertificateTrust(() => pins, recordingLogger().log);
    expect(verify(trust, request())).toBe(VERIFY_ACCEPT);
    expect(verify(trust, request({ hostname: 'cic2.example.com' }))).toBe(VERIFY_REJECT);
    expect(verify(trust, request({ certificate: { fingerprint: `sha256/${Buffer.alloc(32, 1).toString('base64')}` } }))).toBe(VERIFY_REJECT);
    pins = [];
    expect(verify(trust, request())).toBe(VERIFY_REJECT);
  });
});

describe('Electron transport', () => {
  it('fetches through the ICWS session with its cookies, no redirects followed', async () => {
    const session = new FakeSession();
    const transport = createElectronTransport({ session, trust: new CertificateTrust(() => [], recordingLogger().log) });
    expect(transport.managesCookies).toBe(true);
    const response = await transport.fetch('https://cic1:8019/icws/connection', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(200);
    expect(session.fetch).toHaveBeenCalledWith('https://cic1:8019/icws/connection', expect.objectContaining({ method: 'POST', body: '{}', redirect: 'manual', credentials: 'include' }));
    transport.closeIdle!();
    expect(session.closedConnections).toBe(1);
  });

  it('turns a refused certificate into IcwsCertificateError with the fingerprint, and tells the shell', async () => {
    const session = new FakeSession();
    const trust = new CertificateTrust(() => [], recordingLogger().log);
    const untrusted = vi.fn();
    session.fetch.mockImplementation(async () => {
      verify(trust, request({ hostname: 'cic1' }));
      throw new Error('net::ERR_FAILED');
    });
    const transport = createElectronTransport({ session, trust, onUntrustedCertificate: untrusted });
    const error = await transport.fetch('https://cic1:8019/icws/connection', { method: 'GET', headers: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IcwsCertificateError);
    expect((error as IcwsCertificateError).certificate).toMatchObject({ host: 'cic1:8019', fingerprint256: hex });
    expect(untrusted).toHaveBeenCalledWith(expect.objectContaining({ host: 'cic1:8019', fingerprint256: hex }));
  });

  it('maps other failures to network or aborted errors', async () => {
    const session = new FakeSession();
    const transport = createElectronTransport({ session, trust: new CertificateTrust(() => [], recordingLogger().log) });
    session.fetch.mockRejectedValueOnce(new Error('net::ERR_CONNECTION_REFUSED'));
    const refused = await transport.fetch('https://cic1:8019/x', { method: 'GET', headers: {} }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IcwsNetworkError);
    expect(refused).toMatchObject({ host: 'cic1:8019', systemCode: 'ERR_CONNECTION_REFUSED', reason: 'the connection was refused' });
    const controller = new AbortController();
    session.fetch.mockImplementationOnce(async () => {
      controller.abort();
      throw new DOMException('aborted', 'AbortError');
    });
    await expect(transport.fetch('https://cic1:8019/x', { method: 'GET', headers: {}, signal: controller.signal })).rejects.toBeInstanceOf(IcwsAbortedError);
  });
});

describe('Electron transport and redirects', () => {
  it('reports a redirect as a network error that says so (session.fetch rejects a manual redirect)', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(302, { Location: 'https://elsewhere.example/icws/connection' });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const session = new FakeSession();
      session.fetch.mockImplementation(electronFetch());
      const transport = createElectronTransport({ session, trust: new CertificateTrust(() => [], recordingLogger().log) });
      const error = await transport.fetch(`http://127.0.0.1:${port}/icws/connection`, { method: 'POST', headers: {}, body: '{}' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IcwsNetworkError);
      expect(error).toMatchObject({ host: `127.0.0.1:${port}`, systemCode: 'REDIRECT', reason: expect.stringMatching(/redirect/) });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('pin prompt', () => {
  const certificate = { host: 'cic1:8019', fingerprint256: hex, subject: 'CN=cic1' };

  it('shows the fingerprint and pins through certificates.pin when the agent trusts it', async () => {
    const shown: { message: string; detail: string; buttons: string[] }[] = [];
    const pin = vi.fn(async () => ({ ok: true }));
    const prompt = createPinPrompt({
      dialog: { showMessageBox: async (o) => (shown.push(o), { response: 1 }) },
      pin,
      log: recordingLogger().log,
    });
    expect(await prompt(certificate)).toBe('pinned');
    expect(shown[0]!.detail).toContain(hex);
    expect(shown[0]!.message).toContain('cic1:8019');
    expect(pin).toHaveBeenCalledWith('cic1:8019', hex);
  });

  it('pins nothing when declined, and does not ask again for the same certificate in this run', async () => {
    const showMessageBox = vi.fn(async () => ({ response: 0 }));
    const pin = vi.fn(async () => ({ ok: true }));
    const prompt = createPinPrompt({ dialog: { showMessageBox }, pin, log: recordingLogger().log });
    expect(await prompt(certificate)).toBe('declined');
    expect(await prompt(certificate)).toBe('skipped');
    expect(await prompt({ ...certificate, fingerprint256: '' })).toBe('skipped');
    expect(showMessageBox).toHaveBeenCalledTimes(1);
    expect(pin).not.toHaveBeenCalled();
  });
});
