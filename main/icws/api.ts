/**
 * The ICWS endpoints and message types the companion uses, with their wire shapes and the feature version each needs.
 * Everything above this file speaks in the companion's terms; everything below speaks HTTP.
 */
import { isObject } from '../../preload/contract/guards';
import { IcwsProtocolError, IcwsUnsupportedError } from './errors';
import type { CallOptions, CallResult } from './session';

export type Call = (options: CallOptions) => Promise<CallResult>;

export const MESSAGE_TYPES = {
  connectionStateChange: 'urn:inin.com:connection:connectionStateChangeMessage',
  stationConnectionStateChange: 'urn:inin.com:connection:stationConnectionStateChangeMessage',
  voicemailMessages: 'urn:inin.com:unifiedMessaging:voicemailMessagesMessage',
  voicemailPlayStatus: 'urn:inin.com:unifiedMessaging:voicemailPlayStatusMessage',
  mwi: 'urn:inin.com:unifiedMessaging:mwiMessage',
  queueContents: 'urn:inin.com:queues:queueContentsMessage',
} as const;

/** featureId and minimum version, from the reference pages (seeds) and the catalogue. */
export type FeatureNeed = readonly [featureId: string, version: number];

export const FEATURES = {
  station: ['connection', 1],
  stationSubscription: ['connection', 1],
  sse: ['messaging', 2],
  followMe: ['voice-prompts', 2],
  voicemailSubscription: ['unified-messaging', 1],
  voicemailMarkRead: ['unified-messaging', 1],
  voicemailPlayback: ['unified-messaging', 2],
  queueSubscription: ['queues', 1],
  updateCallData: ['dialer', 3],
  requestContactData: ['dialer', 3],
  markCallForFinishing: ['dialer', 7],
} as const satisfies Record<string, FeatureNeed>;

/** Null features mean the server would not say: nothing is gated then, and the server's own 410 decides. */
export function featureGap(features: Record<string, number> | null, need: FeatureNeed): IcwsUnsupportedError | null {
  if (features === null) return null;
  const [id, needed] = need;
  const available = features[id];
  if (available !== undefined && available >= needed) return null;
  return new IcwsUnsupportedError({ id, needed, available: available ?? null });
}

export function hasFeature(features: Record<string, number> | null, need: FeatureNeed): boolean {
  return featureGap(features, need) === null;
}

// --- station ---------------------------------------------------------------------------------------------------

export type StationSettings =
  | { kind: 'workstation'; workstation: string }
  | { kind: 'remoteWorkstation'; workstation: string; remoteNumber?: string }
  | { kind: 'remoteNumber'; remoteNumber: string; persistent?: boolean };

function stationLogOnBody(settings: StationSettings): Record<string, unknown> {
  switch (settings.kind) {
    case 'workstation':
      return { __type: 'urn:inin.com:connection:workstationSettings', workstation: settings.workstation, readyForInteractions: true };
    case 'remoteWorkstation':
      return {
        __type: 'urn:inin.com:connection:remoteWorkstationSettings',
        workstation: settings.workstation,
        ...(settings.remoteNumber ? { remoteNumber: settings.remoteNumber } : {}),
        readyForInteractions: true,
      };
    case 'remoteNumber':
      return {
        __type: 'urn:inin.com:connection:remoteNumberSettings',
        remoteNumber: settings.remoteNumber,
        ...(settings.persistent !== undefined ? { persistentConnection: settings.persistent } : {}),
        readyForInteractions: true,
      };
  }
}

export const stationLogOn = (call: Call, settings: StationSettings, renew = true) =>
  call({ method: 'PUT', path: 'connection/station', body: stationLogOnBody(settings), renew });
export const stationLogOff = (call: Call) => call({ method: 'DELETE', path: 'connection/station' });
export const connectionState = (call: Call) => call({ method: 'GET', path: 'connection', renew: false, timeoutMs: 10_000 });

// --- subscriptions ---------------------------------------------------------------------------------------------

/** The agent's own user queue, with the attributes that identify a Dialer call. */
export const DIALER_QUEUE_SUBSCRIPTION_ID = 'icws-companion-dialer';
const DIALER_ATTRIBUTES = [
  'Eic_State',
  'Eic_RemoteName',
  'Eic_RemoteAddress',
  'Eic_CallDirection',
  'is_attr_campaignid',
  'is_attr_callid',
  // Interaction Scripter documents it beside the Dialer's new-call event: the campaign's name, where Dialer sets it.
  'IS_Attr_CampaignName',
] as const;

export interface Subscription {
  name: 'station' | 'voicemail' | 'mwi' | 'dialerQueue';
  need: FeatureNeed;
  path: string;
  body?: (userId: string) => unknown;
}

/** The subscriptions the companion makes, by name; each feature of the core says which of them it needs. */
export const SUBSCRIPTIONS = {
  station: { name: 'station', need: FEATURES.stationSubscription, path: 'messaging/subscriptions/connection/station' },
  voicemail: { name: 'voicemail', need: FEATURES.voicemailSubscription, path: 'messaging/subscriptions/unified-messaging/voicemail-messages' },
  mwi: { name: 'mwi', need: FEATURES.voicemailSubscription, path: 'messaging/subscriptions/unified-messaging/messages-waiting-indicator' },
  dialerQueue: {
    name: 'dialerQueue',
    need: FEATURES.queueSubscription,
    path: `messaging/subscriptions/queues/${DIALER_QUEUE_SUBSCRIPTION_ID}`,
    body: (userId) => ({ queueIds: [{ queueType: 1, queueName: userId }], attributeNames: [...DIALER_ATTRIBUTES] }),
  },
} as const satisfies Record<Subscription['name'], Subscription>;

export const subscribe = (call: Call, subscription: Subscription, userId: string, renew = true) =>
  call({
    method: 'PUT',
    path: subscription.path,
    ...(subscription.body ? { body: subscription.body(userId) } : {}),
    renew,
  });

export const unsubscribe = (call: Call, subscription: Subscription) =>
  call({ method: 'DELETE', path: subscription.path, renew: false, timeoutMs: 5000 });

// --- voice prompts ---------------------------------------------------------------------------------------------

export type FollowMeVerb = 'record' | 'preview' | 'commit' | 'cancel';
export const followMe = (call: Call, verb: FollowMeVerb) => call({ method: 'POST', path: `voice-prompts/followme/${verb}` });

// --- unified messaging -----------------------------------------------------------------------------------------

/** A voicemail id as one path segment. `.` and `..` (a server's list may hold anything) would climb out of it. */
const messagePath = (id: string) => {
  if (id === '' || id === '.' || id === '..') {
    throw new IcwsProtocolError('', `"${id}" is not a voicemail id that can be sent to CIC`, { kind: 'unsafeId', id });
  }
  return `unified-messaging/${encodeURIComponent(id)}`;
};

/** `target` absent: the current station; otherwise a number or SIP address. Playing marks the message read. */
export const playVoicemail = (call: Call, id: string, target?: string) =>
  call({
    method: 'POST',
    path: `${messagePath(id)}/voicemail-message/play/start`,
    body: {
      state: 1,
      playTarget: target
        ? { __type: 'urn:inin.com:unifiedMessaging:voicemailPlayTarget', target }
        : { __type: 'urn:inin.com:unifiedMessaging:currentStation' },
    },
  });

export const stopVoicemail = (call: Call, id: string) => call({ method: 'POST', path: `${messagePath(id)}/voicemail-message/play/stop` });

export const setVoicemailState = (call: Call, id: string, read: boolean) =>
  call({ method: 'PUT', path: messagePath(id), body: { state: read ? 1 : 0 } });

// --- dialer ----------------------------------------------------------------------------------------------------

export const updateCallData = (call: Call, callId: string, campaignId: string, callAttributes: Record<string, string>) =>
  call({ method: 'POST', path: 'dialer/update-call-data', body: { callId, campaignId, callAttributes } });

export const markCallForFinishing = (call: Call, callId: string, campaignId: string, callAttributes?: Record<string, string>) =>
  call({
    method: 'POST',
    path: 'dialer/mark-call-for-finishing',
    body: { callId, campaignId, ...(callAttributes && Object.keys(callAttributes).length > 0 ? { callAttributes } : {}) },
  });

/** Bounds on what `request-contact-data` may bring back: a contact is a row of a contact list, not a document. */
const CONTACT_DATA_LIMITS = { columns: 200, name: 128, value: 4000 } as const;

/**
 * `POST dialer/request-contact-data {callId, campaignId}` → `{contacts: [{contactdata: {column: value}}]}`: every column
 * of the call's contact. Only string values are kept, names and values bounded; the first contact is the call's.
 */
export async function requestContactData(call: Call, callId: string, campaignId: string): Promise<Record<string, string>> {
  const { body } = await call({ method: 'POST', path: 'dialer/request-contact-data', body: { callId, campaignId } });
  return contactColumns(body);
}

export function contactColumns(body: unknown): Record<string, string> {
  const contacts = isObject(body) ? body.contacts : undefined;
  const first = Array.isArray(contacts) ? (contacts[0] as unknown) : undefined;
  const data = isObject(first) ? first.contactdata : undefined;
  const columns: Record<string, string> = {};
  if (!isObject(data)) return columns;
  let count = 0;
  for (const [name, value] of Object.entries(data)) {
    if (count >= CONTACT_DATA_LIMITS.columns) break;
    if (typeof value !== 'string' || name.length === 0 || name.length > CONTACT_DATA_LIMITS.name) continue;
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') continue;
    columns[name] = value.length > CONTACT_DATA_LIMITS.value ? value.slice(0, CONTACT_DATA_LIMITS.value) : value;
    count++;
  }
  return columns;
}
