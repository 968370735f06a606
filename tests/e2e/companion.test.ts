import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import type { PublicState } from '../../preload/contract';
import { buildRenderer, CONNECTED, expectText, launchChromium, openWindow, rpc, screenshots, simControl, startHost, type Host, type Window } from './harness';

/**
 * The window in real Chromium against `npm run host --demo` and its simulator, one agent's working session from
 * signing in to a server switchover. Steps run in order and build on each other.
 */
describe('ICWS Companion in a browser', () => {
  let host: Host;
  let browser: Browser;
  let window: Window;
  let page: Page;
  let simulator: string;
  const bridgeSockets: WebSocketRoute[] = [];
  let bridgeCut = false;

  const state = () => rpc<PublicState>(host.bridge, 'state.get');
  const status = () => page.getByTestId('connection-status');
  const card = (name: string) => page.getByRole('region', { name, exact: true });
  const now = () => page.getByRole('region', { name: 'Now', exact: true });
  const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
  /** Fully on screen at the tray window's size, with the page scrolled to the top: no scrolling needed to reach it. */
  const onScreenAtTop = async (locator: ReturnType<Page['getByRole']>) => {
    await page.evaluate(() => document.scrollingElement?.scrollTo(0, 0));
    const box = await locator.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y + box!.height).toBeLessThanOrEqual(560);
  };

  beforeAll(async () => {
    await buildRenderer();
    host = await startHost({ demo: true });
    browser = await launchChromium();
    window = await openWindow(browser, host.ui);
    page = window.page;
    // The bridge's sockets pass through a route, so a step can cut this window off the companion (and let it back)
    // while the companion itself stays signed in, as when the bridge drops.
    await page.routeWebSocket(/\/bridge/, (socket) => {
      if (bridgeCut) return void socket.close({ code: 1006 });
      socket.connectToServer();
      bridgeSockets.push(socket);
    });
    await page.reload();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('starts signed in to the demo and shows the cards', async () => {
    await expectText(status(), CONNECTED);
    await card('Station').waitFor();
    const now = await state();
    expect(now.connection.demo).toBe(true);
    expect(now.connection.server).toMatch(/^https?:\/\//);
    simulator = now.connection.server!;
    await expectText(page.getByRole('group', { name: 'Connection' }), 'Agent One');
    await screenshots(page, '01-demo-signed-in');
  });

  it('signs in: a wrong password first, then the right one', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to CIC' }).waitFor();
    await screenshots(page, '02-signed-out');
    await page.getByLabel('Server').fill(simulator);
    await page.getByLabel('User name').fill('agent1');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await expectText(alert, 'Wrong user name or password');
    // The header names nobody: the attempt failed, no one is signed in.
    expect(await page.getByRole('group', { name: 'Connection' }).textContent()).not.toContain('agent1');
    await screenshots(page, '03-wrong-password');

    await page.getByLabel('Password').fill('1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(status(), CONNECTED);
    expect((await state()).connection).toMatchObject({ status: 'connected', userId: 'agent1', server: simulator });
  });

  it('logs in to a workstation', async () => {
    const station = card('Station');
    await station.getByRole('textbox', { name: 'Workstation', exact: true }).fill('7001');
    await station.getByRole('button', { name: 'Log in to station' }).click();
    await expectText(station.getByLabel('Current station'), '7001');
    await expectText(station, 'Workstation');
    expect((await state()).station).toMatchObject({ extension: '7001', kind: 'workstation' });
    await screenshots(page, '04-station', station);
  });

  it('idle: with a station and nothing live, no Now area and a compact header', async () => {
    await simControl(simulator, 'DELETE', '/sim/dialer/calls/2001000001');
    await card('Station').getByLabel('Current station').waitFor();
    await now().waitFor({ state: 'detached' });
    const header = await page.locator('header').boundingBox();
    expect(header!.height).toBeLessThanOrEqual(64);
    await screenshots(page, '05-idle');
  });

  it('records the follow-me prompt: Commit and Cancel at the top while it records', async () => {
    const followMe = card('Follow-me prompt');
    await followMe.getByRole('button', { name: 'Record' }).click();
    const recording = now().getByRole('group', { name: 'Follow-me recording' });
    await expectText(recording, 'Recording');
    expect((await state()).followMe.status).toBe('recording');
    await onScreenAtTop(recording.getByRole('button', { name: 'Commit' }));
    await onScreenAtTop(recording.getByRole('button', { name: 'Cancel' }));
    await screenshots(page, '06-recording');
    await recording.getByRole('button', { name: 'Commit' }).click();
    await expectText(followMe, 'Your new follow-me prompt is saved');
    expect((await state()).followMe.status).toBe('committed');
  });

  it('plays a voicemail: who plays and Stop at the top, focus on Stop after Play and back after Stop', async () => {
    const voicemail = card('Voicemail');
    await voicemail.getByRole('button', { name: /^Play voicemail from Dana Whitfield/ }).click();
    const nowPlaying = now().getByRole('group', { name: 'Now playing' });
    await expectText(nowPlaying, 'Dana Whitfield');
    await voicemail.getByRole('button', { name: /^Stop voicemail from Dana Whitfield/ }).waitFor();
    expect(await focusedName()).toMatch(/^Stop voicemail from Dana Whitfield/);
    expect((await state()).voicemail.playing).toBe('vm-agent1-0003');
    await onScreenAtTop(nowPlaying.getByRole('button', { name: 'Stop playback' }));
    await screenshots(page, '07-playing');
    await nowPlaying.getByRole('button', { name: 'Stop playback' }).click();
    await nowPlaying.waitFor({ state: 'detached' });
    await voicemail.getByRole('button', { name: /^Play voicemail from Dana Whitfield/ }).waitFor();
    expect(await focusedName()).toMatch(/^Play voicemail from Dana Whitfield/);
    expect((await state()).voicemail.playing).toBeNull();
  });

  it("shows a Dialer call's data as Dialer has it, edits it in place and sends only what changed", async () => {
    await simControl(simulator, 'POST', '/sim/dialer/calls', {
      userId: 'agent1',
      callId: '2001000002',
      remoteName: 'Morgan Ellis',
      remoteAddress: '+13175550123',
      state: 'C',
      attributes: { is_attr_AccountNumber: 'RN-48213', is_attr_PolicyType: 'Home', is_attr_Premium: '384.00', is_attr_Notes: '' },
    });
    const active = now().getByRole('group', { name: 'Active Dialer call' });
    await expectText(active, 'Morgan Ellis');
    await expectText(active, 'Renewals');
    expect(await active.textContent()).not.toContain('64BDEC2E');
    await active.getByRole('button', { name: 'Show id' }).click();
    await expectText(active, '64BDEC2E-4AE1-4F1F-8C47-79C34433D6FC');
    await active.getByRole('button', { name: 'Hide id' }).click();
    await onScreenAtTop(active.getByRole('button', { name: 'Mark for finishing' }));

    const data = card('Call data');
    const premium = data.getByRole('textbox', { name: 'Premium', exact: true });
    await vi.waitFor(async () => expect(await premium.inputValue()).toBe('384.00'), { timeout: 20_000 });
    expect(await data.getByRole('textbox', { name: 'AccountNumber' }).inputValue()).toBe('RN-48213');
    await premium.fill('412.00');
    await data.getByRole('textbox', { name: 'Notes' }).fill('Renewed by phone');
    await data.getByRole('button', { name: 'Save call data' }).click();
    await expectText(data, 'Call data saved (2 fields).');
    const calls = ((await simControl(simulator, 'GET', '/sim/state')) as { calls: { callId: string; callData: Record<string, string> }[] }).calls;
    expect(calls.find((c) => c.callId === '2001000002')?.callData).toEqual({ Premium: '412.00', Notes: 'Renewed by phone' });
    expect((await state()).dialer.call?.contactData?.columns).toMatchObject({ Premium: '412.00', Notes: 'Renewed by phone' });
    await screenshots(page, '08-dialer-call-data');
  });

  it('opens settings without losing typed call data; in the browser it says hotkeys belong to the desktop app', async () => {
    const notes = card('Call data').getByRole('textbox', { name: 'Notes' });
    await notes.fill('Call back on Friday');
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await expectText(page.getByRole('region', { name: 'Settings' }), 'Hotkeys belong to the desktop app');
    await screenshots(page, '09-settings');
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await notes.inputValue()).toBe('Call back on Friday');
    await expectText(card('Call data'), '1 unsaved');
  });

  it('marks the call for finishing: a state of the call, shown and not repeatable', async () => {
    const active = now().getByRole('group', { name: 'Active Dialer call' });
    await active.getByRole('button', { name: 'Mark for finishing' }).click();
    await expectText(active.getByRole('status'), 'Marked for finishing');
    expect(await active.getByRole('button', { name: 'Mark for finishing' }).count()).toBe(0);
    expect((await state()).dialer.call?.markedForFinishing).toBe(true);
    const calls = ((await simControl(simulator, 'GET', '/sim/state')) as { calls: { callId: string; markedForFinishing: unknown }[] }).calls;
    expect(calls.find((c) => c.callId === '2001000002')?.markedForFinishing).not.toBeNull();
    await screenshots(page, '10-marked-for-finishing');
  });

  it('CIC drops the station: the card says why, nothing says logged in, and the last station is offered again', async () => {
    const reason = 'Your connection has been dropped due to a subsequent logon to a different station.';
    await simControl(simulator, 'POST', '/sim/station/drop', { userId: 'agent1', reason });
    const station = card('Station');
    await expectText(station, reason);
    await expectText(station, 'No station');
    expect(await station.textContent()).not.toMatch(/Logged in/);
    expect(await station.getByRole('textbox', { name: 'Workstation' }).inputValue()).toBe('7001');
    await expectText(station, 'The station you used last time on this server.');
    await screenshots(page, '11-station-dropped', station);
    await station.getByRole('button', { name: 'Log in to station' }).click();
    await expectText(station.getByLabel('Current station'), '7001');
  });

  it('recovers on its own from a forced session expiry', async () => {
    const sessionsOf = async () =>
      ((await simControl(simulator, 'GET', '/sim/state')) as { sessions: { sessionId: string; userId: string; stationId: string | null }[] }).sessions.filter(
        (session) => session.userId === 'agent1',
      );
    const before = (await sessionsOf()).map((session) => session.sessionId);
    expect(before.length).toBeGreaterThan(0);
    await simControl(simulator, 'POST', '/sim/sessions/expire', { userId: 'agent1' });
    // The companion signs in again by itself and brings the station back: a new session, logged in to 7001.
    await vi.waitFor(
      async () => {
        const after = await sessionsOf();
        expect(after.some((session) => !before.includes(session.sessionId) && session.stationId === '7001')).toBe(true);
      },
      { timeout: 30_000, interval: 250 },
    );
    await expectText(status(), CONNECTED);
    await expectText(card('Station').getByLabel('Current station'), '7001');
    const voicemail = card('Voicemail');
    await voicemail.getByRole('button', { name: /^Play voicemail from Renewals Team/ }).click();
    await voicemail.getByRole('button', { name: /^Stop voicemail from Renewals Team/ }).click();
    await voicemail.getByRole('button', { name: /^Play voicemail from Renewals Team/ }).waitFor();
  });

  it('shows a server switchover (503) during the session as reconnecting, then carries on', async () => {
    await simControl(simulator, 'POST', '/sim/faults/not-accepting', {});
    await simControl(simulator, 'POST', '/sim/sessions/expire', { userId: 'agent1' });
    await expectText(status(), /^\s*Reconnecting/, 30_000);
    await card('Station').waitFor();
    await screenshots(page, '12-reconnecting');
    await simControl(simulator, 'POST', '/sim/faults/accepting', {});
    await expectText(status(), CONNECTED, 60_000);
    await expectText(card('Station').getByLabel('Current station'), '7001');
  });

  it('keeps a 10,000-voicemail mailbox to the rows in view', async () => {
    await simControl(simulator, 'PUT', '/sim/voicemail/mailbox', { userId: 'agent1', generate: 10_000 });
    const voicemail = card('Voicemail');
    await expectText(voicemail, '10000 in mailbox', 60_000);
    const list = voicemail.getByRole('list', { name: 'Voicemail messages' });
    expect(await list.getByRole('listitem').count()).toBeLessThan(60);
    await list.evaluate((element) => {
      const viewport = element.closest('.viewport')!;
      viewport.scrollTop = viewport.scrollHeight / 2;
    });
    await page.waitForFunction(() => {
      const items = [...document.querySelectorAll('[aria-label="Voicemail messages"] li')];
      return items.some((li) => Number(li.getAttribute('aria-posinset')) > 4000);
    });
    expect(await list.getByRole('listitem').count()).toBeLessThan(60);
    await screenshots(page, '13-big-mailbox', voicemail);
  });

  it('says the server is switching over (503), then signs in once it is back', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to CIC' }).waitFor();
    await simControl(simulator, 'POST', '/sim/faults/not-accepting', {});
    await page.getByLabel('Server').fill(simulator);
    await page.getByLabel('User name').fill('agent1');
    await page.getByLabel('Password').fill('1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'The server is switching over', 60_000);
    await screenshots(page, '14-switchover');
    await simControl(simulator, 'POST', '/sim/faults/accepting', {});
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(status(), CONNECTED, 60_000);
    // Signed out, the station went with the session; the one used last on this server is offered.
    expect(await card('Station').getByRole('textbox', { name: 'Workstation' }).inputValue()).toBe('7001');
    await card('Station').getByRole('button', { name: 'Log in to station' }).click();
    await expectText(card('Station').getByLabel('Current station'), '7001');
  });

  it('looks right in the dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await card('Station').waitFor();
    await screenshots(page, '15-dark', card('Voicemail'));
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toBe('rgb(244, 245, 247)');
  });

  it('an agent without a Dialer licence sees one short sentence instead of Dialer actions', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').fill('agent2');
    await page.getByLabel('Password').fill('1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(status(), CONNECTED, 60_000);
    await card('Station').getByRole('textbox', { name: 'Workstation', exact: true }).fill('7002');
    await card('Station').getByRole('button', { name: 'Log in to station' }).click();
    await expectText(card('Station').getByLabel('Current station'), '7002');
    await simControl(simulator, 'POST', '/sim/dialer/calls', { userId: 'agent2', callId: '2002000001', remoteName: 'Jo Park', remoteAddress: '+13175550188', state: 'C' });
    const sentence = 'Dialer actions are not available to you: your CIC account has no Dialer licence.';
    await expectText(card('Call data'), sentence);
    await expectText(now().getByRole('group', { name: 'Active Dialer call' }), 'Jo Park');
    expect(await page.getByText(sentence).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Mark for finishing' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save call data' }).count()).toBe(0);
    await screenshots(page, '16-no-licence');
  });

  it('when this window loses the companion, the header and the window say so, and both recover', async () => {
    bridgeCut = true;
    for (const socket of bridgeSockets.splice(0)) await socket.close({ code: 1001 });
    await expectText(page.getByTestId('companion-link'), 'This window lost touch with the companion');
    await expectText(status(), 'Companion unreachable');
    expect(await status().textContent()).not.toContain('live events');
    await card('Station').waitFor();
    await screenshots(page, '17-link-lost');
    bridgeCut = false;
    await page.getByTestId('companion-link').waitFor({ state: 'detached', timeout: 30_000 });
    await expectText(status(), CONNECTED);
  });

  it('ran with no console errors and no Content-Security-Policy violations', () => {
    expect(window.problems).toEqual([]);
  });
});
