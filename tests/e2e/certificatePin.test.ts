import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { PublicState, Settings } from '../../preload/contract';
import { startSimulator, type Simulator } from '../../sim/index';
import { buildRenderer, CONNECTED, expectText, launchChromium, openWindow, rpc, screenshots, startHost, type Host, type Window } from './harness';

/**
 * An agent's first sign-in to a CIC server with a self-signed certificate, in real Chromium against `npm run host`
 * (no demo, a fresh data dir) and a TLS simulator: refused with the fingerprint shown, trusted by pinning it, signed in,
 * then the pin removed again in Settings. Steps run in order and build on each other.
 */
describe('Pinning a CIC server certificate in a browser', () => {
  let sim: Simulator;
  let host: Host;
  let browser: Browser;
  let window: Window;
  let page: Page;
  /** `host:port`, as the companion keys pins. */
  let server: string;

  const state = () => rpc<PublicState>(host.bridge, 'state.get');
  const settings = () => rpc<Settings>(host.bridge, 'settings.get');
  const status = () => page.getByTestId('connection-status');

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, tls: true, quiet: true });
    server = new URL(sim.url).host;
    await buildRenderer();
    host = await startHost();
    browser = await launchChromium();
    window = await openWindow(browser, host.ui); // 380×560, the narrow window
    page = window.page;
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await sim?.close();
  });

  it('starts signed out, with no pins', async () => {
    expect(sim.url).toMatch(/^https:\/\//);
    expect(sim.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    await page.getByRole('heading', { name: 'Sign in to CIC' }).waitFor();
    expect((await state()).connection.status).not.toBe('connected');
    expect((await settings()).certificatePins).toEqual([]);
  });

  it('refuses the self-signed certificate and shows the agent its fingerprint', async () => {
    await page.getByLabel('Server').fill(sim.url);
    await page.getByLabel('User name').fill('agent1');
    await page.getByLabel('Password').fill('1234');
    await page.getByRole('button', { name: 'Sign in' }).click();

    const alert = page.getByRole('alert');
    await expectText(alert, "The server's certificate is not trusted");
    const fingerprint = alert.getByTestId('fingerprint');
    expect(await fingerprint.isVisible()).toBe(true);
    expect(await fingerprint.textContent()).toBe(sim.fingerprint256);
    await expectText(alert, server);
    const trust = alert.getByRole('button', { name: 'Trust this certificate and sign in' });
    await trust.waitFor();
    expect(await trust.isEnabled()).toBe(true);

    // Not signed in: the attempt failed on the certificate, nothing else.
    const { connection } = await state();
    expect(connection.status).toBe('failed');
    expect(connection.error).toMatchObject({ kind: 'untrustedCertificate', certificate: { host: server, fingerprint256: sim.fingerprint256 } });
    expect((await settings()).certificatePins).toEqual([]);
    await screenshots(page, '20-untrusted-certificate', alert);
  });

  it('trusts it by its pin and signs in', async () => {
    await page.getByRole('alert').getByRole('button', { name: 'Trust this certificate and sign in' }).click();
    await expectText(status(), CONNECTED);
    await expectText(page.getByRole('group', { name: 'Connection' }), 'Agent One');
    expect((await state()).connection).toMatchObject({ status: 'connected', userId: 'agent1', server: sim.url });
    expect((await settings()).certificatePins).toEqual([expect.objectContaining({ host: server, fingerprint256: sim.fingerprint256 })]);
  });

  it('lists the pin in Settings', async () => {
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).waitFor();
    const pins = page.getByRole('list', { name: 'Pinned certificates' });
    const pin = pins.getByRole('listitem').filter({ hasText: server });
    await expectText(pin, sim.fingerprint256!);
    expect(await pins.getByRole('listitem').count()).toBe(1);
    await pin.getByRole('button', { name: `Remove the pin for ${server}` }).waitFor();
    await screenshots(page, '21-certificate-pins', pins);
  });

  it('removes the pin', async () => {
    const panel = page.getByRole('region', { name: 'Settings', exact: true });
    await panel.getByRole('button', { name: `Remove the pin for ${server}` }).click();
    await panel.getByText(`No longer trusting the pinned certificate of ${server}.`).waitFor();
    await panel.getByText('No pinned certificates.').waitFor();
    await page.getByRole('list', { name: 'Pinned certificates' }).waitFor({ state: 'detached' });
    expect((await settings()).certificatePins).toEqual([]);
  });

  it('ran with no console errors and no Content-Security-Policy violations', () => {
    expect(window.problems).toEqual([]);
  });
});
