// The control API over HTTP: /sim/... → SimulatorControl. Never under /icws/, so no ICWS client can hit it by mistake.
import type { SimulatorControl } from '../control';
import type { Method } from '../http';

export interface ControlRoute {
  method: Method;
  path: string;
  handle(control: SimulatorControl, body: unknown, params: Record<string, string>): unknown;
}

function withParams(body: unknown, params: Record<string, string>): Record<string, unknown> {
  const base = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  return { ...base, ...params };
}

/** Control methods validate their input with zod themselves; the HTTP side passes the JSON through as-is. */
function validatedInside<T>(body: unknown): T {
  return body as T;
}

export const controlRoutes: ControlRoute[] = [
  { method: 'GET', path: '/sim/state', handle: (c) => c.state() },
  { method: 'POST', path: '/sim/reset', handle: (c) => c.reset() },
  { method: 'POST', path: '/sim/voicemail/deliver', handle: (c, body) => c.deliverVoicemail(validatedInside(body)) },
  { method: 'PUT', path: '/sim/voicemail/mailbox', handle: (c, body) => c.setMailbox(validatedInside(body)) },
  { method: 'POST', path: '/sim/voicemail/play-status', handle: (c, body) => c.setPlayStatus(validatedInside(body)) },
  { method: 'POST', path: '/sim/dialer/calls', handle: (c, body) => c.placeCall(validatedInside(body)) },
  { method: 'PATCH', path: '/sim/dialer/calls/{callId}', handle: (c, body, params) => c.updateCall(validatedInside(withParams(body, params))) },
  { method: 'DELETE', path: '/sim/dialer/calls/{callId}', handle: (c, _body, params) => c.endCall(validatedInside(params)) },
  { method: 'POST', path: '/sim/station/drop', handle: (c, body) => c.dropStation(validatedInside(body)) },
  { method: 'POST', path: '/sim/station/update', handle: (c, body) => c.updateStation(validatedInside(body)) },
  { method: 'POST', path: '/sim/sessions/expire', handle: (c, body) => c.expireSessions(validatedInside(body)) },
  { method: 'POST', path: '/sim/faults/not-accepting', handle: (c, body) => c.stopAccepting(validatedInside(body)) },
  { method: 'POST', path: '/sim/faults/accepting', handle: (c) => c.resumeAccepting() },
  { method: 'POST', path: '/sim/faults/fail-next', handle: (c, body) => c.failNext(validatedInside(body)) },
  { method: 'POST', path: '/sim/faults/latency', handle: (c, body) => c.setLatency(validatedInside(body)) },
  { method: 'POST', path: '/sim/faults/cut-streams', handle: (c, body) => c.cutStreams(validatedInside(body)) },
  { method: 'POST', path: '/sim/faults/malformed', handle: (c, body) => c.sendMalformed(validatedInside(body)) },
  { method: 'DELETE', path: '/sim/faults', handle: (c) => c.clearFaults() },
  { method: 'POST', path: '/sim/messages/connection-state', handle: (c, body) => c.sendConnectionState(validatedInside(body)) },
  { method: 'POST', path: '/sim/messages/burst', handle: (c, body) => c.burst(validatedInside(body)) },
];
