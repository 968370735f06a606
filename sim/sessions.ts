// ICWS sessions: numeric ids, the CSRF token, the path-scoped cookie, and the check every session call goes through.
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { unauthorized } from './errors';
import { MessageQueue } from './messageQueue';

export interface QueueId {
  queueType: number;
  queueName: string;
}

export interface QueueSubscription {
  queueIds: QueueId[];
  attributeNames: string[];
}

export interface Subscriptions {
  station: boolean;
  voicemail: boolean;
  mwi: boolean;
  queues: Map<string, QueueSubscription>;
}

export interface Session {
  readonly id: string;
  readonly csrfToken: string;
  /** The uuid part of the cookie value; the `|languageId=` suffix is informative only. */
  readonly cookieToken: string;
  readonly languageId: string;
  readonly userId: string;
  readonly applicationName: string;
  readonly createdAt: string;
  readonly subscriptions: Subscriptions;
  readonly queue: MessageQueue;
}

export function sessionCookie(session: Session): string {
  return `icws_${session.id}=${session.cookieToken}|languageId=${session.languageId}; Path=/icws/${session.id}; HttpOnly`;
}

/** The token of this session's cookie in a Cookie header, or null. */
function readSessionCookie(header: string | undefined, sessionId: string): string | null {
  if (!header) return null;
  const name = `icws_${sessionId}`;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    return value.split('|')[0] ?? '';
  }
  return null;
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  /** How each new session's SSE stream is written (see `MessageQueue`). */
  writes: 'perEvent' | 'perTick' = 'perTick';
  // Real servers hand out eight-digit ids; starting at a random point keeps two simulators' ids apart.
  private nextId = 10_000_000 + Math.floor(Math.random() * 80_000_000);

  create(userId: string, applicationName: string, languageId: string): Session {
    const session: Session = {
      id: String(this.nextId++),
      csrfToken: randomBytes(24).toString('base64'),
      cookieToken: randomUUID(),
      languageId,
      userId,
      applicationName,
      createdAt: new Date().toISOString(),
      subscriptions: { station: false, voicemail: false, mwi: false, queues: new Map() },
      queue: new MessageQueue(this.writes),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  get(sessionId: string): Session | undefined {
    return this.sessions.get(sessionId);
  }

  all(): Session[] {
    return [...this.sessions.values()];
  }

  ofUser(userId: string): Session[] {
    return this.all().filter((session) => session.userId === userId);
  }

  delete(sessionId: string): void {
    this.sessions.get(sessionId)?.queue.close();
    this.sessions.delete(sessionId);
  }

  /**
   * The cookie (and, unless the route is cookie-only, the CSRF header) must belong to the session in the path.
   * Missing credentials are errorCode 1; credentials that match no live session are errorCode 2.
   */
  authenticate(req: IncomingMessage, sessionId: string, requireCsrf: boolean): Session {
    const cookieToken = readSessionCookie(headerValue(req, 'cookie'), sessionId);
    const csrfToken = headerValue(req, 'inin-icws-csrf-token');
    if (!cookieToken || (requireCsrf && !csrfToken)) throw unauthorized('sessionIdRequired');
    const session = this.sessions.get(sessionId);
    if (!session || session.cookieToken !== cookieToken || (requireCsrf && session.csrfToken !== csrfToken)) {
      throw unauthorized('sessionNotFound');
    }
    return session;
  }
}
