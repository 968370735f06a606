/** The policy as the window sees it (no schema here: the renderer bundles this file). */
/** Settings the administrator can fix, as the window names them. */
export type ManagedSetting =
  | 'server'
  | 'rememberPassword'
  | 'demo'
  | 'hotkeys.stopPlayback'
  | 'hotkeys.recordFollowMe'
  | 'notifications.station'
  | 'notifications.session'
  | 'notifications.voicemail'
  | 'notifications.actionFailures'
  | 'startAtLogin'
  | 'localBridge'
  | 'certificatePins'
  | 'logLevel';

/** What the window needs to show managed settings locked; part of the public state. */
export interface PolicyState {
  /** The policy file read at start, or null when the computer has none. */
  file: string | null;
  /** Why the file could not be used as written; the strictest reading is then in force. */
  problem: string | null;
  /** The administrator's note (`reason`), shown beside locked settings. */
  reason: string | null;
  /** Each setting the administrator fixed, with the short sentence the window shows beside it. */
  managed: Partial<Record<ManagedSetting, string>>;
  /** The CIC servers IT set up (empty: none); `serverLocked` when the agent may use no other. */
  servers: string[];
  serverLocked: boolean;
  rememberPasswordAllowed: boolean;
  demoOffered: boolean;
  /** Whether the agent may trust a certificate themselves; pins IT provides are in `settings.certificatePins` too. */
  agentMayPin: boolean;
  /** Hosts whose pins IT provides (they cannot be removed here). */
  pinnedHosts: string[];
}

export function noPolicy(): PolicyState {
  return {
    file: null,
    problem: null,
    reason: null,
    managed: {},
    servers: [],
    serverLocked: false,
    rememberPasswordAllowed: true,
    demoOffered: true,
    agentMayPin: true,
    pinnedHosts: [],
  };
}
