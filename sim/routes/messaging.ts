// GET messaging/messages in both delivery modes. With `Accept: text/event-stream` and messaging >= 2 the response is
// a Server-Sent Events stream (one message per data line); otherwise it is a short poll answering the JSON array of
// what is queued. A server without SSE support never heard of text/event-stream, so it answers the poll array too.
import type { Reply, Route, SessionContext } from '../http';
import { noContent } from '../http';

const SSE_MESSAGING_VERSION = 2;

function wantsEventStream(ctx: SessionContext): boolean {
  const accept = ctx.req.headers.accept ?? '';
  return accept.toLowerCase().includes('text/event-stream');
}

function messages(ctx: SessionContext): Reply {
  const { session, world, res } = ctx;
  if (wantsEventStream(ctx) && world.featureVersion('messaging') >= SSE_MESSAGING_VERSION) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    res.flushHeaders();
    session.queue.attach(res);
    return { streamed: true };
  }
  return { status: 200, rawJson: `[${session.queue.drain().join(',')}]` };
}

export const messagingRoutes: Route[] = [
  { method: 'GET', path: '/icws/{sessionId}/messaging/messages', auth: 'cookieOnly', feature: ['messaging', 1], handle: messages },
  { method: 'POST', path: '/icws/{sessionId}/messaging/heartbeat', auth: 'session', feature: ['messaging', 1], handle: () => noContent() },
];
