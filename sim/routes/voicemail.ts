// unified-messaging: mark read, delete, play start/stop, the MWI count refresh, and the two subscriptions.
import { invalidProperty, missingProperty } from '../errors';
import type { Route, SessionContext } from '../http';
import { messageState, noContent, objectBody, ok } from '../http';
import type { PlayTarget } from '../domain/voicemail';
import {
  deleteMessage,
  messagesWaiting,
  MWI_TYPE,
  setMessageState,
  startPlayback,
  stopPlayback,
  subscribeMwi,
  subscribeVoicemail,
} from '../domain/voicemail';

const UNIFIED_MESSAGING = ['unified-messaging', 1] as const;
const PLAYBACK = ['unified-messaging', 2] as const;

function messageId(ctx: SessionContext): string {
  return ctx.params.unifiedMessageId ?? '';
}

function playTarget(value: unknown): PlayTarget {
  if (value === undefined || value === null) return { kind: 'currentStation' };
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidProperty('playTarget');
  const target = value as Record<string, unknown>;
  switch (target.__type) {
    case 'urn:inin.com:unifiedMessaging:currentStation':
      return { kind: 'currentStation' };
    case 'urn:inin.com:unifiedMessaging:voicemailPlayTarget':
      if (target.target === undefined || target.target === null) throw missingProperty('target');
      if (typeof target.target !== 'string' || target.target.trim() === '') throw invalidProperty('target');
      return { kind: 'number', target: target.target };
    case undefined:
      throw missingProperty('__type', 'The playTarget needs a __type (currentStation or voicemailPlayTarget).');
    default:
      throw invalidProperty('playTarget', `Unknown play target type '${String(target.__type)}'.`);
  }
}

export const voicemailRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/icws/{sessionId}/unified-messaging/{unifiedMessageId}',
    auth: 'session',
    feature: UNIFIED_MESSAGING,
    handle: (ctx) => {
      setMessageState(ctx.world, ctx.session.userId, messageId(ctx), messageState(objectBody(ctx).state));
      return noContent();
    },
  },
  {
    method: 'DELETE',
    path: '/icws/{sessionId}/unified-messaging/{unifiedMessageId}',
    auth: 'session',
    feature: UNIFIED_MESSAGING,
    handle: (ctx) => {
      deleteMessage(ctx.world, ctx.session.userId, messageId(ctx));
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/icws/{sessionId}/unified-messaging/{unifiedMessageId}/voicemail-message/play/start',
    auth: 'session',
    feature: PLAYBACK,
    handle: (ctx) => {
      const body = objectBody(ctx);
      startPlayback(ctx.world, ctx.session, messageId(ctx), messageState(body.state), playTarget(body.playTarget));
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/icws/{sessionId}/unified-messaging/{unifiedMessageId}/voicemail-message/play/stop',
    auth: 'session',
    feature: PLAYBACK,
    handle: (ctx) => {
      stopPlayback(ctx.world, ctx.session, messageId(ctx));
      return noContent();
    },
  },
  {
    method: 'PUT',
    path: '/icws/{sessionId}/unified-messaging/messages-waiting-indicator/count-refresh',
    auth: 'session',
    feature: UNIFIED_MESSAGING,
    handle: ({ world, session }) => {
      if (session.subscriptions.mwi) {
        world.publish([session], { __type: MWI_TYPE, isDelta: true, messagesWaiting: messagesWaiting(world, session.userId) });
      }
      return noContent();
    },
  },
  {
    method: 'PUT',
    path: '/icws/{sessionId}/messaging/subscriptions/unified-messaging/voicemail-messages',
    auth: 'session',
    feature: UNIFIED_MESSAGING,
    handle: ({ world, session }) => {
      subscribeVoicemail(world, session);
      return ok();
    },
  },
  {
    method: 'DELETE',
    path: '/icws/{sessionId}/messaging/subscriptions/unified-messaging/voicemail-messages',
    auth: 'session',
    feature: UNIFIED_MESSAGING,
    handle: ({ session }) => {
      session.subscriptions.voicemail = false;
      return noContent();
    },
  },
  {
    method: 'PUT',
    path: '/icws/{sessionId}/messaging/subscriptions/unified-messaging/messages-waiting-indicator',
    auth: 'session',
    feature: UNIFIED_MESSAGING,
    handle: ({ world, session }) => {
      subscribeMwi(world, session);
      return ok();
    },
  },
  {
    method: 'DELETE',
    path: '/icws/{sessionId}/messaging/subscriptions/unified-messaging/messages-waiting-indicator',
    auth: 'session',
    feature: UNIFIED_MESSAGING,
    handle: ({ session }) => {
      session.subscriptions.mwi = false;
      return noContent();
    },
  },
];
