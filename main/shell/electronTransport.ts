import { IcwsAbortedError, IcwsCertificateError, IcwsNetworkError, type CertificateInfo } from '../icws/errors';
import type { HttpTransport } from '../icws/transport';
import type { CertificateTrust } from './certificates';

/** The ICWS session's partition: its own cookies and cache, kept across runs, apart from the UI's session. */
const ICWS_PARTITION = 'persist:icws';

/**
 * The partition of the n-th ICWS session of this run. The first is `persist:icws`; each change of the certificate pins
 * opens a fresh in-memory one (`icws-<n>`), because only a new session starts with an empty certificate-verdict cache.
 */
export function icwsPartition(generation: number): string {
  return generation === 0 ? ICWS_PARTITION : `icws-${generation}`;
}

/** The parts of Electron's `Session` the transport uses. */
export interface FetchSession {
  fetch(input: string, init?: RequestInit): Promise<Response>;
  closeAllConnections(): Promise<void>;
}

/**
 * The core's `HttpTransport` over Chromium's network stack on the dedicated ICWS session: the system proxy, the OS trust
 * store (plus pins, through `CertificateTrust` as the session's verify proc) and the session's own cookie jar. A
 * certificate refusal becomes `IcwsCertificateError` with the fingerprint; other failures `IcwsNetworkError`.
 */
export function createElectronTransport(options: {
  session: FetchSession;
  trust: CertificateTrust;
  /** Told about each refused certificate (the shell asks the agent whether to pin it). */
  onUntrustedCertificate?: (certificate: CertificateInfo) => void;
}): HttpTransport {
  const { session, trust } = options;
  return {
    managesCookies: true,
    fetch: async (url, init) => {
      if (init.signal?.aborted) throw new IcwsAbortedError();
      const target = new URL(url);
      const hostPort = `${target.hostname}:${target.port || (target.protocol === 'https:' ? '443' : '80')}`;
      let response: Response;
      try {
        response = await session.fetch(url, {
          method: init.method,
          headers: init.headers,
          ...(init.body !== undefined ? { body: init.body } : {}),
          ...(init.signal ? { signal: init.signal } : {}),
          redirect: 'manual',
          credentials: 'include',
        });
      } catch (error) {
        if (init.signal?.aborted || (error as Error)?.name === 'AbortError') throw new IcwsAbortedError();
        const message = (error as Error)?.message ?? String(error);
        const certificate = target.protocol === 'https:' ? trust.certificateInfo(target) : null;
        // Our verify proc answers a refusal with -2, which Chromium reports as net::ERR_FAILED.
        if (certificate && /ERR_CERT_|ERR_FAILED|ERR_SSL|ERR_BAD_SSL/.test(message)) {
          options.onUntrustedCertificate?.(certificate);
          throw new IcwsCertificateError(certificate, trust.rejectionFor(target.hostname)?.reason ?? message);
        }
        // Unlike Node's fetch, Electron's `session.fetch` never resolves a 3xx under `redirect: 'manual'`: its
        // ClientRequest rejects with "Redirect was cancelled" (and 'error' with "Attempted to redirect…").
        if (/^Redirect was cancelled|^Attempted to redirect/.test(message)) {
          throw new IcwsNetworkError(
            hostPort,
            'REDIRECT',
            'the server answered with a redirect, which the companion does not follow (check the server address, port and http/https)',
          );
        }
        if (/ERR_CERT_/.test(message)) {
          throw new IcwsCertificateError({ host: hostPort, fingerprint256: '' }, message);
        }
        throw new IcwsNetworkError(hostPort, chromiumCode(message), describeChromiumError(message));
      }
      // A plain-http request through a proxy that wants credentials gets the proxy's 407 itself.
      if (response.status === 407) {
        await response.body?.cancel().catch(() => {});
        throw new IcwsNetworkError(hostPort, 'ERR_PROXY_AUTH_REQUESTED', PROXY_CREDENTIALS);
      }
      return response;
    },
    closeIdle: () => {
      session.closeAllConnections().catch(() => {});
    },
  };
}

const PROXY_CREDENTIALS =
  'a proxy between this computer and CIC asks for a user name and password, which the companion cannot give it: ask IT for a proxy exception for the CIC server';

function chromiumCode(message: string): string | undefined {
  return /net::(ERR_[A-Z_]+)/.exec(message)?.[1];
}

/** What happened, as a phrase (IcwsNetworkError puts the host in front). */
function describeChromiumError(message: string): string {
  switch (chromiumCode(message)) {
    case 'ERR_CONNECTION_REFUSED':
      return 'the connection was refused';
    case 'ERR_NAME_NOT_RESOLVED':
      return 'the server name could not be found';
    case 'ERR_CONNECTION_RESET':
    case 'ERR_CONNECTION_CLOSED':
      return 'the connection was cut';
    case 'ERR_CONNECTION_TIMED_OUT':
    case 'ERR_ADDRESS_UNREACHABLE':
    case 'ERR_INTERNET_DISCONNECTED':
      return 'the server could not be reached';
    case 'ERR_PROXY_CONNECTION_FAILED':
      return 'the proxy could not be reached';
    // What Chromium reports when a proxy's 407 goes unanswered (an https request tunnels through the proxy).
    case 'ERR_PROXY_AUTH_REQUESTED':
    case 'ERR_PROXY_AUTH_UNSUPPORTED':
    case 'ERR_PROXY_AUTH_REQUESTED_WITH_NO_CONNECTION':
      return PROXY_CREDENTIALS;
    case 'ERR_TUNNEL_CONNECTION_FAILED':
      return 'the proxy refused to connect to the server';
    default:
      return message;
  }
}
