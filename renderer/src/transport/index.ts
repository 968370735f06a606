import type { CompanionApi } from '../../../preload/contract';
import { buildCompanionApi } from '../../../preload/contract/api';
import { commandNames } from '../../../preload/contract/names';
import { BridgeTransport, bridgeUrlFor } from './bridge';
import { alwaysOpen, type Link } from './link';

export type { Link, LinkStatus } from './link';

export interface Connection {
  api: CompanionApi;
  link: Link;
}

/** Electron's preload when it is there; otherwise the WebSocket bridge named by this page's `?token=`. */
export function pickTransport(win: Window & { companion?: CompanionApi }): Connection | null {
  if (win.companion) return { api: win.companion, link: alwaysOpen };
  const url = bridgeUrlFor(win.location);
  if (!url) return null;
  const bridge = new BridgeTransport(url);
  win.addEventListener('pagehide', () => bridge.close());
  return { api: buildCompanionApi(commandNames, bridge), link: bridge };
}
