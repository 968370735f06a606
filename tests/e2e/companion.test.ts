import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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

  const state = () => rpc<PublicState>(host.bridge, 'state.get');
  const status = () => page.getByTestId('connection-status');
  const card = (name: string) => page.getByRole('region', { name, exact: true });

  beforeAll(async () => {
    await buildRenderer();
    host = await startHost({ demo: true });
    browser = await launchChromium();
    window = await openWindow(browser, host.ui);
    page = window.page;
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

  it('records the follow-me prompt and commits it', async () => {
    const followMe = card('Follow-me prompt');
    await followMe.getByRole('button', { name: 'Record' }).click();
    await expectText(followMe, 'Recording');
    await expectText(followMe, 'Commit to keep it');
    expect((await state()).followMe.status).toBe('recording');
    await screenshots(page, '05-recording', followMe);
    await followMe.getByRole('button', { name: 'Commit' }).click();
    await expectText(followMe, 'Your new follow-me prompt is saved');
    expect((await state()).followMe.status).toBe('committed');
  });

  it('plays a voicemail on the station and stops it', async () => {
    const voicemail = card('Voicemail');
    await voicemail.getByRole('button', { name: /^Play voicemail from Dana Whitfield/ }).click();
    const nowPlaying = voicemail.getByRole('group', { name: 'Now playing' });
    await expectText(nowPlaying, 'Dana Whitfield');
    await voicemail.getByRole('button', { name: /^Stop voicemail from Dana Whitfield/ }).waitFor();
    expect((await state()).voicemail.playing).toBe('vm-agent1-0003');
    await screenshots(page, '06-playing', voicemail);
    await nowPlaying.getByRole('button', { name: 'Stop playback' }).click();
    await nowPlaying.waitFor({ state: 'detached' });
    await voicemail.getByRole('button', { name: /^Play voicemail from Dana Whitfield/ }).waitFor();
    expect((await state()).voicemail.playing).toBeNull();
  });

  it("updates the Dialer call's data and marks it for finishing", async () => {
    const dialer = card('Dialer call');
    await expectText(dialer.getByLabel('Active Dialer call'), 'Morgan Ellis');
    await dialer.getByLabel('Key 1').fill('Outcome');
    await dialer.getByLabel('Value 1').fill('Renewed');
    await dialer.getByRole('button', { name: 'Add entry' }).click();
    await dialer.getByLabel('Key 2').fill('Premium');
    await dialer.getByLabel('Value 2').fill('412.00');
    await dialer.getByRole('button', { name: 'Update call data' }).click();
    await expectText(dialer, 'Call data updated (2 entries).');
    const sim = JSON.stringify(await simControl(simulator, 'GET', '/sim/state'));
    expect(sim).toContain('Renewed');
    expect(sim).toContain('412.00');

    await dialer.getByRole('checkbox', { name: /Send the call data above/ }).check();
    await dialer.getByRole('button', { name: 'Mark for finishing' }).click();
    await expectText(dialer, 'Call marked for a finishing agent.');
    await screenshots(page, '07-dialer', dialer);
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
    await screenshots(page, '08-reconnecting');
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
    await screenshots(page, '09-big-mailbox', voicemail);
  });

  it('shows the settings', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    await screenshots(page, '10-settings');
    await page.getByRole('button', { name: 'Done' }).click();
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
    await screenshots(page, '11-switchover');
    await simControl(simulator, 'POST', '/sim/faults/accepting', {});
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(status(), CONNECTED, 60_000);
  });

  it('looks right in the dark theme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await card('Station').waitFor();
    await screenshots(page, '12-dark', card('Voicemail'));
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toBe('rgb(244, 245, 247)');
  });

  it('ran with no console errors and no Content-Security-Policy violations', () => {
    expect(window.problems).toEqual([]);
  });
});
