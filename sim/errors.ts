// ICWS error bodies. Every failure a handler can produce is an IcwsError thrown up to the server, which writes it;
// handlers never write error responses themselves, so the wire shape lives in this one file.

export const ERROR_TYPE = 'urn:inin.com:common:error';
export const MISSING_PROPERTY_TYPE = 'urn:inin.com:common:missingPropertyError';
export const INVALID_PROPERTY_TYPE = 'urn:inin.com:common:invalidPropertyError';

/** The exact challenge the reference pages document for every 401. */
export const WWW_AUTHENTICATE = 'ICWS realm="ICWS" location="/ICWS/connection"';

export const GONE_MESSAGE = 'This resource has been deprecated and removed from the API.';

export const SUBSEQUENT_LOGON_REASON =
  'Your connection has been dropped due to a subsequent logon to a different station.';

export interface IcwsErrorBody {
  __type?: string;
  errorId?: string;
  errorCode?: number;
  message: string;
  propertyName?: string;
  alternateHostList?: string[];
}

export class IcwsError extends Error {
  constructor(
    readonly status: number,
    readonly body: IcwsErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

// Undocumented integer codes real servers add. Only the authentication and 401 ones are seen in captures; the
// others are HRESULT-style values picked so a client that logs them has something stable to show.
const CODE_INVALID_ARGUMENT = -2147024809;
const CODE_NOT_FOUND = -2147024894;
const CODE_ACCESS_DENIED = 7;

export function authenticationFailure(): IcwsError {
  return new IcwsError(400, {
    errorId: 'error.request.connection.authenticationFailure',
    errorCode: -2147221503,
    message: 'The authentication process failed.',
  });
}

export function notAcceptingConnections(alternateHostList: string[]): IcwsError {
  return new IcwsError(503, {
    alternateHostList,
    errorId: 'error.server.notAcceptingConnections',
    message: 'This Session Manager is not currently accepting connections.',
  });
}

export type UnauthorizedReason = 'sessionIdRequired' | 'sessionNotFound';

export function unauthorized(reason: UnauthorizedReason): IcwsError {
  const body: IcwsErrorBody =
    reason === 'sessionIdRequired'
      ? { errorId: 'error.request.sessionIdRequired', errorCode: 1, message: 'A session ID is required.' }
      : { errorId: 'error.request.sessionNotFound', errorCode: 2, message: 'The session could not be found.' };
  return new IcwsError(401, body, { 'WWW-Authenticate': WWW_AUTHENTICATE });
}

export function gone(): IcwsError {
  return new IcwsError(410, { errorId: 'error.request.gone', message: GONE_MESSAGE });
}

export function notFound(path: string): IcwsError {
  return new IcwsError(404, {
    errorId: 'error.request.notFound',
    errorCode: CODE_NOT_FOUND,
    message: `The requested resource '${path}' was not found.`,
  });
}

export function methodNotAllowed(allowed: string[]): IcwsError {
  return new IcwsError(
    405,
    { errorId: 'error.request.methodNotAllowed', message: 'The HTTP method is not allowed for this resource.' },
    { Allow: allowed.join(', ') },
  );
}

export function malformed(message = 'The request representation object was malformed.'): IcwsError {
  return new IcwsError(400, {
    __type: ERROR_TYPE,
    errorId: 'error.request.invalidRepresentation.malformed',
    errorCode: CODE_INVALID_ARGUMENT,
    message,
  });
}

export function missingProperty(propertyName: string, message?: string): IcwsError {
  return new IcwsError(400, {
    __type: MISSING_PROPERTY_TYPE,
    errorId: 'error.request.invalidRepresentation.missingRequiredParameter',
    errorCode: CODE_INVALID_ARGUMENT,
    message: message ?? `A required parameter was not present: ${propertyName}.`,
    propertyName,
  });
}

export function invalidProperty(propertyName: string, message?: string): IcwsError {
  return new IcwsError(400, {
    __type: INVALID_PROPERTY_TYPE,
    errorId: 'error.request.invalidRepresentation.invalidProperty',
    errorCode: CODE_INVALID_ARGUMENT,
    message: message ?? `The request representation object contained an invalid property: ${propertyName}.`,
    propertyName,
  });
}

export function noStation(): IcwsError {
  return new IcwsError(400, {
    __type: ERROR_TYPE,
    errorId: 'error.request.noStation',
    errorCode: CODE_INVALID_ARGUMENT,
    message: 'The request failed because the user is not logged into a station.',
  });
}

export function accessDenied(message: string): IcwsError {
  return new IcwsError(403, { errorId: 'error.request.accessDenied', errorCode: CODE_ACCESS_DENIED, message });
}

export function badRequest(errorId: string, message: string): IcwsError {
  return new IcwsError(400, { errorId, errorCode: CODE_INVALID_ARGUMENT, message });
}

export function payloadTooLarge(limit: number): IcwsError {
  return new IcwsError(413, {
    errorId: 'error.request.entityTooLarge',
    message: `The request body is larger than ${limit} bytes.`,
  });
}

export function unsupportedMediaType(contentType: string): IcwsError {
  return new IcwsError(415, {
    errorId: 'error.request.unsupportedMediaType',
    message: `The media type '${contentType}' is not supported; send application/json.`,
  });
}

export function internalError(): IcwsError {
  return new IcwsError(500, {
    errorId: 'error.server.internalError',
    message: 'An unexpected error occurred while processing the request.',
  });
}
