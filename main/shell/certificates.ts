import type { CertificatePin } from '../../preload/contract';
import type { CertificateInfo } from '../icws/errors';
import type { Logger } from '../common/log';

/**
 * Certificate trust for the dedicated ICWS session. Chromium verifies against the OS trust store; what it accepts, we
 * accept. What it refuses is accepted only when the agent pinned that exact certificate (SHA-256) for that server.
 * Anything else is refused, and remembered so the transport can report `untrustedCertificate` with the fingerprint
 * and the shell can ask the agent whether to pin it. There is no blanket `certificate-error` accept anywhere.
 *
 * Pins are stored as `host:port` (what the core and the Node transport use). Chromium's verify callback receives the
 * host name only, so in the desktop app a pin applies to that host on every port.
 */

/** Electron's verify callback results. */
export const VERIFY_ACCEPT = 0;
export const VERIFY_REJECT = -2;
export const VERIFY_USE_CHROMIUM = -3;

/** What Electron passes to a certificate verify proc (the parts read here). */
export interface VerifyRequest {
  hostname: string;
  verificationResult: string;
  errorCode: number;
  certificate: { fingerprint: string; subjectName?: string; issuerName?: string };
}

/** Electron gives `sha256/<base64>`; pins and the agent use upper-case hex pairs with colons. */
export function electronFingerprintToHex(fingerprint: string): string | null {
  const match = /^sha256\/([A-Za-z0-9+/=]+)$/.exec(fingerprint.trim());
  if (!match) return null;
  const bytes = Buffer.from(match[1]!, 'base64');
  if (bytes.length !== 32) return null;
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

function normaliseHex(value: string): string {
  const hex = value.toUpperCase().replace(/[^0-9A-F]/g, '');
  return hex.match(/../g)?.join(':') ?? '';
}

/** The host part of a pin's `host:port` (`[::1]:8019` → `::1`), lower case. */
export function pinHostname(host: string): string {
  const trimmed = host.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(trimmed);
  if (bracketed) return bracketed[1]!;
  const colons = trimmed.split(':').length - 1;
  if (colons === 1) return trimmed.slice(0, trimmed.indexOf(':'));
  return trimmed;
}

function bareHostname(hostname: string): string {
  return hostname.trim().toLowerCase().replace(/^\[|\]$/g, '');
}

export interface Rejection {
  hostname: string;
  fingerprint256: string;
  subject?: string;
  issuer?: string;
  reason: string;
}

export class CertificateTrust {
  private readonly rejections = new Map<string, Rejection>();

  constructor(
    private readonly pins: () => readonly Pick<CertificatePin, 'host' | 'fingerprint256'>[],
    private readonly log: Logger,
  ) {}

  /** The verify proc for `session.setCertificateVerifyProc`. */
  readonly verify = (request: VerifyRequest, callback: (result: number) => void): void => {
    const hostname = bareHostname(request.hostname);
    if (request.verificationResult === 'net::OK' || request.verificationResult === 'OK') {
      this.rejections.delete(hostname);
      callback(VERIFY_USE_CHROMIUM);
      return;
    }
    const fingerprint = electronFingerprintToHex(request.certificate.fingerprint);
    const pinned =
      fingerprint !== null &&
      this.pins().some((pin) => pinHostname(pin.host) === hostname && normaliseHex(pin.fingerprint256) === fingerprint);
    if (pinned) {
      this.rejections.delete(hostname);
      this.log.info('certificate accepted by pin', { host: hostname });
      callback(VERIFY_ACCEPT);
      return;
    }
    const rejection: Rejection = {
      hostname,
      fingerprint256: fingerprint ?? '',
      reason: request.verificationResult || `error ${request.errorCode}`,
      ...(request.certificate.subjectName ? { subject: request.certificate.subjectName } : {}),
      ...(request.certificate.issuerName ? { issuer: request.certificate.issuerName } : {}),
    };
    this.rejections.set(hostname, rejection);
    this.log.warn('certificate refused', { host: hostname, reason: rejection.reason, fingerprint256: rejection.fingerprint256 });
    callback(VERIFY_REJECT);
  };

  /** The last refusal for a host, if its certificate was refused and not trusted since. */
  rejectionFor(hostname: string): Rejection | undefined {
    return this.rejections.get(bareHostname(hostname));
  }

  /** What the transport attaches to `IcwsCertificateError` (the key is `host:port`, as pins are). */
  certificateInfo(url: URL): CertificateInfo | null {
    const rejection = this.rejectionFor(url.hostname);
    if (!rejection) return null;
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    return {
      host: `${rejection.hostname.includes(':') ? `[${rejection.hostname}]` : rejection.hostname}:${port}`,
      fingerprint256: rejection.fingerprint256,
      ...(rejection.subject ? { subject: rejection.subject } : {}),
      ...(rejection.issuer ? { issuer: rejection.issuer } : {}),
    };
  }
}

export interface MessageBoxPort {
  showMessageBox(options: {
    type: 'warning';
    title: string;
    message: string;
    detail: string;
    buttons: string[];
    defaultId: number;
    cancelId: number;
    noLink: boolean;
  }): Promise<{ response: number }>;
}

/**
 * Asks the agent, once per server and certificate while the question is open or was declined in this run, whether to
 * trust a refused certificate. Yes pins it through the core's `certificates.pin` (the same command the settings use).
 */
export function createPinPrompt(options: {
  dialog: MessageBoxPort;
  pin: (host: string, fingerprint256: string) => Promise<{ ok: boolean }>;
  log: Logger;
}): (certificate: CertificateInfo) => Promise<'pinned' | 'declined' | 'skipped'> {
  const asked = new Set<string>();
  return async (certificate) => {
    if (!certificate.fingerprint256) return 'skipped';
    const key = `${certificate.host}|${certificate.fingerprint256}`;
    if (asked.has(key)) return 'skipped';
    asked.add(key);
    const { response } = await options.dialog.showMessageBox({
      type: 'warning',
      title: 'Untrusted certificate',
      message: `The certificate of ${certificate.host} is not trusted by this computer.`,
      detail: [
        'Compare this SHA-256 fingerprint with the one your CIC administrator gives you. Trust it only if they are identical.',
        '',
        certificate.fingerprint256,
        ...(certificate.subject ? ['', `Issued to: ${certificate.subject}`] : []),
        ...(certificate.issuer ? [`Issued by: ${certificate.issuer}`] : []),
        '',
        'A trusted certificate is listed in Settings, where you can remove it.',
      ].join('\n'),
      buttons: ['Do not trust', 'Trust this certificate'],
      defaultId: 0,
      cancelId: 0,
      noLink: true,
    });
    if (response !== 1) return 'declined';
    const result = await options.pin(certificate.host, certificate.fingerprint256);
    if (!result.ok) {
      options.log.warn('the certificate could not be pinned', { host: certificate.host });
      asked.delete(key);
      return 'declined';
    }
    return 'pinned';
  };
}
