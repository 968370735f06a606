import { describe, expect, it } from 'vitest';
import type { PublicState, Result } from '../../preload/contract';
import { createShellActions } from '../../main/shell/actions';
import { trayIconPath } from '../../main/shell/desktopApp';
import { Notifier, type CompanionNotification } from '../../main/shell/notifications';
import { TRAY_ICON_STATES, TrayService, trayView, type TrayActions } from '../../main/shell/tray';
import { connected, FakeNotification, FakeTray, flush, recordingLogger, station7001, stateWith } from './fakes';
import { defaultSettings } from '../../preload/contract';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const dialerCall = { callId: 'c1', campaignId: 'camp', state: 'connected' as const };
const situations: [string, PublicState, string][] = [
  ['signed out', stateWith(), 'signedOut'],
  ['failed', stateWith({ connection: { status: 'failed', error: { kind: 'authenticationFailed', message: 'Wrong password.' } } }), 'signedOut'],
  ['connecting', stateWith({ connection: { status: 'connecting', userId: 'agent1' } }), 'connecting'],
  ['reconnecting', connected({ connection: { status: 'reconnecting', userId: 'agent1' } }), 'connecting'],
  ['connected without station', connected(), 'connected'],
  ['station connected', connected({ station: station7001 }), 'station'],
  ['voicemail playing', connected({ station: station7001, voicemail: { messages: [], playing: 'vm1', waiting: 1, notShown: 0 } }), 'voicemail'],
];

describe('trayView', () => {
  it.each(situations)('%s', (_name, state, icon) => {
    expect(trayView(state).icon).toBe(icon);
  });

  it('says the state in words: user, station, state', () => {
    expect(trayView(stateWith()).tooltip).toBe('ICWS Companion: Signed out');
    expect(trayView(connected()).tooltip).toBe('ICWS Companion: Agent One (agent1): connected, no station');
    expect(trayView(connected({ station: station7001 })).tooltip).toBe('ICWS Companion: Agent One (agent1) on station 7001');
    expect(trayView(connected({ station: { ...station7001, extension: '1234' } })).status).toContain('station 7001 (ext. 1234)');
    expect(trayView(stateWith({ connection: { status: 'reconnecting', userId: 'agent1' } })).tooltip).toMatch(/reconnecting as agent1/);
    expect(trayView(situations[1]![1]).status).toBe('Not connected: Wrong password.');
    expect(trayView(connected({ station: station7001, voicemail: { messages: [], playing: 'v', waiting: 0, notShown: 0 } })).status).toMatch(/voicemail playing/);
    expect(trayView(connected({ connection: { status: 'connected', userId: 'x'.repeat(300) } })).tooltip.length).toBeLessThanOrEqual(127);
  });

  it('enables each action only when it can work', () => {
    const signedOut = trayView(stateWith());
    expect(signedOut).toMatchObject({ canRecordFollowMe: false, canStopPlayback: false, canMarkForFinishing: false, canSignOut: false });
    expect(trayView(connected())).toMatchObject({ canRecordFollowMe: false, canSignOut: true });
    expect(trayView(connected({ station: station7001 }))).toMatchObject({ canRecordFollowMe: true, canStopPlayback: false, canMarkForFinishing: false });
    expect(trayView(connected({ station: station7001, followMe: { status: 'recording' } })).canRecordFollowMe).toBe(false);
    expect(trayView(connected({ station: station7001, voicemail: { messages: [], playing: 'vm', waiting: 0, notShown: 0 } })).canStopPlayback).toBe(true);
    expect(trayView(connected({ station: station7001, dialer: { call: dialerCall } })).canMarkForFinishing).toBe(true);
    expect(trayView(connected({ station: station7001, dialer: { call: { ...dialerCall, markedForFinishing: true } } })).canMarkForFinishing).toBe(false);
    expect(trayView(connected({ station: station7001, dialer: { call: dialerCall, unavailable: 'Dialer actions are not available to you.' } })).canMarkForFinishing).toBe(false);
  });

  it('has an icon file, 1x and 2x, colour and macOS template, for every state', () => {
    const assets = join(import.meta.dirname, '../../assets');
    for (const state of TRAY_ICON_STATES) {
      for (const platform of ['win32', 'darwin', 'linux']) {
        const path = trayIconPath(assets, state, platform);
        expect(existsSync(path), path).toBe(true);
        expect(existsSync(path.replace(/\.png$/, '@2x.png')), path).toBe(true);
      }
    }
    expect(trayIconPath(assets, 'station', 'darwin')).toMatch(/stationTemplate\.png$/);
    expect(existsSync(join(assets, 'icon.png'))).toBe(true);
  });
});

function traySetup(platform = 'linux') {
  const trays: FakeTray[] = [];
  const clicks: string[] = [];
  const actions: TrayActions = {
    recordFollowMe: () => clicks.push('recordFollowMe'),
    stopPlayback: () => clicks.push('stopPlayback'),
    markForFinishing: () => clicks.push('markForFinishing'),
    showWindow: () => clicks.push('showWindow'),
    signOut: () => clicks.push('signOut'),
    quit: () => clicks.push('quit'),
  };
  const service = new TrayService<string, unknown>({
    createTrayInstance: (image) => {
      const tray = new FakeTray(image);
      trays.push(tray);
      return tray as never;
    },
    buildMenu: (template) => template,
    icon: (state) => `icon:${state}`,
    actions,
    platform,
  });
  return { service, trays, clicks };
}

describe('TrayService', () => {
  it('creates the tray once with the state icon, a status line and the menu', () => {
    const { service, trays } = traySetup();
    service.render(connected({ station: station7001 }));
    const tray = trays[0]!;
    expect(trays).toHaveLength(1);
    expect(tray.images).toEqual(['icon:station']);
    expect(tray.tooltips).toEqual(['ICWS Companion: Agent One (agent1) on station 7001']);
    expect(tray.menu.map((i) => i.id ?? i.type)).toEqual([
      'status', 'separator', 'recordFollowMe', 'stopPlayback', 'markForFinishing', 'separator', 'showWindow', 'signOut', 'separator', 'quit',
    ]);
    expect(tray.item('status')).toMatchObject({ label: 'Agent One (agent1) on station 7001', enabled: false });
    expect(tray.item('showWindow').enabled).not.toBe(false);
  });

  it('updates icon, tooltip and menu on every change, and rebuilds nothing when what it shows did not change', () => {
    const { service, trays } = traySetup();
    service.render(stateWith());
    const tray = trays[0]!;
    service.render(stateWith({ features: { dialer: 7 } })); // not shown in the tray
    expect([tray.images.length, tray.tooltips.length, tray.menus.length]).toEqual([1, 1, 1]);
    service.render(connected({ station: station7001, voicemail: { messages: [], playing: 'vm1', waiting: 1, notShown: 0 } }));
    expect(tray.images.at(-1)).toBe('icon:voicemail');
    expect(tray.item('stopPlayback').enabled).toBe(true);
    expect(tray.menus).toHaveLength(2);
    service.render(connected({ station: station7001 }));
    expect(tray.images.at(-1)).toBe('icon:station');
    expect(tray.item('stopPlayback').enabled).toBe(false);
    // Only the menu depends on the Dialer call: the icon and tooltip stay.
    service.render(connected({ station: station7001, dialer: { call: dialerCall } }));
    expect(tray.images).toHaveLength(3);
    expect(tray.tooltips).toHaveLength(3);
    expect(tray.menus).toHaveLength(4);
    expect(tray.item('markForFinishing').enabled).toBe(true);
  });

  it('shows registered hotkeys beside their items without registering them', () => {
    const { service, trays } = traySetup();
    const state = connected({ station: station7001 });
    state.hotkeys = {
      stopPlayback: { accelerator: 'CommandOrControl+Alt+S', registered: true },
      recordFollowMe: { accelerator: 'CommandOrControl+Alt+R', registered: false, error: 'taken' },
    };
    service.render(state);
    expect(trays[0]!.item('stopPlayback')).toMatchObject({ accelerator: 'CommandOrControl+Alt+S', registerAccelerator: false });
    expect(trays[0]!.item('recordFollowMe').accelerator).toBeUndefined();
  });

  it('calls the right action for each menu item; a click shows the window except on macOS', () => {
    const { service, trays, clicks } = traySetup();
    service.render(connected({ station: station7001 }));
    for (const id of ['recordFollowMe', 'stopPlayback', 'markForFinishing', 'showWindow', 'signOut', 'quit']) trays[0]!.item(id).click!();
    expect(clicks).toEqual(['recordFollowMe', 'stopPlayback', 'markForFinishing', 'showWindow', 'signOut', 'quit']);
    trays[0]!.emit('click');
    expect(clicks.at(-1)).toBe('showWindow');
    const mac = traySetup('darwin');
    mac.service.render(stateWith());
    expect(mac.trays[0]!.listenerCount('click')).toBe(0);
  });

  it('is destroyed on quit and recreated if rendered again', () => {
    const { service, trays } = traySetup();
    service.render(stateWith());
    service.destroy();
    expect(trays[0]!.destroyed).toBe(true);
    service.render(stateWith());
    expect(trays).toHaveLength(2);
  });
});

describe('shell actions (tray and hotkeys → the core)', () => {
  function setup(state: PublicState, answer: Result<unknown> = { ok: true, value: null }) {
    const dispatched: { name: unknown; params: unknown }[] = [];
    const notified: { n: CompanionNotification; force: boolean }[] = [];
    const actions = createShellActions({
      dispatch: async (name, params) => {
        dispatched.push({ name, params });
        return answer;
      },
      state: () => state,
      notify: (n, o) => notified.push({ n, force: o?.force ?? false }),
      log: recordingLogger().log,
    });
    return { actions, dispatched, notified };
  }

  it('maps each action to its command', async () => {
    const { actions, dispatched } = setup(connected({ station: station7001 }));
    await actions.recordFollowMe('tray');
    await actions.stopPlayback('hotkey');
    await actions.markForFinishing('tray');
    await actions.signOut('tray');
    expect(dispatched).toEqual([
      { name: 'followMe.record', params: undefined },
      { name: 'voicemail.stop', params: undefined },
      { name: 'dialer.markForFinishing', params: {} },
      { name: 'session.signOut', params: undefined },
    ]);
  });

  it('reports a failed action as an action-failure notification', async () => {
    const { actions, notified } = setup(connected({ station: station7001 }), { ok: false, error: { kind: 'notPlaying', message: 'No voicemail is playing.' } });
    expect(await actions.stopPlayback('tray')).toBe(false);
    expect(notified).toEqual([{ n: { category: 'actionFailures', title: 'Stop voicemail playback failed', body: 'No voicemail is playing.' }, force: false }]);
  });

  it('a hotkey while signed out or without a station says why, always, and sends nothing', async () => {
    const out = setup(stateWith());
    await out.actions.recordFollowMe('hotkey');
    expect(out.dispatched).toEqual([]);
    expect(out.notified[0]).toMatchObject({ force: true, n: { body: expect.stringMatching(/signed out/) } });
    const noStation = setup(connected());
    await noStation.actions.stopPlayback('hotkey');
    expect(noStation.dispatched).toEqual([]);
    expect(noStation.notified[0]).toMatchObject({ force: true, n: { body: expect.stringMatching(/not logged in to a station/) } });
    const connecting = setup(stateWith({ connection: { status: 'connecting' } }));
    await connecting.actions.stopPlayback('tray');
    expect(connecting.notified[0]).toMatchObject({ force: false, n: { body: expect.stringMatching(/still connecting/) } });
  });

  it('feeds the notifier: a tray failure is shown unless action failures are turned off', async () => {
    FakeNotification.shown = [];
    let settings = defaultSettings();
    const notifier = new Notifier({ Notification: FakeNotification, settings: () => settings, showWindow: () => {}, log: recordingLogger().log });
    const { actions } = (() => {
      const a = createShellActions({
        dispatch: async () => ({ ok: false, error: { kind: 'noDialerCall', message: 'There is no active Dialer call.' } }),
        state: () => connected({ station: station7001 }),
        notify: (n, o) => notifier.notify(n, o),
        log: recordingLogger().log,
      });
      return { actions: a };
    })();
    await actions.markForFinishing('tray');
    await flush();
    expect(FakeNotification.shown.map((n) => n.options.body)).toEqual(['There is no active Dialer call.']);
    settings = { ...settings, notifications: { ...settings.notifications, actionFailures: false } };
    await actions.markForFinishing('tray');
    expect(FakeNotification.shown).toHaveLength(1);
  });
});
