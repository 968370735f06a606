import type { Settings } from '../../preload/contract';
import type { Logger } from '../common/log';
import type { EventTarget } from './ipc';
import { secureWebPreferences, type HardenableWebContents, type PreventableEvent } from './security';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}
export type WindowBounds = NonNullable<Settings['window']>;

/** Fits beside the agent's main client; the window never gets smaller than 380×560. */
export const MIN_WIDTH = 380;
export const MIN_HEIGHT = 560;
const DEFAULT_WIDTH = 400;
const DEFAULT_HEIGHT = 640;
const BOUNDS_SAVE_DELAY_MS = 750;

interface WindowWebContents extends HardenableWebContents, EventTarget {
  id: number;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: PreventableEvent, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'render-process-gone', listener: (event: unknown, details: { reason: string; exitCode: number }) => void): unknown;
  reload(): void;
}

/** A renderer that crashes again and again is reloaded at most this often in a minute; then the window stays blank. */
export const MAX_RELOADS_PER_MINUTE = 3;

/** The parts of Electron's `BrowserWindow` the shell uses. */
interface BrowserWindowLike {
  readonly webContents: WindowWebContents;
  loadURL(url: string): Promise<void>;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  isMinimized(): boolean;
  isVisible(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rect;
  on(event: 'close', listener: (event: PreventableEvent) => void): unknown;
  on(event: 'resize' | 'move' | 'closed', listener: () => void): unknown;
  /** Windows: log-off, restart or shutdown; neither `before-quit` nor `will-quit` follows. */
  on(event: 'session-end', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

export type BrowserWindowOptions = ReturnType<typeof windowOptions>;
export type BrowserWindowConstructor = new (options: BrowserWindowOptions) => BrowserWindowLike;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

function windowOptions(input: { preload: string; bounds: Rect | null; icon?: string; devTools?: boolean }) {
  const bounds = input.bounds ?? { width: DEFAULT_WIDTH, height: DEFAULT_HEIGHT };
  return {
    title: 'ICWS Companion',
    ...bounds,
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    autoHideMenuBar: true,
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: secureWebPreferences(input.preload, input.devTools ?? false),
  };
}

/**
 * Saved bounds are used only when at least a 100×50 piece of the title area is on a display that exists now (the agent
 * may have undocked); otherwise the window opens at the default size, centred by the OS.
 */
export function restorableBounds(saved: WindowBounds | null, displays: readonly Rect[]): Rect | null {
  if (!saved) return null;
  const width = Math.max(saved.width, MIN_WIDTH);
  const height = Math.max(saved.height, MIN_HEIGHT);
  const visible = displays.some((area) => {
    const overlapX = Math.min(saved.x + width, area.x + area.width) - Math.max(saved.x, area.x);
    const overlapY = Math.min(saved.y + 50, area.y + area.height) - Math.max(saved.y, area.y);
    return overlapX >= 100 && overlapY >= 50;
  });
  return visible ? { x: saved.x, y: saved.y, width, height } : null;
}

export interface MainWindowOptions {
  BrowserWindow: BrowserWindowConstructor;
  preload: string;
  url: string;
  savedBounds: WindowBounds | null;
  displays: () => readonly Rect[];
  /** Hidden start: `--hidden` or `settings.startHidden`; the window is created but only the tray shows. */
  startHidden: boolean;
  /** True once the app is quitting: then close really closes; otherwise it hides to the tray. */
  isQuitting: () => boolean;
  saveBounds: (bounds: WindowBounds) => void;
  /** Called for every webContents the window owns, before anything loads (navigation, open and webview guards). */
  harden: (contents: WindowWebContents) => void;
  /** Windows ends the session (log-off, shutdown): the app must save what it can now, it gets no quit events. */
  onSessionEnd?: () => void;
  log: Logger;
  icon?: string;
  devTools?: boolean;
  timers?: Timers;
  now?: () => number;
}

export interface MainWindow {
  readonly window: BrowserWindowLike;
  readonly webContents: WindowWebContents;
  show(): void;
  hide(): void;
  isVisible(): boolean;
  /** Writes pending bounds now (on quit). */
  flushBounds(): void;
}

export function createMainWindow(options: MainWindowOptions): MainWindow {
  const timers = options.timers ?? { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  const bounds = restorableBounds(options.savedBounds, options.displays());
  const window = new options.BrowserWindow(
    windowOptions({
      preload: options.preload,
      bounds,
      ...(options.icon ? { icon: options.icon } : {}),
      ...(options.devTools ? { devTools: true } : {}),
    }),
  );
  options.harden(window.webContents);

  let pending: unknown = null;
  const save = () => {
    pending = null;
    if (window.isDestroyed()) return;
    const { x, y, width, height } = window.getNormalBounds();
    options.saveBounds({ x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) });
  };
  const scheduleSave = () => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = timers.setTimeout(save, BOUNDS_SAVE_DELAY_MS);
  };
  const flushBounds = () => {
    if (pending === null) return;
    timers.clearTimeout(pending);
    save();
  };
  window.on('resize', scheduleSave);
  window.on('move', scheduleSave);

  window.on('close', (event) => {
    flushBounds();
    if (options.isQuitting()) return;
    event.preventDefault();
    window.hide();
  });
  window.once('ready-to-show', () => {
    if (!options.startHidden) window.show();
  });
  window.on('session-end', () => {
    flushBounds();
    options.onSessionEnd?.();
  });

  // A crashed or killed renderer leaves a blank window in the tray app nobody restarts: load the UI again, unless it
  // keeps crashing (then reloading would only spin).
  const now = options.now ?? Date.now;
  const reloads: number[] = [];
  window.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || window.isDestroyed()) return;
    const at = now();
    while (reloads.length > 0 && reloads[0]! < at - 60_000) reloads.shift();
    if (reloads.length >= MAX_RELOADS_PER_MINUTE) {
      options.log.error('the window keeps crashing; not reloading it again', { reason: details.reason, exitCode: details.exitCode });
      return;
    }
    reloads.push(at);
    options.log.warn('the window crashed; reloading it', { reason: details.reason, exitCode: details.exitCode });
    window.webContents.reload();
  });

  window.loadURL(options.url).catch((error: unknown) => options.log.error('the window could not load the UI', { error }));

  return {
    window,
    webContents: window.webContents,
    show: () => {
      if (window.isDestroyed()) return;
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    },
    hide: () => {
      if (!window.isDestroyed()) window.hide();
    },
    isVisible: () => !window.isDestroyed() && window.isVisible(),
    flushBounds,
  };
}
