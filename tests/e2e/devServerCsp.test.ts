import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type InlineConfig, type ViteDevServer } from 'vite';
import type { Browser } from 'playwright-core';
import electronViteConfig from '../../electron.vite.config';
import { CONTENT_SECURITY_POLICY, DEV_SERVER_CONTENT_SECURITY_POLICY } from '../../main/bridge/contentSecurityPolicy';
import { launchChromium, openWindow, repo } from './harness';

/**
 * `npm run dev` serves the window from Vite's dev server, which injects each module's CSS as a `<style>` element. The
 * page carries no `<meta>` policy: the policy is the header of whatever serves it, here the dev server's, from the same
 * source as the app protocol's and the host's. The window is opened in Chromium from the renderer config electron-vite
 * uses, and must come up styled, without a CSP violation; the shipped policy on the same server shows what it prevents.
 */
describe('the window under the dev server (npm run dev)', () => {
  const renderer = (electronViteConfig as { renderer: InlineConfig }).renderer;
  let browser: Browser;
  const servers: ViteDevServer[] = [];

  const serve = async (policy?: string): Promise<string> => {
    const server = await createServer({
      ...renderer,
      configFile: false,
      logLevel: 'silent',
      server: {
        ...renderer.server,
        host: '127.0.0.1',
        port: 0,
        hmr: false,
        ...(policy ? { headers: { ...renderer.server?.headers, 'Content-Security-Policy': policy } } : {}),
      },
    });
    servers.push(server);
    await server.listen();
    return server.resolvedUrls!.local[0]!;
  };

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await Promise.all(servers.map((server) => server.close()));
  });

  it('has no <meta> policy in the page: the header is the one source', async () => {
    const html = await readFile(join(repo, 'renderer/index.html'), 'utf8');
    expect(html).not.toMatch(/http-equiv\s*=\s*["']?content-security-policy/i);
    expect(renderer.server?.headers).toMatchObject({ 'Content-Security-Policy': DEV_SERVER_CONTENT_SECURITY_POLICY });
    // The dev policy is the shipped one, plus inline styles and the hot-reload socket on loopback.
    expect(DEV_SERVER_CONTENT_SECURITY_POLICY.replace(" 'unsafe-inline'", '').replace(' ws://localhost:* ws://127.0.0.1:*', '')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('comes up styled, with no CSP violation', async () => {
    const url = await serve();
    const response = await fetch(url);
    expect(response.headers.get('content-security-policy')).toBe(DEV_SERVER_CONTENT_SECURITY_POLICY);
    const window = await openWindow(browser, url);
    await window.page.waitForFunction(() => document.querySelectorAll('style').length > 0, undefined, { timeout: 60_000 });
    const background = await window.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toBe('rgba(0, 0, 0, 0)');
    expect(window.problems.filter((problem) => /Content Security Policy/i.test(problem))).toEqual([]);
    await window.context.close();
  });

  it('would be unstyled under the shipped policy (what a <meta> policy did to `npm run dev`)', async () => {
    const url = await serve(CONTENT_SECURITY_POLICY);
    const window = await openWindow(browser, url);
    await window.page.waitForFunction(() => document.querySelectorAll('style').length > 0, undefined, { timeout: 60_000 });
    const background = await window.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgba(0, 0, 0, 0)');
    expect(window.problems.some((problem) => /style-src/.test(problem))).toBe(true);
    await window.context.close();
  });
});
