// connection/station (logon kinds, one station per user) and the station subscription.
import { invalidProperty, missingProperty, noStation } from '../errors';
import type { Route, SessionContext } from '../http';
import { noContent, objectBody, ok, optionalBoolean, optionalString, requiredString } from '../http';
import type { StationRequest } from '../domain/stations';
import { dropStation, logOnStation, subscribeStation, wireStationInfo } from '../domain/stations';

const CONNECTION = ['connection', 1] as const;

function mediaTypes(body: Record<string, unknown>): number[] | undefined {
  const value = body.supportedMediaTypes;
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((t) => Number.isInteger(t) && t >= 0 && t <= 9)) {
    throw invalidProperty('supportedMediaTypes');
  }
  return value as number[];
}

function stationRequest(ctx: SessionContext): StationRequest {
  const body = objectBody(ctx);
  const supportedMediaTypes = mediaTypes(body);
  const common = {
    readyForInteractions: optionalBoolean(body, 'readyForInteractions') ?? true,
    ...(supportedMediaTypes ? { supportedMediaTypes } : {}),
  };
  switch (body.__type) {
    case undefined:
      throw missingProperty('__type');
    case 'urn:inin.com:connection:workstationSettings':
      return { stationSetting: 1, workstation: requiredString(body, 'workstation'), ...common };
    case 'urn:inin.com:connection:remoteWorkstationSettings': {
      const remoteNumber = optionalString(body, 'remoteNumber');
      return { stationSetting: 2, workstation: requiredString(body, 'workstation'), ...(remoteNumber ? { remoteNumber } : {}), ...common };
    }
    case 'urn:inin.com:connection:remoteNumberSettings': {
      const remoteNumber = requiredString(body, 'remoteNumber');
      if (remoteNumber.trim() === '') throw invalidProperty('remoteNumber', 'The remote number is empty.');
      return { stationSetting: 3, remoteNumber, persistentConnection: optionalBoolean(body, 'persistentConnection') ?? false, ...common };
    }
    default:
      throw invalidProperty('__type', `Unknown station settings type '${String(body.__type)}'.`);
  }
}

export const stationRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/icws/{sessionId}/connection/station',
    auth: 'session',
    feature: CONNECTION,
    handle: (ctx) => {
      logOnStation(ctx.world, ctx.session, stationRequest(ctx));
      return ok();
    },
  },
  {
    method: 'GET',
    path: '/icws/{sessionId}/connection/station',
    auth: 'session',
    feature: CONNECTION,
    handle: ({ world, session }) => {
      const record = world.stationOfSession(session.id);
      if (!record) throw noStation();
      return ok(wireStationInfo(world, record.info));
    },
  },
  {
    method: 'DELETE',
    path: '/icws/{sessionId}/connection/station',
    auth: 'session',
    feature: CONNECTION,
    // Logging off with no station is already the wanted state: 200 as well.
    handle: ({ world, session }) => {
      dropStation(world, session.id);
      return ok();
    },
  },
  {
    method: 'PUT',
    path: '/icws/{sessionId}/messaging/subscriptions/connection/station',
    auth: 'session',
    feature: CONNECTION,
    handle: ({ world, session }) => {
      subscribeStation(world, session);
      return ok();
    },
  },
  {
    method: 'DELETE',
    path: '/icws/{sessionId}/messaging/subscriptions/connection/station',
    auth: 'session',
    feature: CONNECTION,
    handle: ({ session }) => {
      session.subscriptions.station = false;
      return noContent();
    },
  },
];
