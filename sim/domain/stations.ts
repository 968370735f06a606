// Station logon and logoff, one station per user, and the station subscription's messages in either shape.
import { accessDenied, badRequest, invalidProperty, SUBSEQUENT_LOGON_REASON } from '../errors';
import type { Session } from '../sessions';
import type { StationInfo, StationRecord, StationSetting, World } from '../state';
import { endCallsOfUser, placeScenarioCalls } from './dialer';
import { stopPlaybackOnStation } from './voicemail';

export const STATION_MESSAGE_TYPE = 'urn:inin.com:connection:stationConnectionStateChangeMessage';

/**
 * How "no station" is written: the required fields, empty, with stationSetting none. managedIPPhone and
 * emergencyResponderLocationID are required from connection 15 on (the seed page), so they are here too and
 * wireStationInfo drops them for older servers like any other station's.
 */
const NO_STATION: StationInfo = { id: '', extension: '', stationSetting: 0, managedIPPhone: '', emergencyResponderLocationID: '' };

export type StationRequest =
  | { stationSetting: 1; workstation: string; supportedMediaTypes?: number[]; readyForInteractions: boolean }
  | { stationSetting: 2; workstation: string; remoteNumber?: string; supportedMediaTypes?: number[]; readyForInteractions: boolean }
  | { stationSetting: 3; remoteNumber: string; persistentConnection: boolean; supportedMediaTypes?: number[]; readyForInteractions: boolean };

/** Drops the fields the configured connection feature version does not have yet. */
export function wireStationInfo(world: World, info: StationInfo): StationInfo {
  const version = world.featureVersion('connection');
  const wire: StationInfo = { ...info };
  if (version < 15) {
    delete wire.managedIPPhone;
    delete wire.emergencyResponderLocationID;
  }
  // The seed page marks both directMessage (8) and socialConversation (9) "Feature Version connection 13".
  if (version < 13 && wire.allowedMediaTypes) wire.allowedMediaTypes = wire.allowedMediaTypes.filter((type) => type <= 7);
  return wire;
}

export function stationMessage(
  world: World,
  previous: StationInfo | null,
  next: StationInfo | null,
  isDelta: boolean,
  reason?: string,
): object {
  const nextWire = wireStationInfo(world, next ?? NO_STATION);
  const reasonPart = reason ? { reason } : {};
  if (world.scenario.stationMessageShape === 'flat') {
    return { __type: STATION_MESSAGE_TYPE, isDelta, ...nextWire, ...reasonPart };
  }
  return {
    __type: STATION_MESSAGE_TYPE,
    isDelta,
    ...(previous ? { previousStationInfo: wireStationInfo(world, previous) } : {}),
    newStationInfo: nextWire,
    ...reasonPart,
  };
}

/**
 * A delta may leave out only properties that did not change (the seed page: "no change should be made for the
 * properties not included"), so a change that removes one (a drop, a move to a station without remoteNumber or SIP
 * details) cannot be a delta: it is sent isDelta:false, which replaces the subscriber's cache.
 */
function canBeDelta(world: World, previous: StationInfo | null, next: StationInfo | null): boolean {
  const before = wireStationInfo(world, previous ?? NO_STATION);
  const after = wireStationInfo(world, next ?? NO_STATION);
  return Object.keys(before).every((key) => key in after);
}

function notifyStationChange(world: World, sessionId: string, previous: StationInfo | null, next: StationInfo | null, reason?: string): void {
  const session = world.sessions.get(sessionId);
  if (!session?.subscriptions.station) return;
  world.publish([session], stationMessage(world, previous, next, canBeDelta(world, previous, next), reason));
}

export function subscribeStation(world: World, session: Session): void {
  session.subscriptions.station = true;
  const record = world.stationOfSession(session.id);
  world.publish([session], stationMessage(world, null, record?.info ?? null, false));
}

function buildInfo(world: World, request: StationRequest): { info: StationInfo; workstationId: string | null } {
  if (request.stationSetting === 3) {
    const info: StationInfo = {
      id: request.remoteNumber,
      extension: request.remoteNumber,
      stationSetting: 3,
      allowedMediaTypes: request.supportedMediaTypes ?? [1],
      canBeDialed: true,
      ringAlways: false,
      remoteNumber: request.remoteNumber,
      managedIPPhone: '',
      emergencyResponderLocationID: '',
    };
    return { info, workstationId: null };
  }
  const ws = world.workstation(request.workstation);
  if (!ws) throw invalidProperty('workstation', `The station '${request.workstation}' does not exist.`);
  const setting: StationSetting = request.stationSetting;
  const info: StationInfo = {
    id: ws.id,
    extension: ws.extension ?? ws.id,
    stationSetting: setting,
    allowedMediaTypes: request.supportedMediaTypes ?? ws.allowedMediaTypes,
    canBeDialed: ws.canBeDialed,
    ringAlways: ws.ringAlways,
    ...(ws.sipAddress !== undefined ? { sipAddress: ws.sipAddress } : {}),
    ...(ws.sipUser !== undefined ? { sipUser: ws.sipUser } : {}),
    ...(ws.sipPassword !== undefined ? { sipPassword: ws.sipPassword } : {}),
    ...(request.stationSetting === 2 && request.remoteNumber ? { remoteNumber: request.remoteNumber } : {}),
    managedIPPhone: ws.managedIPPhone,
    emergencyResponderLocationID: ws.emergencyResponderLocationID,
  };
  return { info, workstationId: ws.id };
}

export function logOnStation(world: World, session: Session, request: StationRequest): StationRecord {
  const user = world.user(session.userId);
  if (!user?.logonStationsRight) throw accessDenied('The user does not have the "Logon Stations" security right.');
  const { info, workstationId } = buildInfo(world, request);

  // A configured workstation serves one user at a time; the same user moving is the subsequent-logon case below.
  if (workstationId) {
    for (const record of world.stations.values()) {
      if (record.workstationId === workstationId && record.userId !== session.userId) {
        throw badRequest('error.request.connection.stationInUse', `The station '${workstationId}' is in use by another user.`);
      }
    }
  }

  const userHadStation = world.stationOfUser(session.userId) !== undefined;
  for (const other of world.sessions.ofUser(session.userId)) {
    if (other.id !== session.id && world.stations.has(other.id)) dropStation(world, other.id, SUBSEQUENT_LOGON_REASON, false);
  }

  const previous = world.stations.get(session.id)?.info ?? null;
  const record: StationRecord = {
    sessionId: session.id,
    userId: session.userId,
    workstationId,
    persistentConnection: request.stationSetting === 3 ? request.persistentConnection : false,
    readyForInteractions: request.readyForInteractions,
    loggedOnAt: new Date().toISOString(),
    info,
  };
  world.stations.set(session.id, record);
  notifyStationChange(world, session.id, previous, info);
  if (!userHadStation) placeScenarioCalls(world, session.userId);
  return record;
}

/**
 * Takes the session's station away. The user's Dialer calls leave the queue once the user has no station at all;
 * `userLeaves: false` keeps them when the drop is the first half of a move to another session's station.
 */
export function dropStation(world: World, sessionId: string, reason?: string, userLeaves = true): boolean {
  const record = world.stations.get(sessionId);
  if (!record) return false;
  world.stations.delete(sessionId);
  stopPlaybackOnStation(world, record.userId);
  notifyStationChange(world, sessionId, record.info, null, reason);
  if (userLeaves && !world.stationOfUser(record.userId)) endCallsOfUser(world, record.userId);
  return true;
}

/** Changes fields of a user's current station (control API), sent as a delta. */
export function updateStation(world: World, userId: string, changes: Partial<StationInfo>): StationRecord | undefined {
  const record = world.stationOfUser(userId);
  if (!record) return undefined;
  const previous = record.info;
  record.info = { ...record.info, ...changes };
  notifyStationChange(world, record.sessionId, previous, record.info);
  return record;
}
