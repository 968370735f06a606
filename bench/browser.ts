/**
 * Chromium for the UI benchmarks: Debian's Chromium driven by playwright-core, pages opened on a host's UI URL, and an
 * in-page probe that timestamps when the DOM first shows an expected change (MutationObserver), the next animation
 * frame, and a task queued from that frame (which runs after the frame was painted).
 *
 * Node and the page use different clocks; both are compared on the Unix-time axis (`performance.timeOrigin + now()`),
 * with the page's offset measured by round trips (the one with the shortest round trip wins; its half is the error bound).
 * The page code is kept as strings: the bench is compiled without the DOM library.
 */
import { performance } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../tests/chromium';

/** Debian's Chromium, as the end-to-end tests launch it. */
export const launchBrowser = launchChromium;

/** Now, in Unix milliseconds with sub-millisecond resolution, on Node's clock. */
export const nodeEpoch = (): number => performance.timeOrigin + performance.now();

export type ProbeKind = 'station' | 'playStatus' | 'mailbox';

export interface ProbeReport {
  kind: ProbeKind;
  expected: string | null;
  /** Page clock (Unix ms): the DOM first showed the change. */
  domAt: number;
  /** The animation frame after that. */
  frameAt: number;
  /** A task queued from that frame: the frame has been painted. */
  paintedAt: number;
  /** For the mailbox: the list's scroll height and viewport height then. */
  scrollHeight?: number;
  clientHeight?: number;
  /** Rows in the DOM then (the list is virtualised). */
  rows?: number;
}

const PROBE = String.raw`(() => {
  if (window.__bench) return;
  const now = () => performance.timeOrigin + performance.now();
  const text = (selector) => { const el = document.querySelector(selector); return el ? el.textContent.trim() : null; };
  const shows = {
    station: (expected) => text('.extension') === expected,
    playStatus: (expected) => (expected === null) === (document.querySelector('.now-playing') === null),
    mailbox: (expected) => {
      const [first, count] = expected.split('|');
      const row = document.querySelector('li.message');
      return row !== null && row.getAttribute('aria-setsize') === count && text('li.message .from') === first;
    },
  };
  const bench = (window.__bench = { pending: null });
  bench.expect = (kind, expected) => { bench.pending = { kind, expected, done: false }; };
  const check = () => {
    const pending = bench.pending;
    if (!pending || pending.done || !shows[pending.kind](pending.expected)) return;
    pending.done = true;
    const domAt = now();
    requestAnimationFrame(() => {
      const frameAt = now();
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const paintedAt = now();
        const viewport = document.querySelector('.viewport');
        const report = { kind: pending.kind, expected: pending.expected, domAt, frameAt, paintedAt };
        if (pending.kind === 'mailbox' && viewport) {
          report.scrollHeight = viewport.scrollHeight;
          report.clientHeight = viewport.clientHeight;
          report.rows = document.querySelectorAll('li.message').length;
        }
        window.__benchReport(JSON.stringify(report));
      };
      channel.port2.postMessage(0);
    });
  };
  new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, characterData: true, attributes: true });
})()`;

/**
 * A page on a host's UI with the probe installed. `expect()` arms the probe for one change; the returned promise resolves
 * with the page's report once the change is in the DOM and painted.
 */
export class ProbedPage {
  private waiting: { resolve: (report: ProbeReport) => void; reject: (error: Error) => void; timer: NodeJS.Timeout } | null = null;
  /** Page clock minus Node clock (Unix ms), and the round trip it was measured with. */
  offsetMs = 0;
  offsetRttMs = Number.POSITIVE_INFINITY;

  private constructor(readonly page: Page) {}

  static async open(browser: Browser, uiUrl: string, readySelector: string): Promise<ProbedPage> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const probed = new ProbedPage(page);
    await page.exposeFunction('__benchReport', (json: string) => probed.onReport(JSON.parse(json) as ProbeReport));
    await page.goto(uiUrl);
    await page.waitForSelector(readySelector, { timeout: 20_000 });
    await page.evaluate(PROBE);
    await probed.calibrate();
    return probed;
  }

  /** Arms the probe; call before injecting the change. */
  async expect(kind: ProbeKind, expected: string | null, timeoutMs = 20_000): Promise<{ shown: Promise<ProbeReport> }> {
    if (this.waiting) throw new Error('the probe is already waiting');
    await this.page.evaluate(`window.__bench.expect(${JSON.stringify(kind)}, ${JSON.stringify(expected)})`);
    const shown = new Promise<ProbeReport>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`the page did not show ${kind} = ${String(expected)} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiting = { resolve, reject, timer };
    });
    return { shown };
  }

  /** A page time (Unix ms, page clock) on Node's clock. */
  toNode(pageTime: number): number {
    return pageTime - this.offsetMs;
  }

  /** Measures the clock offset with `rounds` round trips and keeps the best (shortest) one seen so far. */
  async calibrate(rounds = 40): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      const before = nodeEpoch();
      const pageNow = await this.page.evaluate('performance.timeOrigin + performance.now()');
      const after = nodeEpoch();
      const rtt = after - before;
      if (typeof pageNow === 'number' && rtt < this.offsetRttMs) {
        this.offsetRttMs = rtt;
        this.offsetMs = pageNow - (before + after) / 2;
      }
    }
  }

  visibility(): Promise<unknown> {
    return this.page.evaluate('document.visibilityState');
  }

  close(): Promise<void> {
    return this.page.close();
  }

  private onReport(report: ProbeReport): void {
    const waiting = this.waiting;
    if (!waiting) return;
    this.waiting = null;
    clearTimeout(waiting.timer);
    waiting.resolve(report);
  }
}
