// Dialer update-call-data (202) and mark-call-for-finishing (200), and the queue subscription through which a
// companion sees the agent's Dialer call.
import { accessDenied, invalidProperty, missingProperty } from '../errors';
import type { Route, SessionContext } from '../http';
import { noContent, objectBody, ok, requiredString, stringMap } from '../http';
import type { CallDataRequest } from '../domain/dialer';
import { contactData, markCallForFinishing, subscribeQueue, unsubscribeQueue, updateCallData } from '../domain/dialer';
import type { QueueId, QueueSubscription } from '../sessions';

/** Licence first, then the right: the 403 message says which one is missing. */
function requireDialerAccess(ctx: SessionContext): void {
  const user = ctx.world.user(ctx.session.userId);
  if (!user?.dialerLicence) {
    throw accessDenied('Neither the agent nor the station the agent is logged in to has a Dialer Add-on License available.');
  }
  if (!user.logonCampaignRight) throw accessDenied('The agent does not have the "Logon Campaign" security right.');
}

function callDataRequest(ctx: SessionContext, attributesRequired: boolean): CallDataRequest {
  const body = objectBody(ctx);
  const callId = requiredString(body, 'callId');
  const campaignId = requiredString(body, 'campaignId');
  const raw = body.callAttributes;
  if (raw === undefined || raw === null) {
    if (attributesRequired) throw missingProperty('callAttributes');
    return { callId, campaignId, callAttributes: {} };
  }
  return { callId, campaignId, callAttributes: stringMap(raw, 'callAttributes') };
}

function queueSubscription(ctx: SessionContext): QueueSubscription {
  const body = objectBody(ctx);
  if (body.queueIds === undefined || body.queueIds === null) throw missingProperty('queueIds');
  if (body.attributeNames === undefined || body.attributeNames === null) throw missingProperty('attributeNames');
  if (!Array.isArray(body.queueIds)) throw invalidProperty('queueIds');
  const queueIds: QueueId[] = body.queueIds.map((entry: unknown) => {
    const q = entry as Record<string, unknown> | null;
    if (!q || typeof q !== 'object' || !Number.isInteger(q.queueType) || typeof q.queueName !== 'string') throw invalidProperty('queueIds');
    return { queueType: q.queueType as number, queueName: q.queueName };
  });
  if (!Array.isArray(body.attributeNames) || !body.attributeNames.every((name: unknown) => typeof name === 'string')) {
    throw invalidProperty('attributeNames');
  }
  return { queueIds, attributeNames: body.attributeNames as string[] };
}

export const dialerRoutes: Route[] = [
  {
    method: 'POST',
    path: '/icws/{sessionId}/dialer/update-call-data',
    auth: 'session',
    feature: ['dialer', 3],
    handle: (ctx) => {
      requireDialerAccess(ctx);
      updateCallData(ctx.world, ctx.session, callDataRequest(ctx, true));
      return { status: 202 };
    },
  },
  {
    method: 'POST',
    path: '/icws/{sessionId}/dialer/mark-call-for-finishing',
    auth: 'session',
    feature: ['dialer', 7],
    handle: (ctx) => {
      requireDialerAccess(ctx);
      markCallForFinishing(ctx.world, ctx.session, callDataRequest(ctx, false));
      return ok();
    },
  },
  {
    method: 'POST',
    path: '/icws/{sessionId}/dialer/request-contact-data',
    auth: 'session',
    feature: ['dialer', 3],
    handle: (ctx) => {
      requireDialerAccess(ctx);
      const body = objectBody(ctx);
      const callId = requiredString(body, 'callId');
      const campaignId = requiredString(body, 'campaignId');
      return ok({ contacts: [{ contactdata: contactData(ctx.world, ctx.session, callId, campaignId) }] });
    },
  },
  {
    method: 'PUT',
    path: '/icws/{sessionId}/messaging/subscriptions/queues/{subscriptionId}',
    auth: 'session',
    feature: ['queues', 1],
    handle: (ctx) => {
      subscribeQueue(ctx.world, ctx.session, ctx.params.subscriptionId ?? '', queueSubscription(ctx));
      return ok();
    },
  },
  {
    method: 'DELETE',
    path: '/icws/{sessionId}/messaging/subscriptions/queues/{subscriptionId}',
    auth: 'session',
    feature: ['queues', 1],
    handle: (ctx) => {
      unsubscribeQueue(ctx.session, ctx.params.subscriptionId ?? '');
      return noContent();
    },
  },
];
