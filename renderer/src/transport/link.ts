/**
 * Whether the renderer can reach the companion right now. The Electron preload is always reachable; the bridge comes and
 * goes with its WebSocket. The store only sees this interface, never which transport is behind it.
 */
export type LinkStatus =
  | { state: 'open' }
  | { state: 'connecting'; attempt: number }
  | { state: 'waiting'; attempt: number; nextAttemptAt: number };

export interface Link {
  readonly status: LinkStatus;
  /** Called with every change; `open` after a drop means events may have been missed: re-read the state. */
  onStatus(listener: (status: LinkStatus) => void): () => void;
}

export const alwaysOpen: Link = {
  status: { state: 'open' },
  onStatus: () => () => {},
};
