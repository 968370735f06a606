import type { CompanionError } from './errors';
import { noPolicy, type PolicyState } from './policyState';
import type { LastStation } from './settings';

/** What the agent's session with CIC is doing right now. */
export type ConnectionStatus = 'signedOut' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface ConnectionState {
  status: ConnectionStatus;
  server?: string;
  userId?: string;
  displayName?: string;
  /** How messages arrive: Server-Sent Events (messaging >= 2) or short polling. */
  messaging?: 'sse' | 'poll';
  /** True when signed in to the built-in simulator ("Try the demo"). */
  demo?: boolean;
  /** Why the connection failed, or why it is reconnecting. */
  error?: CompanionError;
  /** When reconnecting: epoch milliseconds of the next attempt. */
  nextAttemptAt?: number;
  /** Whether the password is in the OS keychain; when it could not be saved, `passwordNotSavedReason` says why. */
  passwordSaved?: boolean;
  passwordNotSavedReason?: string;
  /** The station this user last logged in to on this server (the `lastStations` setting), offered at the next logon. */
  lastStation?: LastStation;
}

export type StationKind = 'none' | 'workstation' | 'remoteWorkstation' | 'remoteNumber';

export type MediaType =
  | 'none'
  | 'call'
  | 'chat'
  | 'email'
  | 'generic'
  | 'callback'
  | 'smsMessage'
  | 'workItem'
  | 'directMessage'
  | 'socialConversation';

/** The station the agent is logged into. Deliberately has no SIP credentials: they never leave the main side. */
export interface StationState {
  id: string;
  extension: string;
  kind: StationKind;
  mediaTypes: MediaType[];
  remoteNumber?: string;
  canBeDialed?: boolean;
  ringAlways?: boolean;
}

export interface VoicemailMessage {
  id: string;
  from: string;
  subject: string;
  /** ISO-8601 (UTC) as the renderer can parse it, converted from CIC's compact form. */
  received: string;
  read: boolean;
}

export interface VoicemailState {
  messages: VoicemailMessage[];
  /** Id of the voicemail playing on the phone, if any. */
  playing: string | null;
  /** The message-waiting count CIC reports; null until CIC has said (never a guessed 0). */
  waiting: number | null;
  /** Older messages left out of `messages` because the mailbox is larger than the companion keeps (`MAILBOX_LIMIT`). */
  notShown: number;
}

/** The most voicemails the companion keeps: a larger mailbox shows its newest and says how many are not shown. */
export const MAILBOX_LIMIT = 20_000;

/**
 * The follow-me prompt's progress. Recording happens over the phone; nothing is kept until commit.
 * idle: nothing pending. recording: the phone rings and records; next preview, commit or cancel.
 * previewing: the phone plays the new recording back. committed: saved on the server.
 */
export type FollowMeStatus = 'idle' | 'recording' | 'previewing' | 'committed';

export interface FollowMeState {
  status: FollowMeStatus;
}

export type DialerCallState = 'alerting' | 'connected' | 'held' | 'disconnected' | 'unknown';

/**
 * The call's contact as Dialer has it: every contact-list column by name (what `dialer/request-contact-data` returns, or
 * the call's `IS_ATTR_<COLUMN>` attributes when CIC will not answer that request for this session).
 * loading: asked, no answer yet. loaded: `columns` is what CIC holds. unavailable: CIC gave none; `reason` says why.
 */
export type ContactData =
  | { status: 'loading'; columns: Record<string, string> }
  | { status: 'loaded'; columns: Record<string, string> }
  | { status: 'unavailable'; columns: Record<string, string>; reason: string };

export interface DialerCall {
  callId: string;
  campaignId: string;
  /** The campaign's name where CIC provides it (the call's `IS_Attr_CampaignName`). */
  campaignName?: string;
  remoteName?: string;
  remoteAddress?: string;
  state: DialerCallState;
  /** Flagged for a finishing agent (by this companion during this call): the flag cannot be set twice. */
  markedForFinishing?: boolean;
  contactData?: ContactData;
}

export interface DialerState {
  /** The agent's active Dialer call (connected or held, with a campaign), which the dialer actions default to. */
  call: DialerCall | null;
  /**
   * Set once CIC refused a Dialer request for want of a licence or right: one sentence for the agent, in place of
   * editors that would fail. Absent while Dialer actions are (as far as the companion knows) available.
   */
  unavailable?: string;
}

export type HotkeyAction = 'stopPlayback' | 'recordFollowMe';

export interface HotkeyStatus {
  accelerator: string | null;
  registered: boolean;
  /** Why the hotkey is not active, e.g. taken by another application. */
  error?: string;
  /**
   * Set where the app cannot register global hotkeys itself (a Wayland session): the command to bind to these keys in
   * the desktop's own keyboard settings instead (e.g. `icws-companion --stop-playback`); `error` says why.
   */
  desktopShortcut?: string;
}

export interface PublicState {
  connection: ConnectionState;
  station: StationState | null;
  /**
   * Why CIC itself took the station away (e.g. "Your connection has been dropped due to a subsequent logon to a
   * different station."); null once the agent logs in to a station again.
   */
  stationDropReason: string | null;
  voicemail: VoicemailState;
  followMe: FollowMeState;
  dialer: DialerState;
  /** ICWS feature versions the server reported, by feature id (e.g. `dialer: 7`). */
  features: Record<string, number>;
  hotkeys: Record<HotkeyAction, HotkeyStatus>;
  /** Problems the agent should know about that are not errors of an action (e.g. settings file was unreadable). */
  warnings: string[];
  /** What the machine-wide policy fixes, so the window shows it locked and says why. */
  policy: PolicyState;
}

export function initialState(): PublicState {
  return {
    connection: { status: 'signedOut' },
    station: null,
    stationDropReason: null,
    voicemail: { messages: [], playing: null, waiting: null, notShown: 0 },
    followMe: { status: 'idle' },
    dialer: { call: null },
    features: {},
    hotkeys: {
      stopPlayback: { accelerator: null, registered: false },
      recordFollowMe: { accelerator: null, registered: false },
    },
    warnings: [],
    policy: noPolicy(),
  };
}
