import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Policy, PublicState, Settings } from '../../preload/contract';
import { startSimulator, type Simulator } from '../../sim/index';
import { buildRenderer, CONNECTED, expectText, launchChromium, openWindow, rpc, screenshots, startHost, type Host, type Window } from './harness';

const REASON = 'Managed by the contact-center IT team, extension 4400.';

/**
 * A desk IT set up: `npm run host --policy FILE` with the CIC server fixed, its certificate pinned by IT, no saved
 * passwords, no demo, fixed hotkeys and start at login. In real Chromium at 380×560: the sign-in form and Settings show
 * what is locked and why, and signing in works through IT's pin alone.
 */
describe('A companion deployed with a machine-wide policy, in a browser', () => {
  let sim: Simulator;
  let folder: string;
  let host: Host;
  let browser: Browser;
  let window: Window;
  let page: Page;

  const state = () => rpc<PublicState>(host.bridge, 'state.get');
  const settings = () => rpc<Settings>(host.bridge, 'settings.get');

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, tls: true, quiet: true });
    folder = await mkdtemp(join(tmpdir(), 'companion-e2e-policy-'));
    const policy: Policy = {
      reason: REASON,
      server: { addresses: [sim.url], agentMayChange: false },
      allowRememberPassword: false,
      offerDemo: false,
      hotkeys: { editable: false },
      notifications: { voicemail: true, session: true },
      startAtLogin: true,
      certificates: { pins: [{ host: new URL(sim.url).host, fingerprint256: sim.fingerprint256! }], agentMayPin: false },
      logLevel: 'info',
    };
    await writeFile(join(folder, 'policy.json'), JSON.stringify(policy, null, 2));
    await buildRenderer();
    host = await startHost({ extraArgs: ['--policy', join(folder, 'policy.json')] });
    browser = await launchChromium();
    window = await openWindow(browser, host.ui);
    page = window.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await sim?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('signs in only to the server IT set, with no "remember me" and no demo', async () => {
    await page.getByRole('heading', { name: 'Sign in to CIC' }).waitFor();
    const server = page.getByLabel('Server');
    expect(await server.inputValue()).toBe(sim.url);
    expect(await server.getAttribute('readonly')).not.toBeNull();
    await expectText(page.locator('form'), `Your administrator set the CIC server. ${REASON}`);
    await expectText(page.locator('form'), 'Your administrator does not allow saving passwords on this computer.');
    expect(await page.getByRole('checkbox', { name: /Remember me/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Try the demo' }).count()).toBe(0);
    await screenshots(page, '22-policy-sign-in', page.locator('form'));
  });

  it("signs in through IT's certificate pin, and keeps no password", async () => {
    await page.getByLabel('User name').fill('agent1');
    await page.getByLabel('Password').fill('1234');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByTestId('connection-status'), CONNECTED);
    const { connection, policy } = await state();
    expect(connection).toMatchObject({ status: 'connected', server: sim.url, passwordSaved: false });
    expect(policy).toMatchObject({ serverLocked: true, rememberPasswordAllowed: false, demoOffered: false, agentMayPin: false });
  });

  it('shows the locked settings in Settings, with the reason, and nothing to change them with', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    const panel = page.getByRole('region', { name: 'Settings', exact: true });
    await panel.waitFor();
    await expectText(panel, `Some settings are set by your administrator and cannot be changed here. ${REASON}`);
    for (const name of ['Stop voicemail playback', 'Record follow-me prompt']) {
      const group = panel.getByRole('group', { name });
      await expectText(group, 'Set by your administrator');
      expect(await group.getByRole('button').count()).toBe(0);
    }
    expect(await panel.getByRole('checkbox', { name: 'Start when I log in to this computer' }).isDisabled()).toBe(true);
    expect(await panel.getByRole('checkbox', { name: 'A new voicemail arrived' }).isDisabled()).toBe(true);
    expect(await panel.getByRole('checkbox', { name: 'Station connected, changed or dropped' }).isEnabled()).toBe(true);
    const pins = panel.getByRole('list', { name: 'Pinned certificates' });
    await expectText(pins, 'Provided by your administrator.');
    expect(await pins.getByRole('button').count()).toBe(0);
    expect((await settings()).startAtLogin).toBe(true);
    await screenshots(page, '23-policy-settings', panel);
    await screenshots(page, '24-policy-settings-start-up', panel.getByRole('group', { name: 'Start-up' }));
  });

  it('ran with no console errors and no Content-Security-Policy violations', () => {
    expect(window.problems).toEqual([]);
  });

  it('offers the servers IT listed to choose from', async () => {
    const servers = ['https://cic1.example.com:8019', 'https://cic2.example.com:8019'];
    await writeFile(join(folder, 'choice.json'), JSON.stringify({ reason: REASON, server: { addresses: servers }, offerDemo: false }));
    const chooser = await startHost({ extraArgs: ['--policy', join(folder, 'choice.json')] });
    const choice = await openWindow(browser, chooser.ui);
    try {
      const select = choice.page.getByRole('combobox', { name: 'Server' });
      await select.waitFor();
      expect(await select.locator('option').allTextContents()).toEqual(servers);
      await expectText(choice.page.locator('form'), 'Your administrator chose the CIC servers you can use.');
      expect(await choice.page.getByRole('checkbox', { name: /Remember me/ }).count()).toBe(1);
      await screenshots(choice.page, '25-policy-server-choice', choice.page.locator('form'));
      expect(choice.problems).toEqual([]);
    } finally {
      await choice.context.close();
      await chooser.stop();
    }
  });

  it('tells the agent when the policy file has a mistake, and runs with the strictest reading', async () => {
    await writeFile(join(folder, 'broken.json'), '{ "offerDemo": true, "allowRememberPasword": true }');
    const broken = await startHost({ extraArgs: ['--policy', join(folder, 'broken.json')] });
    const page = await openWindow(browser, broken.ui);
    try {
      const warning = page.page.locator('.warning');
      await expectText(warning, '"allowRememberPasword" is not a policy setting');
      await expectText(warning, 'Until IT corrects it, passwords are not saved, the demo is off');
      await page.page.getByRole('heading', { name: 'Sign in to CIC' }).waitFor();
      expect(await page.page.getByRole('button', { name: 'Try the demo' }).count()).toBe(0);
      expect(await page.page.getByRole('checkbox', { name: /Remember me/ }).count()).toBe(0);
      expect(broken.output()).toContain('policy file not usable as written');
      await screenshots(page.page, '26-policy-invalid');
      expect(page.problems).toEqual([]);
    } finally {
      await page.context.close();
      await broken.stop();
    }
  });
});
