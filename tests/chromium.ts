import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`), driven by playwright-core, for the end-to-end tests and the UI
 * benchmarks; `COMPANION_CHROMIUM` names another Chromium-based browser (the desktop workflow's Chrome on Windows and
 * macOS). No browser is downloaded; background networking is off because this machine reaches no outside host.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.COMPANION_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
