/**
 * The station watch: `stationConnectionStateChangeMessage` in both shapes real servers and libraries show (nested
 * `newStationInfo` / `previousStationInfo`, or the station information flat on the message), cached per isDelta, and
 * mapped to the public StationState. SIP credentials stay in the cache, which never leaves the main side; the mapping
 * picks fields one by one so `sipPassword` cannot slip through.
 */
import type { MediaType, StationKind, StationState } from '../../../preload/contract';
import { isObject } from '../../../preload/contract';
import { PropertyCache, type Properties } from '../../icws/cache';
import type { IcwsMessage } from '../../icws/messages';

const STATION_KINDS: Record<number, StationKind> = { 0: 'none', 1: 'workstation', 2: 'remoteWorkstation', 3: 'remoteNumber' };
const MEDIA_TYPES: Record<number, MediaType> = {
  0: 'none',
  1: 'call',
  2: 'chat',
  3: 'email',
  4: 'generic',
  5: 'callback',
  6: 'smsMessage',
  7: 'workItem',
  8: 'directMessage',
  9: 'socialConversation',
};

const STATION_FIELDS = [
  'id',
  'extension',
  'canBeDialed',
  'ringAlways',
  'sipAddress',
  'sipUser',
  'sipPassword',
  'remoteNumber',
  'stationSetting',
  'allowedMediaTypes',
  'managedIPPhone',
  'emergencyResponderLocationID',
] as const;

/** The station information a message carries: `null` = no station, `undefined` = the message says nothing about it. */
export function stationInfoOf(message: IcwsMessage): Properties | null | undefined {
  if ('newStationInfo' in message || 'previousStationInfo' in message) {
    return isObject(message.newStationInfo) ? message.newStationInfo : null;
  }
  const flat: Properties = {};
  for (const field of STATION_FIELDS) if (message[field] !== undefined) flat[field] = message[field];
  return Object.keys(flat).length > 0 ? flat : message.isDelta === false ? null : undefined;
}

function mediaTypeName(value: unknown): MediaType | null {
  return typeof value === 'number' ? (MEDIA_TYPES[value] ?? null) : null;
}

function stationKindName(value: unknown): StationKind {
  return typeof value === 'number' ? (STATION_KINDS[value] ?? 'none') : 'none';
}

/** Public view of cached station information; null when there is no station (empty id or stationSetting none). */
export function toStationState(info: Properties | null): StationState | null {
  if (!info) return null;
  const id = typeof info.id === 'string' ? info.id : typeof info.id === 'number' ? String(info.id) : '';
  const kind = stationKindName(info.stationSetting);
  if (id === '' || kind === 'none') return null;
  const station: StationState = {
    id,
    extension: typeof info.extension === 'string' ? info.extension : String(info.extension ?? id),
    kind,
    mediaTypes: Array.isArray(info.allowedMediaTypes)
      ? info.allowedMediaTypes.map(mediaTypeName).filter((name): name is MediaType => name !== null)
      : [],
  };
  if (typeof info.remoteNumber === 'string' && info.remoteNumber !== '') station.remoteNumber = info.remoteNumber;
  if (typeof info.canBeDialed === 'boolean') station.canBeDialed = info.canBeDialed;
  if (typeof info.ringAlways === 'boolean') station.ringAlways = info.ringAlways;
  return station;
}

/** Station information that names no station: an empty id, or the stationSetting `none` (0). */
function saysNoStation(info: Properties): boolean {
  return ('id' in info && (info.id === '' || info.id === null)) || info.stationSetting === 0;
}

export class StationWatch {
  private readonly cache = new PropertyCache();

  /** Applies a station message; returns the public station. */
  apply(message: IcwsMessage): StationState | null {
    const info = stationInfoOf(message);
    if (info === undefined) return this.current;
    // "No station" ends the station whether or not it comes as a delta: nothing of the old one (its remote number, its
    // SIP credentials) may linger into the next.
    if (info === null || saysNoStation(info)) this.cache.apply(false, null);
    else this.cache.apply(message.isDelta === true, info);
    return this.current;
  }

  get current(): StationState | null {
    return toStationState(this.cache.current);
  }

  /** The SIP password of the station, for registering it as a secret; never for display. */
  get sipPassword(): string | undefined {
    const value = this.cache.current?.sipPassword;
    return typeof value === 'string' ? value : undefined;
  }

  clear(): void {
    this.cache.clear();
  }
}
