/**
 * What can go wrong when speaking ICWS, as typed values (one base, a `code` discriminant, subclasses carrying their data)
 * so the core can switch exhaustively and turn each into a sentence for the agent. Nothing here holds a secret: request
 * headers and bodies are never attached to an error.
 */

/** The body of an ICWS error response (`urn:inin.com:common:error` and its missing/invalid property variants). */
export interface IcwsErrorBody {
  __type?: string;
  errorId?: string;
  errorCode?: number;
  message?: string;
  propertyName?: string;
  alternateHostList?: string[];
}

export interface CertificateInfo {
  /** `host:port` the certificate was presented for: the key a pin uses. */
  host: string;
  /** SHA-256 fingerprint, upper-case hex pairs separated by colons. */
  fingerprint256: string;
  subject?: string;
  issuer?: string;
}

export type IcwsErrorCode =
  | 'http'
  | 'network'
  | 'certificate'
  | 'timeout'
  | 'aborted'
  | 'unsupported'
  | 'protocol'
  | 'notConnected'
  | 'sessionEnded';

export abstract class IcwsError extends Error {
  abstract readonly code: IcwsErrorCode;
}

/** CIC answered with a status outside 2xx. */
export class IcwsHttpError extends IcwsError {
  readonly code = 'http';
  constructor(
    readonly status: number,
    readonly body: IcwsErrorBody,
    /** `host:port` of the server that answered. */
    readonly host: string,
    readonly method: string,
    /** The path below `/icws/{sessionId}/` (or below `/icws/` for session-less calls), never with the session id. */
    readonly path: string,
  ) {
    super(`${method} ${path} answered ${status}${body.errorId ? ` ${body.errorId}` : ''}${body.message ? `: ${body.message}` : ''}`);
    this.name = 'IcwsHttpError';
  }
  get errorId(): string | undefined {
    return this.body.errorId;
  }
  get alternateHostList(): string[] {
    return Array.isArray(this.body.alternateHostList) ? this.body.alternateHostList.filter((h) => typeof h === 'string' && h !== '') : [];
  }
}

/** The server could not be reached, or the connection broke. */
export class IcwsNetworkError extends IcwsError {
  readonly code = 'network';
  constructor(
    readonly host: string,
    /** The system error code (ECONNREFUSED, ENOTFOUND, ECONNRESET...) when there is one. */
    readonly systemCode: string | undefined,
    /** What happened, as a phrase: "the connection was refused". */
    readonly reason: string,
  ) {
    super(`${host}: ${reason}`);
    this.name = 'IcwsNetworkError';
  }
}

/** The server's certificate is not trusted (and not pinned): carries what the agent needs to compare and pin it. */
export class IcwsCertificateError extends IcwsError {
  readonly code = 'certificate';
  constructor(
    readonly certificate: CertificateInfo,
    /** OpenSSL's reason (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID...). */
    readonly reason: string,
  ) {
    super(`The certificate of ${certificate.host} is not trusted (${reason}).`);
    this.name = 'IcwsCertificateError';
  }
}

export class IcwsTimeoutError extends IcwsError {
  readonly code = 'timeout';
  constructor(
    readonly host: string,
    readonly ms: number,
  ) {
    super(`${host} did not answer within ${ms} ms`);
    this.name = 'IcwsTimeoutError';
  }
}

/** The caller gave up (sign-out, a stream replaced); never shown to an agent. */
export class IcwsAbortedError extends IcwsError {
  readonly code = 'aborted';
  constructor(message = 'The request was cancelled.') {
    super(message);
    this.name = 'IcwsAbortedError';
  }
}

/** The server lacks the ICWS feature (or the version) an action needs; raised before any request. */
export class IcwsUnsupportedError extends IcwsError {
  readonly code = 'unsupported';
  constructor(readonly feature: { id: string; needed: number; available: number | null }) {
    super(`feature ${feature.id} ${feature.needed} needed, server has ${feature.available ?? 'none'}`);
    this.name = 'IcwsUnsupportedError';
  }
}

/**
 * What in a server's answer made it unusable, when it is more than "not ICWS": an answer larger than its kind allows, JSON
 * nested deeper than CIC nests, a CSRF token that cannot be sent back as a header, an id that cannot be sent back in a path.
 */
export type ProtocolProblem =
  | { kind: 'tooLarge'; limitBytes: number }
  | { kind: 'tooDeep'; maxDepth: number }
  | { kind: 'badToken' }
  /** An id from the server (a voicemail's) that cannot be one segment of a request path (`.`, `..`, empty). */
  | { kind: 'unsafeId'; id: string };

/** The server answered 2xx with something that is not ICWS (a login page of a proxy, HTML, a broken body). */
export class IcwsProtocolError extends IcwsError {
  readonly code = 'protocol';
  constructor(
    readonly host: string,
    message: string,
    readonly problem?: ProtocolProblem,
  ) {
    super(message);
    this.name = 'IcwsProtocolError';
  }
}

/** No session: signed out, or a sign-in is still going on. */
export class IcwsNotConnectedError extends IcwsError {
  readonly code = 'notConnected';
  constructor() {
    super('Not signed in to CIC.');
    this.name = 'IcwsNotConnectedError';
  }
}

/** CIC said the connection is down (`connectionStateChangeMessage`); `shouldReconnect` says whether to sign in again. */
export class IcwsSessionEndedError extends IcwsError {
  readonly code = 'sessionEnded';
  constructor(
    readonly reason: string,
    readonly shouldReconnect: boolean,
  ) {
    super(`CIC ended the session${reason ? `: ${reason}` : ''}`);
    this.name = 'IcwsSessionEndedError';
  }
}

/** 400 `error.request.connection.authenticationFailure`: wrong user name or password; never worth a retry. */
export function isAuthenticationFailure(error: unknown): boolean {
  return error instanceof IcwsHttpError && (error.errorId === 'error.request.connection.authenticationFailure' || (error.status === 400 && /authenticat/i.test(error.errorId ?? '')));
}
