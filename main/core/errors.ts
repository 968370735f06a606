/**
 * ICWS failures → the contract's CompanionError: the server's meaning (status, errorId) becomes a kind the UI can act
 * on and a sentence the agent understands; `errorId` and `status` are kept for support. The action decides the wording
 * where the same status means different things (a 400 on stop is "not playing", on record "no station").
 */
import type { CommandName, CompanionError } from '../../preload/contract';
import {
  IcwsAbortedError,
  IcwsCertificateError,
  IcwsHttpError,
  IcwsNetworkError,
  IcwsNotConnectedError,
  IcwsProtocolError,
  IcwsSessionEndedError,
  IcwsTimeoutError,
  IcwsUnsupportedError,
  isAuthenticationFailure,
} from '../icws/errors';

/**
 * What failed, in the core's words: signing in, the follow-me prompt (its four commands share their sentences), or any
 * command that asks CIC for something. A new capability's commands are actions from the start: `WHAT` below then asks
 * for the words of each.
 */
export type Action = 'signIn' | 'followMe' | Exclude<CommandName, `${'app' | 'state' | 'settings' | 'certificates' | 'session' | 'followMe'}.${string}`>;

export interface ErrorContext {
  action: Action;
  /** `host:port` (or proxy host) of the configured server, for network sentences. */
  server: string;
  /** Takes this run's secrets out of text a server sent, before it is clipped into a sentence. */
  redact?: (text: string) => string;
}

const WHAT: Record<Action, string> = {
  signIn: 'sign in',
  'station.logIn': 'log in to the station',
  'station.logOut': 'log out of the station',
  followMe: 'work on the follow-me prompt',
  'voicemail.play': 'play the voicemail',
  'voicemail.stop': 'stop the voicemail',
  'voicemail.markRead': 'change the voicemail',
  'dialer.updateCallData': 'update the call data',
  'dialer.requestContactData': "read the call's contact data",
  'dialer.markForFinishing': 'mark the call for a finishing agent',
};

const FEATURE_NAMES: Record<string, string> = {
  connection: 'station logon',
  messaging: 'messaging',
  'voice-prompts': 'voice prompts',
  'unified-messaging': 'voicemail',
  dialer: 'Dialer',
  queues: 'queues',
};

export function toCompanionError(error: unknown, context: ErrorContext): CompanionError {
  if (error instanceof IcwsHttpError) return fromHttp(error, context);
  if (error instanceof IcwsCertificateError) {
    return {
      kind: 'untrustedCertificate',
      message: `This computer does not trust the certificate of ${error.certificate.host}. Compare its fingerprint with the one your CIC administrator gives you; trust it only if they match.`,
      certificate: { ...error.certificate },
    };
  }
  if (error instanceof IcwsTimeoutError) {
    return { kind: 'network', message: `The CIC server at ${error.host} did not answer in time. Check your network, then try again.` };
  }
  if (error instanceof IcwsNetworkError) {
    return { kind: 'network', message: `Could not reach the CIC server at ${error.host || context.server} (${error.reason}). Check the address and your network.` };
  }
  if (error instanceof IcwsUnsupportedError) {
    const { id, needed, available } = error.feature;
    const name = FEATURE_NAMES[id] ?? id;
    const has = available === null ? `does not offer ${name} at all` : `offers ${name} version ${available}`;
    return {
      kind: 'unsupported',
      message: `Your CIC server cannot ${WHAT[context.action]}: it ${has}, and this needs ${id} version ${needed} or later.`,
      feature: { ...error.feature },
    };
  }
  if (error instanceof IcwsSessionEndedError) {
    const why = error.reason ? ` (${clip(error.reason, context)})` : '';
    return error.shouldReconnect
      ? { kind: 'unavailable', message: `CIC closed your session${why}. The companion is signing you in again.` }
      : { kind: 'sessionExpired', message: `CIC ended your session${why}. Sign in again when you are ready.` };
  }
  if (error instanceof IcwsNotConnectedError) return { kind: 'notSignedIn', message: 'Sign in to CIC first.' };
  if (error instanceof IcwsAbortedError) return { kind: 'notSignedIn', message: 'You signed out before this finished.' };
  if (error instanceof IcwsProtocolError) return fromProtocol(error, context);
  return { kind: 'internal', message: 'Something went wrong in the companion. The details are in its log.' };
}

function fromProtocol(error: IcwsProtocolError, context: ErrorContext): CompanionError {
  const problem = error.problem;
  const check = 'Check the server address (a web proxy needs its full path).';
  switch (problem?.kind) {
    case 'tooLarge':
      return {
        kind: 'server',
        message: `The server at ${error.host} sent an answer larger than ${sizeOf(problem.limitBytes)}; a CIC server never does, so it was not read. ${check}`,
      };
    case 'tooDeep':
      return {
        kind: 'server',
        message: `The server at ${error.host} sent data nested deeper than ${problem.maxDepth} levels; a CIC server never does, so it was not read. ${check}`,
      };
    case 'badToken':
      return {
        kind: 'server',
        message: `The server at ${error.host} accepted the sign-in but sent a security (CSRF) token with characters no request can carry, so the session cannot be used. ${check}`,
      };
    case 'unsafeId':
      return {
        kind: 'server',
        message: `CIC listed a voicemail with the id "${problem.id}", which cannot be sent back to it safely, so the companion did not ${WHAT[context.action]}.`,
      };
    default:
      return { kind: 'server', message: `The server at ${error.host} did not answer like a CIC server. ${check}` };
  }
}

function sizeOf(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

function fromHttp(error: IcwsHttpError, context: ErrorContext): CompanionError {
  const { status, errorId } = error;
  const meta = { status, ...(errorId ? { errorId } : {}) };
  const said = typeof error.body.message === 'string' && error.body.message.trim() !== '' ? ` CIC said: "${clip(error.body.message, context)}"` : '';

  if (errorId === 'error.request.noStation') {
    const why =
      context.action === 'followMe'
        ? 'the follow-me prompt is recorded over your phone.'
        : context.action === 'voicemail.play'
          ? 'the voicemail plays on your phone.'
          : 'this works over your phone.';
    return { kind: 'noStation', message: `Log in to a station first: ${why}`, ...meta };
  }
  if (isAuthenticationFailure(error)) {
    return { kind: 'authenticationFailed', message: 'CIC did not accept that user name and password. Check them and sign in again.', ...meta };
  }
  // Signing in is the first request: a path the server does not know, a method it does not take, or a redirect (to a
  // proxy's login page) means the address is not a CIC server's, not that CIC refused the agent.
  if (context.action === 'signIn' && (status === 404 || status === 405 || (status >= 300 && status < 400))) {
    return {
      kind: 'server',
      message: `The server at ${error.host} did not answer like a CIC server (HTTP ${status}). Check the server address (a web proxy needs its full path).`,
      ...meta,
    };
  }
  switch (status) {
    case 400:
      if (context.action === 'voicemail.stop') return { kind: 'notPlaying', message: `That voicemail is not playing.${said}`, ...meta };
      if (/invalidRepresentation|invalidProperty|missingRequired|malformed/i.test(errorId ?? '') || error.body.propertyName) {
        const field = fieldName(error.body.propertyName);
        const what = field ? `CIC did not accept ${field}.` : `CIC did not accept what was sent to ${WHAT[context.action]}.`;
        return { kind: 'invalidInput', message: `${what}${said}`, ...meta };
      }
      return { kind: 'refused', message: `CIC refused to ${WHAT[context.action]}.${said}`, ...meta };
    case 401:
      return { kind: 'sessionExpired', message: 'Your CIC session ended and could not be renewed. Sign in again.', ...meta };
    case 403:
      return { kind: 'forbidden', message: forbiddenMessage(context.action, said), ...meta };
    case 404:
      return { kind: 'notFound', message: `CIC could not find what you asked to ${WHAT[context.action]}.${said}`, ...meta };
    case 410:
      return {
        kind: 'gone',
        message: `Your CIC server no longer offers this: it removed the API to ${WHAT[context.action]}. Ask your CIC administrator.`,
        ...meta,
      };
    case 503:
      return {
        kind: 'unavailable',
        message: `The CIC server at ${error.host} is not accepting connections right now, and no alternate server answered. Try again in a few minutes.`,
        ...meta,
      };
    default:
      if (status >= 500) return { kind: 'server', message: `The CIC server had a problem and could not ${WHAT[context.action]}.${said}`, ...meta };
      return { kind: 'refused', message: `CIC refused to ${WHAT[context.action]} (HTTP ${status}).${said}`, ...meta };
  }
}

/** What a request's property is, in the agent's words; unknown names are left out rather than shown raw. */
const FIELD_NAMES: Record<string, string> = {
  workstation: 'the workstation name',
  remotenumber: 'the remote number',
  callid: 'the call id',
  campaignid: 'the campaign id',
  callattributes: 'the call data',
  target: 'the number to play on',
};

function fieldName(propertyName: unknown): string | null {
  return typeof propertyName === 'string' ? (FIELD_NAMES[propertyName.toLowerCase()] ?? null) : null;
}

function isDialerAction(action: Action): boolean {
  return action === 'dialer.updateCallData' || action === 'dialer.markForFinishing' || action === 'dialer.requestContactData';
}

function forbiddenMessage(action: Action, said: string): string {
  if (isDialerAction(action)) {
    return `Dialer actions need a Dialer Add-on licence (for you or your station) and the "Logon Campaign" security right.${said} Ask your CIC administrator.`;
  }
  if (action === 'station.logIn') {
    return `Logging in to a station needs the "Logon Stations" security right and a licence.${said} Ask your CIC administrator.`;
  }
  return `You are not allowed to ${WHAT[action]} in CIC.${said} Ask your CIC administrator.`;
}

function clip(text: string, context: ErrorContext): string {
  const oneLine = (context.redact ? context.redact(text) : text).replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}

/**
 * When CIC refused a Dialer request for want of a licence or right, the one sentence the agent sees in place of the
 * Dialer actions; null for any other failure. CIC's 403 carries no distinct errorId, so its own words decide which.
 */
export function dialerUnavailableSentence(error: unknown): string | null {
  if (!(error instanceof IcwsHttpError) || error.status !== 403) return null;
  const text = typeof error.body.message === 'string' ? error.body.message : '';
  if (/licen[cs]e/i.test(text)) return 'Dialer actions are not available to you: your CIC account has no Dialer licence.';
  if (/logon campaign/i.test(text)) return 'Dialer actions are not available to you: your CIC account lacks the "Logon Campaign" right.';
  return null;
}
