import type { CompanionError, NotificationKind, PublicState, Settings, StationState } from '../../preload/contract';
import type { Logger } from '../common/log';

/**
 * Desktop notifications, derived by diffing consecutive public states (`stateNotifications` is pure), plus the failures
 * of actions started from the tray or a hotkey, when the window may be hidden. Each kind can be turned off in settings;
 * a click on any notification shows the window.
 */

export interface CompanionNotification {
  category: NotificationKind;
  title: string;
  body: string;
  /** For a new-voicemail notification: which message it announces. */
  voicemailId?: string;
}

export interface DiffContext {
  /**
   * Epoch ms since when this session has been connected (null: not yet). A voicemail is "new" when it was not in the
   * previous state and was received after this: the mailbox's first load after sign-in is not news.
   */
  connectedSince: number | null;
  /** Voicemails already announced in this run (a resync after a reconnect must not announce them again). */
  announcedVoicemails: ReadonlySet<string>;
}

/** Clock skew allowed between the CIC server and this computer when comparing a voicemail's time with the session's. */
const VOICEMAIL_CLOCK_SKEW_MS = 2 * 60_000;

function describeStation(station: StationState): string {
  if (station.kind === 'remoteNumber') return `remote number ${station.remoteNumber ?? station.extension}`;
  return station.extension && station.extension !== station.id ? `station ${station.id} (extension ${station.extension})` : `station ${station.id}`;
}

const isUp = (state: PublicState) => state.connection.status === 'connected';

export function stateNotifications(prev: PublicState, next: PublicState, context: DiffContext): CompanionNotification[] {
  const out: CompanionNotification[] = [];
  const prevStatus = prev.connection.status;
  const nextStatus = next.connection.status;

  // Session lost and restored. A sign-out the agent asked for (→ signedOut) is not a loss.
  if (prevStatus === 'connected' && (nextStatus === 'reconnecting' || nextStatus === 'failed')) {
    const why = next.connection.error?.message;
    out.push({
      category: 'session',
      title: 'Connection to CIC lost',
      body: nextStatus === 'reconnecting' ? `${why ? `${why} ` : ''}Reconnecting…` : (why ?? 'Sign in again to continue.'),
    });
  } else if (prevStatus === 'reconnecting' && nextStatus === 'connected') {
    out.push({ category: 'session', title: 'Connection to CIC restored', body: `Signed in again${next.connection.userId ? ` as ${next.connection.userId}` : ''}.` });
  } else if (prevStatus === 'reconnecting' && nextStatus === 'failed') {
    out.push({ category: 'session', title: 'Could not reconnect to CIC', body: next.connection.error?.message ?? 'Sign in again to continue.' });
  }

  // Station connected, changed, dropped. Only while the session is up: a lost session already says why.
  if (isUp(next)) {
    if (!prev.station && next.station) {
      out.push({ category: 'station', title: 'Station connected', body: `You are logged in to ${describeStation(next.station)}.` });
    } else if (prev.station && next.station && (prev.station.id !== next.station.id || prev.station.kind !== next.station.kind)) {
      out.push({
        category: 'station',
        title: 'Station changed',
        body: `You are now logged in to ${describeStation(next.station)} instead of ${describeStation(prev.station)}.`,
      });
    } else if (prev.station && !next.station && isUp(prev)) {
      out.push({
        category: 'station',
        title: 'Station disconnected',
        body: next.stationDropReason ?? `You are no longer logged in to ${describeStation(prev.station)}.`,
      });
    }
  }

  // New voicemails.
  if (isUp(next) && context.connectedSince !== null) {
    const known = new Set(prev.voicemail.messages.map((m) => m.id));
    for (const message of next.voicemail.messages) {
      if (known.has(message.id) || context.announcedVoicemails.has(message.id) || message.read) continue;
      const received = Date.parse(message.received);
      if (!Number.isFinite(received) || received < context.connectedSince - VOICEMAIL_CLOCK_SKEW_MS) continue;
      out.push({
        category: 'voicemail',
        title: 'New voicemail',
        body: `From ${message.from || 'an unknown caller'}${message.subject ? `: ${message.subject}` : ''}`,
        voicemailId: message.id,
      });
    }
  }
  return out;
}

export function actionFailureNotification(action: string, error: CompanionError): CompanionNotification {
  return { category: 'actionFailures', title: `${action} failed`, body: error.message };
}

/** The parts of Electron's `Notification` used here. */
export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown;
  /** macOS and Windows: the OS refused the notification (e.g. an unsigned app on macOS, notifications off on Windows). */
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown;
  show(): void;
}
export type NotificationConstructor = new (options: { title: string; body: string; silent?: boolean }) => NotificationLike;

export interface NotifierOptions {
  Notification: NotificationConstructor & { isSupported(): boolean };
  settings: () => Settings;
  showWindow: () => void;
  /** Told once per run when the OS refuses a notification, with its error (see `notificationsFailedMessage`). */
  onUnavailable?: (message: string) => void;
  log: Logger;
  now?: () => number;
}

/** What the agent reads when the OS refuses notifications. */
export function notificationsFailedMessage(platform: string, error: string): string {
  const why = error.trim().slice(0, 200);
  const hint =
    platform === 'darwin'
      ? 'On macOS only a signed, notarized app can show notifications: ask IT for the signed build, then allow ICWS Companion in System Settings → Notifications.'
      : platform === 'win32'
        ? 'Check that notifications are on for ICWS Companion in Settings → System → Notifications.'
        : 'Check that a notification service is running in this desktop session.';
  return `Desktop notifications cannot be shown${why ? ` (${why})` : ''}. ${hint} Until then, station, session and voicemail news appear only in this window.`;
}

/**
 * Shows notifications, honouring the settings. `observe` is fed every state change; `notify` is for everything else
 * (action failures, hotkey problems). Notifications that are always shown (`force`) answer something the agent just did.
 */
export class Notifier {
  private previous: PublicState | null = null;
  private connectedSince: number | null = null;
  private readonly announced = new Set<string>();
  /** Kept referenced until clicked or replaced, so the click handler is not garbage-collected (Electron issue). */
  private readonly live = new Set<NotificationLike>();
  private failureReported = false;

  constructor(private readonly options: NotifierOptions) {}

  observe(next: PublicState): void {
    const now = this.options.now?.() ?? Date.now();
    const prev = this.previous;
    this.previous = next;
    if (next.connection.status === 'signedOut') {
      this.connectedSince = null;
      this.announced.clear();
    } else if (next.connection.status === 'connected' && this.connectedSince === null) {
      this.connectedSince = now;
    }
    if (!prev) return;
    for (const notification of stateNotifications(prev, next, { connectedSince: this.connectedSince, announcedVoicemails: this.announced })) {
      if (notification.voicemailId) this.announced.add(notification.voicemailId);
      this.notify(notification);
    }
  }

  notify(notification: CompanionNotification, options: { force?: boolean } = {}): boolean {
    if (!options.force && !this.options.settings().notifications[notification.category]) return false;
    if (!this.options.Notification.isSupported()) {
      this.options.log.info('notification not shown (unsupported here)', { title: notification.title });
      return false;
    }
    const shown = new this.options.Notification({ title: notification.title, body: notification.body });
    this.live.add(shown);
    if (this.live.size > 20) this.live.delete(this.live.values().next().value!);
    shown.on('click', () => {
      this.live.delete(shown);
      this.options.showWindow();
    });
    shown.on('failed', (_event, error) => {
      this.live.delete(shown);
      this.options.log.warn('the system refused a notification', { title: notification.title, error });
      if (this.failureReported) return;
      this.failureReported = true;
      this.options.onUnavailable?.(String(error ?? ''));
    });
    shown.show();
    return true;
  }
}
