// Session lifecycle: sign in (201 with the session headers and path-scoped cookie, 400, 503), the unauthenticated
// feature and version lookups, and GET/DELETE of the session's connection.
import { authenticationFailure, invalidProperty, missingProperty, notAcceptingConnections } from '../errors';
import type { PublicContext, Reply, Route } from '../http';
import { objectBody, ok, requiredString } from '../http';
import { dropStation } from '../domain/stations';
import { sessionCookie } from '../sessions';
import type { World } from '../state';

const IC_AUTH_TYPE = 'urn:inin.com:connection:icAuthConnectionRequestSettings';

export function featureList(world: World): { featureId: string; version: number }[] {
  return Object.entries(world.scenario.features)
    .filter(([, version]) => version > 0)
    .map(([featureId, version]) => ({ featureId, version }));
}

/** `en-US,en;q=0.9` → `en-us`, the form the cookie carries. */
function languageId(acceptLanguage: string): string {
  const first = acceptLanguage.split(',')[0]?.split(';')[0]?.trim().toLowerCase() ?? '';
  return first === '' || first === '*' ? 'en-us' : first;
}

function includes(url: URL): Set<string> {
  const wanted = new Set<string>();
  for (const value of url.searchParams.getAll('include')) {
    for (const part of value.split(',')) if (part.trim() !== '') wanted.add(part.trim().toLowerCase());
  }
  return wanted;
}

function signIn(ctx: PublicContext): Reply {
  const { world } = ctx;
  if (!world.accepting) throw notAcceptingConnections(world.notAcceptingHosts);
  const acceptLanguage = ctx.req.headers['accept-language'];
  if (typeof acceptLanguage !== 'string' || acceptLanguage.trim() === '') {
    throw missingProperty('Accept-Language', 'The Accept-Language header is required.');
  }
  const body = objectBody(ctx);
  const type = body.__type;
  // The request type is polymorphic; without __type the server cannot tell which credentials it holds.
  if (type === undefined) throw missingProperty('__type');
  if (type !== IC_AUTH_TYPE) throw authenticationFailure();
  const applicationName = requiredString(body, 'applicationName');
  const userID = requiredString(body, 'userID');
  const password = requiredString(body, 'password');
  const user = world.user(userID);
  if (!user || user.password !== password) throw authenticationFailure();

  const session = world.sessions.create(user.userId, applicationName, languageId(acceptLanguage));
  const wanted = includes(ctx.url);
  const responseBody: Record<string, unknown> = {
    csrfToken: session.csrfToken,
    sessionId: session.id,
    alternateHostList: world.scenario.server.alternateHostList,
    userID: user.userId,
    userDisplayName: user.displayName,
    icServer: world.scenario.server.icServer,
  };
  if (wanted.has('features')) responseBody.features = featureList(world);
  if (wanted.has('version')) responseBody.version = world.scenario.server.version;
  if (wanted.has('effective-station')) responseBody.effectiveStation = null;
  return {
    status: 201,
    body: responseBody,
    headers: {
      'ININ-ICWS-Session-ID': session.id,
      'ININ-ICWS-CSRF-Token': session.csrfToken,
      'Set-Cookie': sessionCookie(session),
      Location: `/icws/${session.id}/connection`,
    },
  };
}

export const connectionRoutes: Route[] = [
  { method: 'POST', path: '/icws/connection', auth: 'none', handle: signIn },
  {
    method: 'GET',
    path: '/icws/connection/features',
    auth: 'none',
    handle: ({ world }) => ok({ featureInfoList: featureList(world) }),
  },
  {
    method: 'GET',
    path: '/icws/connection/features/{featureId}',
    auth: 'none',
    handle: ({ world, params }) => {
      const featureId = params.featureId ?? '';
      const version = world.featureVersion(featureId);
      if (version <= 0) throw invalidProperty('featureId', `The feature '${featureId}' is not supported by this server.`);
      return ok({ featureId, version });
    },
  },
  { method: 'GET', path: '/icws/connection/version', auth: 'none', handle: ({ world }) => ok(world.scenario.server.version) },
  {
    method: 'GET',
    path: '/icws/{sessionId}/connection',
    auth: 'session',
    handle: () => ok({ connectionState: 1, reason: '', shouldReconnect: false }),
  },
  {
    method: 'DELETE',
    path: '/icws/{sessionId}/connection',
    auth: 'session',
    handle: ({ world, session }) => {
      dropStation(world, session.id);
      world.sessions.delete(session.id);
      return ok();
    },
  },
];
