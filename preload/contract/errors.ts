/**
 * Errors cross every transport as data, never as thrown exceptions: Electron's ipcMain.handle keeps only an error's
 * message, and JSON-RPC needs a plain object anyway. `message` is always a sentence an agent understands.
 */
export type ErrorKind =
  | 'invalidInput'
  | 'refused'
  | 'notSignedIn'
  | 'noStation'
  | 'notPlaying'
  | 'noDialerCall'
  | 'authenticationFailed'
  | 'forbidden'
  | 'notFound'
  | 'unsupported'
  | 'sessionExpired'
  | 'untrustedCertificate'
  | 'unavailable'
  | 'network'
  | 'server'
  | 'gone'
  | 'internal';

export interface CompanionError {
  kind: ErrorKind;
  /** A sentence for the agent: what happened and, where there is one, what to do. */
  message: string;
  /** The server's `errorId` (e.g. `error.request.noStation`) when the error came from CIC. */
  errorId?: string;
  /** The HTTP status when the error came from CIC. */
  status?: number;
  /** For `untrustedCertificate`: the server's certificate, so the agent can compare and pin it. */
  certificate?: { host: string; fingerprint256: string; subject?: string; issuer?: string };
  /** For `unsupported`: the ICWS feature and the version the action needs. */
  feature?: { id: string; needed: number; available: number | null };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: CompanionError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(kind: ErrorKind, message: string, extra: Omit<CompanionError, 'kind' | 'message'> = {}): Result<T> {
  return { ok: false, error: { kind, message, ...extra } };
}
