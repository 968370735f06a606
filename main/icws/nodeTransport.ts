/**
 * The HTTP transport for Node (host mode, tests): Node's http/https with the companion's TLS rules, returning standard
 * `Response`s so the ICWS client is the same over Chromium's network stack.
 *
 * TLS verification is never turned off. Trust comes from Node's CA store, plus an extra CA file when one is given, plus
 * pins: a pinned server (`host:port` → SHA-256 fingerprint) is accepted when its leaf certificate's fingerprint matches,
 * even if no CA vouches for it. Node exposes no verify callback, so a pin works in two steps: the first handshake runs
 * with full verification and we read the peer certificate on the `secure` event (before Node's verdict); if Node then
 * rejects it and its fingerprint equals the pin, the request is retried once with that exact certificate added as a
 * trust anchor (`allowPartialTrustChain`, so a leaf issued by an unknown CA works too) and an identity check that
 * accepts only the pinned fingerprint. The first handshake's failure happens before any byte of the request is sent.
 */
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import tls, { type PeerCertificate, type TLSSocket } from 'node:tls';
import { IcwsAbortedError, IcwsCertificateError, IcwsNetworkError, type CertificateInfo } from './errors';
import type { HttpRequest, HttpTransport } from './transport';

interface CertificatePinLike {
  /** `host:port` */
  host: string;
  /** SHA-256, hex pairs with colons (any case). */
  fingerprint256: string;
}

export interface TlsTrust {
  /** PEM text of extra CA certificates (the `--ca-file` of host mode, a CIC server-group CA). */
  extraCa?: string;
  pins: readonly CertificatePinLike[];
}

export interface NodeHttpTransportOptions {
  /** Read for every request so a pin added while running applies at once. */
  trust?: () => TlsTrust;
}

export interface NodeHttpTransport extends HttpTransport {
  /** Destroys every pooled socket (the transport stays usable). */
  closeIdle(): void;
}

/** OpenSSL / Node reasons that mean "the certificate is not trusted", as opposed to a broken network. */
const CERTIFICATE_REASONS =
  /CERT|SELF_SIGNED|UNABLE_TO_GET_ISSUER|UNABLE_TO_VERIFY_LEAF|UNABLE_TO_DECRYPT_CERT|ALTNAME|HOSTNAME_MISMATCH|ERR_TLS_CERT/;

export function createNodeHttpTransport(options: NodeHttpTransportOptions = {}): NodeHttpTransport {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 8 });
  /** Certificates that matched a pin, by `host:port`: trusted as anchors for that server only. */
  const pinnedCertificates = new Map<string, { fingerprint256: string; pem: string }>();

  const send = (url: URL, init: HttpRequest, pinnedRetry: boolean): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const secure = url.protocol === 'https:';
      const hostPort = `${url.hostname}:${url.port || (secure ? '443' : '80')}`;
      const trust = options.trust?.() ?? { pins: [] };
      const pin = trust.pins.find((p) => p.host.toLowerCase() === hostPort.toLowerCase());
      const pinFingerprint = pin ? normalizeFingerprint(pin.fingerprint256) : null;
      const anchor = pin ? pinnedCertificates.get(hostPort) : undefined;
      const usableAnchor = anchor && anchor.fingerprint256 === pinFingerprint ? anchor : undefined;

      const tlsOptions: https.RequestOptions = {};
      if (secure) {
        const extra = [trust.extraCa, usableAnchor?.pem].filter((pem): pem is string => typeof pem === 'string' && pem !== '');
        if (extra.length > 0) tlsOptions.ca = [...tls.rootCertificates, ...extra];
        if (usableAnchor) {
          Object.assign(tlsOptions, { allowPartialTrustChain: true });
          // The pin is the server's identity: a self-signed CIC certificate rarely names the host agents type.
          tlsOptions.checkServerIdentity = (host, cert) =>
            normalizeFingerprint(cert.fingerprint256) === pinFingerprint ? undefined : tls.checkServerIdentity(host, cert);
        }
      }

      let peer: PeerCertificate | null = null;
      const request = (secure ? https : http).request(
        {
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[|\]$/g, ''),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          method: init.method,
          headers: { ...init.headers, ...(init.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(init.body)) } : {}) },
          agent: secure ? httpsAgent : httpAgent,
          signal: init.signal,
          ...tlsOptions,
        },
        (response) => {
          const headers = new Headers();
          const raw = response.rawHeaders;
          for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
          const status = response.statusCode ?? 502;
          const noBody = status === 204 || status === 205 || status === 304 || init.method === ('HEAD' as string);
          if (noBody) response.resume();
          const body = noBody ? null : (Readable.toWeb(response) as unknown as ReadableStream<Uint8Array>);
          resolve(
            new Response(body, {
              status: status < 200 || status > 599 ? 502 : status,
              statusText: response.statusMessage ?? '',
              headers,
            }),
          );
        },
      );
      request.on('socket', (socket) => {
        // A pooled socket is already verified; a new TLS socket gets its certificate read before Node's verdict.
        if (secure && 'encrypted' in socket && !(socket as TLSSocket).authorized) {
          (socket as TLSSocket).prependOnceListener('secure', () => {
            try {
              peer = (socket as TLSSocket).getPeerCertificate(true);
            } catch {
              peer = null;
            }
          });
        }
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (init.signal?.aborted || error.name === 'AbortError') return reject(new IcwsAbortedError());
        const reason = error.code ?? error.message;
        if (secure && CERTIFICATE_REASONS.test(reason) && !/ECONN|EPIPE|ETIMEDOUT/.test(reason)) {
          const info = certificateInfo(hostPort, peer);
          if (pinFingerprint && info && info.fingerprint256 === pinFingerprint && !pinnedRetry && peer?.raw) {
            pinnedCertificates.set(hostPort, { fingerprint256: pinFingerprint, pem: toPem(peer.raw) });
            send(url, init, true).then(resolve, reject);
            return;
          }
          return reject(new IcwsCertificateError(info ?? { host: hostPort, fingerprint256: '' }, reason));
        }
        reject(new IcwsNetworkError(hostPort, error.code, describeNetworkError(error)));
      });
      if (init.body !== undefined) request.write(init.body);
      request.end();
    });

  return {
    managesCookies: false,
    fetch: async (url, init) => {
      if (init.signal?.aborted) throw new IcwsAbortedError();
      return send(new URL(url), init, false);
    },
    closeIdle() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

function normalizeFingerprint(value: string | undefined): string {
  const hex = (value ?? '').toUpperCase().replace(/[^0-9A-F]/g, '');
  return hex.match(/../g)?.join(':') ?? '';
}

function certificateInfo(host: string, peer: PeerCertificate | null): CertificateInfo | null {
  if (!peer || !peer.fingerprint256) return null;
  return {
    host,
    fingerprint256: normalizeFingerprint(peer.fingerprint256),
    subject: describeName(peer.subject),
    issuer: describeName(peer.issuer),
  };
}

function describeName(name: Record<string, string | string[] | undefined> | undefined): string | undefined {
  if (!name) return undefined;
  const parts = Object.entries(name)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function toPem(der: Buffer): string {
  const base64 = der.toString('base64').match(/.{1,64}/g)?.join('\n') ?? '';
  return `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`;
}

function describeNetworkError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'the connection was refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the server name could not be found';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'the connection was cut';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'the server could not be reached';
    default:
      return error.code ?? error.message;
  }
}
