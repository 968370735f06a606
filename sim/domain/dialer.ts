// Dialer calls on agents' user queues, the queue subscription that shows them, and the two Dialer operations a
// companion uses (update-call-data, mark-call-for-finishing).
import type { DialerCallInput } from '../scenario';
import { DialerCallSchema } from '../scenario';
import type { QueueSubscription, Session } from '../sessions';
import type { CallState, DialerCall, World } from '../state';
import { invalidProperty } from '../errors';

export const QUEUE_CONTENTS_TYPE = 'urn:inin.com:queues:queueContentsMessage';
const USER_QUEUE = 1;

/** Every attribute a call has, under its canonical name. */
function allAttributes(call: DialerCall): Record<string, string> {
  return {
    ...(call.campaignName ? { IS_Attr_CampaignName: call.campaignName } : {}),
    Eic_CallId: call.callId,
    Eic_ObjectType: 'Call',
    Eic_State: call.state,
    Eic_RemoteName: call.remoteName,
    Eic_RemoteAddress: call.remoteAddress,
    Eic_CallDirection: call.direction,
    is_attr_campaignid: call.campaignId,
    is_attr_callid: call.callId,
    ...call.attributes,
  };
}

/**
 * Only the attributes the subscription asked for, matched case-insensitively and reported under the name the client
 * used. Attributes the call does not have are left out.
 */
function pickAttributes(all: Record<string, string>, names: string[]): Record<string, string> {
  const byLowerName = new Map(Object.entries(all).map(([name, value]) => [name.toLowerCase(), value]));
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = byLowerName.get(name.toLowerCase());
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

function watchesUser(subscription: QueueSubscription, userId: string): boolean {
  const lower = userId.toLowerCase();
  return subscription.queueIds.some((q) => q.queueType === USER_QUEUE && q.queueName.toLowerCase() === lower);
}

function eachWatcher(world: World, userId: string, visit: (session: Session, id: string, sub: QueueSubscription) => void): void {
  for (const session of world.sessions.all()) {
    for (const [id, sub] of session.subscriptions.queues) if (watchesUser(sub, userId)) visit(session, id, sub);
  }
}

function publishToWatchers(world: World, userId: string, build: (id: string, sub: QueueSubscription) => object | null): void {
  eachWatcher(world, userId, (session, id, sub) => {
    const message = build(id, sub);
    if (message) world.publish([session], message);
  });
}

export function subscribeQueue(world: World, session: Session, subscriptionId: string, subscription: QueueSubscription): void {
  session.subscriptions.queues.set(subscriptionId, subscription);
  const calls = [...world.calls.values()].filter((call) => watchesUser(subscription, call.userId));
  world.publish([session], {
    __type: QUEUE_CONTENTS_TYPE,
    isDelta: false,
    subscriptionId,
    interactionsAdded: calls.map((call) => ({
      interactionId: call.callId,
      attributes: pickAttributes(allAttributes(call), subscription.attributeNames),
    })),
  });
}

export function unsubscribeQueue(session: Session, subscriptionId: string): void {
  session.subscriptions.queues.delete(subscriptionId);
}

export class CallExistsError extends Error {}
export class UnknownCallError extends Error {}

export function placeCall(world: World, input: DialerCallInput): DialerCall {
  const parsed = DialerCallSchema.parse(input);
  if (world.calls.has(parsed.callId)) throw new CallExistsError(`call ${parsed.callId} already exists`);
  const campaign = world.scenario.campaigns.find((c) => c.id.toLowerCase() === parsed.campaignId.toLowerCase());
  const call: DialerCall = {
    ...parsed,
    ...(campaign?.name ? { campaignName: campaign.name } : {}),
    attributes: { ...parsed.attributes },
    callData: {},
    markedForFinishing: null,
  };
  world.calls.set(call.callId, call);
  publishToWatchers(world, call.userId, (subscriptionId, sub) => ({
    __type: QUEUE_CONTENTS_TYPE,
    isDelta: true,
    subscriptionId,
    interactionsAdded: [{ interactionId: call.callId, attributes: pickAttributes(allAttributes(call), sub.attributeNames) }],
  }));
  return call;
}

export interface CallChange {
  state?: CallState;
  remoteName?: string;
  remoteAddress?: string;
  attributes?: Record<string, string>;
}

export function updateCall(world: World, callId: string, change: CallChange): DialerCall {
  const call = world.calls.get(callId);
  if (!call) throw new UnknownCallError(`no call ${callId}`);
  const before = allAttributes(call);
  if (change.state) call.state = change.state;
  if (change.remoteName !== undefined) call.remoteName = change.remoteName;
  if (change.remoteAddress !== undefined) call.remoteAddress = change.remoteAddress;
  if (change.attributes) setAttributes(call, change.attributes);
  const after = allAttributes(call);
  const changed = Object.fromEntries(Object.entries(after).filter(([name, value]) => before[name] !== value));
  publishToWatchers(world, call.userId, (subscriptionId, sub) => {
    const attributes = pickAttributes(changed, sub.attributeNames);
    if (Object.keys(attributes).length === 0) return null;
    return { __type: QUEUE_CONTENTS_TYPE, isDelta: true, subscriptionId, interactionsChanged: [{ interactionId: callId, attributes }] };
  });
  return call;
}

/** Writes attributes keeping the stored spelling of a name that already exists in another case. */
function setAttributes(call: DialerCall, attributes: Record<string, string>): void {
  for (const [name, value] of Object.entries(attributes)) {
    const existing = Object.keys(call.attributes).find((key) => key.toLowerCase() === name.toLowerCase());
    call.attributes[existing ?? name] = value;
  }
}

/** The call disconnects (Eic_State I, seen by watchers) and then leaves the queue. */
export function endCall(world: World, callId: string): void {
  const call = world.calls.get(callId);
  if (!call) throw new UnknownCallError(`no call ${callId}`);
  if (call.state !== 'I' && call.state !== 'E') updateCall(world, callId, { state: 'I' });
  world.calls.delete(callId);
  publishToWatchers(world, call.userId, (subscriptionId) => ({
    __type: QUEUE_CONTENTS_TYPE,
    isDelta: true,
    subscriptionId,
    interactionsRemoved: [callId],
  }));
}

export function placeScenarioCalls(world: World, userId: string): void {
  for (const call of world.scenario.dialerCalls) {
    if (call.userId === userId && !world.calls.has(call.callId)) placeCall(world, call);
  }
}

export function endCallsOfUser(world: World, userId: string): void {
  for (const call of world.callsOfUser(userId)) endCall(world, call.callId);
}

export interface CallDataRequest {
  callId: string;
  campaignId: string;
  callAttributes: Record<string, string>;
}

/** The call must be on the caller's queue and belong to the campaign named; both are 400s otherwise. */
function callOfSession(world: World, session: Session, callId: string, campaignId: string): DialerCall {
  const call = world.calls.get(callId);
  if (!call || call.userId !== session.userId) {
    throw invalidProperty('callId', `The call '${callId}' is not an active Dialer call of this agent.`);
  }
  if (call.campaignId.toLowerCase() !== campaignId.toLowerCase()) {
    throw invalidProperty('campaignId', `The call '${callId}' does not belong to campaign '${campaignId}'.`);
  }
  return call;
}

/** Call data is stored as-is and mirrored as is_attr_<key> interaction attributes, as Dialer does. */
export function updateCallData(world: World, session: Session, request: CallDataRequest): void {
  const call = callOfSession(world, session, request.callId, request.campaignId);
  Object.assign(call.callData, request.callAttributes);
  const mirrored = Object.fromEntries(
    Object.entries(request.callAttributes).map(([key, value]) => [/^is_attr_/i.test(key) ? key : `is_attr_${key}`, value]),
  );
  updateCall(world, call.callId, { attributes: mirrored });
}

/** Attributes of a call that are Dialer's own, not columns of the contact. */
const NOT_COLUMNS = new Set(['is_attr_campaignid', 'is_attr_callid', 'is_attr_campaignname']);

/**
 * The contact's columns as request-contact-data returns them: every `is_attr_<COLUMN>` attribute of the call as column
 * `<COLUMN>` (Dialer mirrors each contact-list column that way), with what update-call-data wrote since.
 */
export function contactData(world: World, session: Session, callId: string, campaignId: string): Record<string, string> {
  const call = callOfSession(world, session, callId, campaignId);
  const columns: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.attributes)) {
    if (/^is_attr_./i.test(name) && !NOT_COLUMNS.has(name.toLowerCase())) columns[name.slice('is_attr_'.length)] = value;
  }
  for (const [key, value] of Object.entries(call.callData)) {
    const column = key.replace(/^is_attr_/i, '');
    const existing = Object.keys(columns).find((name) => name.toLowerCase() === column.toLowerCase());
    columns[existing ?? column] = value;
  }
  return columns;
}

export function markCallForFinishing(world: World, session: Session, request: CallDataRequest): void {
  const call = callOfSession(world, session, request.callId, request.campaignId);
  call.markedForFinishing = { at: new Date().toISOString(), callAttributes: { ...request.callAttributes } };
  if (Object.keys(request.callAttributes).length > 0) updateCallData(world, session, request);
}
