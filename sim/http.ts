// The contract between the server and the route modules: what a route declares, what it receives, what it returns,
// plus the small body readers every ICWS route shares.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { malformed, missingProperty, invalidProperty } from './errors';
import type { Session } from './sessions';
import type { World } from './state';

export const ICWS_CONTENT_TYPE = 'application/vnd.inin.icws+json; charset=utf-8';

export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

/** A finished answer, or `streamed` when the route took over the response (Server-Sent Events). */
export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string | string[]> }
  /** Already serialised JSON (a poll's array is joined from messages serialised once per fan-out). */
  | { status: number; rawJson: string; headers?: Record<string, string | string[]> }
  | { streamed: true };

export interface SimulatorSettings {
  pingIntervalMs: number;
}

export interface PublicContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  world: World;
  settings: SimulatorSettings;
  /** The parsed JSON body, undefined when the request had none. */
  body: unknown;
}

export interface SessionContext extends PublicContext {
  session: Session;
}

interface RouteBase {
  method: Method;
  /** `/icws/{sessionId}/...`; `{name}` matches one path segment. */
  path: string;
  /** Below this version of the feature (or without it) the route answers 410 Gone. */
  feature?: readonly [featureId: string, version: number];
}

export type Route =
  | (RouteBase & { auth: 'none'; handle(ctx: PublicContext): Reply | Promise<Reply> })
  | (RouteBase & { auth: 'session' | 'cookieOnly'; handle(ctx: SessionContext): Reply | Promise<Reply> });

export const noContent = (): Reply => ({ status: 204 });
export const ok = (body?: unknown): Reply => (body === undefined ? { status: 200 } : { status: 200, body });

/** The body as a JSON object; no body counts as `{}` so that required properties are reported as missing. */
export function objectBody(ctx: PublicContext): Record<string, unknown> {
  if (ctx.body === undefined) return {};
  if (typeof ctx.body !== 'object' || ctx.body === null || Array.isArray(ctx.body)) throw malformed();
  return ctx.body as Record<string, unknown>;
}

export function requiredString(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (value === undefined || value === null) throw missingProperty(name);
  if (typeof value !== 'string') throw invalidProperty(name);
  return value;
}

export function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidProperty(name);
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalidProperty(name);
  return value;
}

/** A key/value map whose values are strings (Dialer callAttributes). */
export function stringMap(value: unknown, name: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidProperty(name);
  const map: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') throw invalidProperty(name, `The value of '${key}' in ${name} must be a string.`);
    map[key] = entry;
  }
  return map;
}

export function messageState(value: unknown, name = 'state'): 0 | 1 {
  if (value === undefined || value === null) throw missingProperty(name);
  if (value !== 0 && value !== 1) throw invalidProperty(name, `${name} must be 0 (unread) or 1 (read).`);
  return value;
}
