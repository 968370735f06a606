import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings, type PublicState, type Settings, type VoicemailMessage } from '../../preload/contract';
import { Notifier, stateNotifications, type DiffContext } from '../../main/shell/notifications';
import { connected, FakeNotification, recordingLogger, station7001, stateWith } from './fakes';

const T0 = Date.parse('2026-11-23T09:00:00Z');
const ctx = (connectedSince: number | null = T0, announced: string[] = []): DiffContext => ({ connectedSince, announcedVoicemails: new Set(announced) });
const vm = (id: string, received: string, read = false): VoicemailMessage => ({ id, from: 'Pat (3175551234)', subject: 'Call me', received, read });
const withMail = (messages: VoicemailMessage[], patch: Partial<PublicState> = {}) => connected({ station: station7001, voicemail: { messages, playing: null, waiting: messages.length, notShown: 0 }, ...patch });

describe('stateNotifications', () => {
  it('station connected, changed and dropped', () => {
    expect(stateNotifications(connected(), connected({ station: station7001 }), ctx())).toEqual([
      { category: 'station', title: 'Station connected', body: 'You are logged in to station 7001.' },
    ]);
    const remote = { id: 'r1', extension: '3175550100', kind: 'remoteNumber' as const, mediaTypes: [], remoteNumber: '3175550100' };
    expect(stateNotifications(connected({ station: station7001 }), connected({ station: remote }), ctx())).toEqual([
      { category: 'station', title: 'Station changed', body: 'You are now logged in to remote number 3175550100 instead of station 7001.' },
    ]);
    expect(stateNotifications(connected({ station: station7001 }), connected(), ctx())).toEqual([
      { category: 'station', title: 'Station disconnected', body: 'You are no longer logged in to station 7001.' },
    ]);
  });

  it('a dropped station says why when the core gives the reason (subsequent logon elsewhere)', () => {
    const reason = 'Your connection has been dropped due to a subsequent logon to a different station.';
    const [note] = stateNotifications(connected({ station: station7001 }), connected({ stationDropReason: reason }), ctx());
    expect(note).toEqual({ category: 'station', title: 'Station disconnected', body: reason });
  });

  it('session lost, restored, and failed to reconnect; a sign-out is not news', () => {
    const lost = stateNotifications(
      connected({ station: station7001 }),
      stateWith({ connection: { status: 'reconnecting', userId: 'agent1', error: { kind: 'network', message: 'cic1 could not be reached.' } } }),
      ctx(),
    );
    expect(lost).toEqual([{ category: 'session', title: 'Connection to CIC lost', body: 'cic1 could not be reached. Reconnecting…' }]);
    expect(stateNotifications(stateWith({ connection: { status: 'reconnecting' } }), connected(), ctx())).toEqual([
      { category: 'session', title: 'Connection to CIC restored', body: 'Signed in again as agent1.' },
    ]);
    expect(stateNotifications(stateWith({ connection: { status: 'reconnecting' } }), stateWith({ connection: { status: 'failed', error: { kind: 'authenticationFailed', message: 'Wrong password.' } } }), ctx())[0]).toMatchObject({
      title: 'Could not reconnect to CIC',
      body: 'Wrong password.',
    });
    expect(stateNotifications(connected({ station: station7001 }), stateWith(), ctx())).toEqual([]);
  });

  it('a new voicemail, but not the mailbox loaded at sign-in, nor one already announced, nor a read one', () => {
    const old = vm('old', '2026-11-22T17:00:00Z');
    const fresh = vm('new', '2026-11-23T10:30:00Z');
    expect(stateNotifications(withMail([]), withMail([old]), ctx())).toEqual([]);
    expect(stateNotifications(withMail([old]), withMail([old, fresh]), ctx())).toEqual([
      { category: 'voicemail', title: 'New voicemail', body: 'From Pat (3175551234): Call me', voicemailId: 'new' },
    ]);
    expect(stateNotifications(withMail([old]), withMail([old, fresh]), ctx(T0, ['new']))).toEqual([]);
    expect(stateNotifications(withMail([old]), withMail([old, { ...fresh, read: true }]), ctx())).toEqual([]);
    expect(stateNotifications(withMail([old]), withMail([old, fresh]), ctx(null))).toEqual([]);
  });
});

describe('Notifier', () => {
  let settings: Settings;
  let shownWindow: number;
  let now: number;
  let notifier: Notifier;

  const makeNotifier = () =>
    new Notifier({
      Notification: FakeNotification,
      settings: () => settings,
      showWindow: () => shownWindow++,
      log: recordingLogger().log,
      now: () => now,
    });

  beforeEach(() => {
    FakeNotification.shown = [];
    FakeNotification.supported = true;
    settings = defaultSettings();
    shownWindow = 0;
    now = T0;
    notifier = makeNotifier();
  });

  const titles = () => FakeNotification.shown.map((n) => n.options.title);

  it('notifies each change once and a click shows the window', () => {
    notifier.observe(stateWith());
    notifier.observe(connected());
    notifier.observe(connected({ station: station7001 }));
    expect(titles()).toEqual(['Station connected']);
    FakeNotification.shown[0]!.click();
    expect(shownWindow).toBe(1);
  });

  it.each([
    ['station', () => [connected(), connected({ station: station7001 })]],
    ['session', () => [connected(), stateWith({ connection: { status: 'reconnecting' } })]],
    ['voicemail', () => [withMail([]), withMail([vm('v1', '2026-11-23T09:30:00Z')])]],
  ] as [keyof Settings['notifications'], () => PublicState[]][])('honours settings.notifications.%s', (category, states) => {
    const [before, after] = states();
    notifier.observe(before!);
    settings = { ...settings, notifications: { ...settings.notifications, [category]: false } };
    notifier.observe(after!);
    expect(titles()).toEqual([]);
    settings = defaultSettings();
    const enabled = makeNotifier();
    enabled.observe(before!);
    enabled.observe(after!);
    expect(titles()).toHaveLength(1);
  });

  it('does not announce a voicemail again after a reconnect resync', () => {
    const v1 = vm('v1', '2026-11-23T09:30:00Z');
    notifier.observe(withMail([]));
    notifier.observe(withMail([v1]));
    notifier.observe(stateWith({ connection: { status: 'reconnecting' } }));
    notifier.observe(withMail([]));
    notifier.observe(withMail([v1]));
    expect(titles().filter((t) => t === 'New voicemail')).toHaveLength(1);
  });

  it('forced notifications ignore the settings; nothing is shown where notifications are unsupported', () => {
    settings = { ...settings, notifications: { station: false, session: false, voicemail: false, actionFailures: false } };
    expect(notifier.notify({ category: 'actionFailures', title: 'x', body: 'y' })).toBe(false);
    expect(notifier.notify({ category: 'actionFailures', title: 'x', body: 'y' }, { force: true })).toBe(true);
    FakeNotification.supported = false;
    expect(notifier.notify({ category: 'actionFailures', title: 'x', body: 'y' }, { force: true })).toBe(false);
  });
});
