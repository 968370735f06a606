import { ACTION_NAMES, type AgentAction, type PublicState } from '../../preload/contract';

/**
 * The tray: the companion's main surface. Rendered from the public state (Signal's SystemTrayService model): a pure view
 * (`trayView`) decides icon, tooltip and menu; the service applies it to an injected tray and rebuilds only what changed.
 * "Show window" is always in the menu because tray clicks are unreliable on Linux.
 */
export type TrayIconState = 'signedOut' | 'connecting' | 'connected' | 'station' | 'voicemail';
export const TRAY_ICON_STATES: readonly TrayIconState[] = ['signedOut', 'connecting', 'connected', 'station', 'voicemail'];

export interface TrayView {
  icon: TrayIconState;
  tooltip: string;
  status: string;
  canRecordFollowMe: boolean;
  canStopPlayback: boolean;
  canMarkForFinishing: boolean;
  canSignOut: boolean;
}

const TOOLTIP_LIMIT = 127; // Windows truncates longer tooltips.

function who(state: PublicState): string {
  const { displayName, userId } = state.connection;
  return displayName && userId && displayName !== userId ? `${displayName} (${userId})` : (displayName ?? userId ?? 'agent');
}

function stationName(state: PublicState): string {
  const station = state.station!;
  if (station.kind === 'remoteNumber') return `remote number ${station.remoteNumber ?? station.extension}`;
  return station.id === station.extension || !station.extension ? `station ${station.id}` : `station ${station.id} (ext. ${station.extension})`;
}

export function trayView(state: PublicState): TrayView {
  const { status } = state.connection;
  const connected = status === 'connected';
  const demo = state.connection.demo ? ' (demo)' : '';
  let icon: TrayIconState;
  let line: string;
  switch (status) {
    case 'signedOut':
      icon = 'signedOut';
      line = 'Signed out';
      break;
    case 'failed':
      icon = 'signedOut';
      line = state.connection.error ? `Not connected: ${state.connection.error.message}` : 'Not connected';
      break;
    case 'connecting':
      icon = 'connecting';
      line = `Connecting as ${who(state)}${demo}…`;
      break;
    case 'reconnecting':
      icon = 'connecting';
      line = `Connection lost; reconnecting as ${who(state)}${demo}…`;
      break;
    case 'connected':
      if (!state.station) {
        icon = 'connected';
        line = `${who(state)}${demo}: connected, no station`;
      } else if (state.voicemail.playing) {
        icon = 'voicemail';
        line = `${who(state)}${demo} on ${stationName(state)}: voicemail playing`;
      } else {
        icon = 'station';
        line = `${who(state)}${demo} on ${stationName(state)}`;
      }
      break;
  }
  const tooltip = `ICWS Companion: ${line}`;
  return {
    icon,
    tooltip: tooltip.length > TOOLTIP_LIMIT ? `${tooltip.slice(0, TOOLTIP_LIMIT - 1)}…` : tooltip,
    status: line,
    canRecordFollowMe: connected && state.station !== null && state.followMe.status !== 'recording',
    canStopPlayback: connected && state.voicemail.playing !== null,
    // A call is marked once, and not at all without Dialer: the item goes grey as the window's button goes.
    canMarkForFinishing: connected && state.dialer.call !== null && state.dialer.call.markedForFinishing !== true && !state.dialer.unavailable,
    canSignOut: status !== 'signedOut',
  };
}

/** The agent's actions (the contract's `AgentAction`), and the tray's own. */
export type TrayActions = Record<AgentAction, () => void> & {
  showWindow(): void;
  quit(): void;
};

/** Electron's MenuItemConstructorOptions, as far as the tray uses it. */
export interface MenuItemTemplate {
  id?: string;
  label?: string;
  type?: 'normal' | 'separator';
  enabled?: boolean;
  accelerator?: string;
  registerAccelerator?: boolean;
  click?: () => void;
}

function trayMenuTemplate(view: TrayView, actions: TrayActions, hotkeys: PublicState['hotkeys']): MenuItemTemplate[] {
  // Shown beside the item for the agent to learn; not registered by the menu (the global shortcut does that).
  const hint = (accelerator: string | null, registered: boolean) =>
    accelerator && registered ? { accelerator, registerAccelerator: false } : {};
  return [
    { id: 'status', label: view.status, enabled: false },
    { type: 'separator' },
    {
      id: 'recordFollowMe',
      label: ACTION_NAMES.recordFollowMe.label,
      enabled: view.canRecordFollowMe,
      click: actions.recordFollowMe,
      ...hint(hotkeys.recordFollowMe.accelerator, hotkeys.recordFollowMe.registered),
    },
    {
      id: 'stopPlayback',
      label: ACTION_NAMES.stopPlayback.label,
      enabled: view.canStopPlayback,
      click: actions.stopPlayback,
      ...hint(hotkeys.stopPlayback.accelerator, hotkeys.stopPlayback.registered),
    },
    { id: 'markForFinishing', label: ACTION_NAMES.markForFinishing.label, enabled: view.canMarkForFinishing, click: actions.markForFinishing },
    { type: 'separator' },
    { id: 'showWindow', label: 'Show window', click: actions.showWindow },
    { id: 'signOut', label: ACTION_NAMES.signOut.label, enabled: view.canSignOut, click: actions.signOut },
    { type: 'separator' },
    { id: 'quit', label: 'Quit ICWS Companion', click: actions.quit },
  ];
}

/** The parts of Electron's `Tray` the service uses. */
export interface TrayLike<Image, Menu> {
  setImage(image: Image): void;
  setToolTip(text: string): void;
  setContextMenu(menu: Menu | null): void;
  on(event: 'click' | 'double-click', listener: () => void): unknown;
  destroy(): void;
  isDestroyed(): boolean;
}

export interface TrayServiceOptions<Image, Menu> {
  createTrayInstance: (image: Image) => TrayLike<Image, Menu>;
  buildMenu: (template: MenuItemTemplate[]) => Menu;
  icon: (state: TrayIconState) => Image;
  actions: TrayActions;
  platform: string;
}

export class TrayService<Image, Menu> {
  private tray: TrayLike<Image, Menu> | null = null;
  private shownIcon: TrayIconState | null = null;
  private shownTooltip: string | null = null;
  private shownMenuKey: string | null = null;

  constructor(private readonly options: TrayServiceOptions<Image, Menu>) {}

  /** Creates the tray on first call; afterwards updates icon, tooltip and menu, each only when it changed. */
  render(state: PublicState): void {
    const view = trayView(state);
    if (!this.tray || this.tray.isDestroyed()) {
      this.tray = this.options.createTrayInstance(this.options.icon(view.icon));
      this.shownIcon = view.icon;
      this.shownTooltip = this.shownMenuKey = null;
      // On macOS a click opens the menu; elsewhere a click shows the window (where the desktop delivers clicks at all).
      if (this.options.platform !== 'darwin') this.tray.on('click', this.options.actions.showWindow);
    }
    if (view.icon !== this.shownIcon) {
      this.tray.setImage(this.options.icon(view.icon));
      this.shownIcon = view.icon;
    }
    if (view.tooltip !== this.shownTooltip) {
      this.tray.setToolTip(view.tooltip);
      this.shownTooltip = view.tooltip;
    }
    const menuKey = JSON.stringify([view, state.hotkeys.recordFollowMe, state.hotkeys.stopPlayback]);
    if (menuKey !== this.shownMenuKey) {
      this.tray.setContextMenu(this.options.buildMenu(trayMenuTemplate(view, this.options.actions, state.hotkeys)));
      this.shownMenuKey = menuKey;
    }
  }

  destroy(): void {
    if (this.tray && !this.tray.isDestroyed()) this.tray.destroy();
    this.tray = null;
  }
}
