// The simulated server's world: sessions, stations, mailboxes, prompts, Dialer calls and play status. Domain rules
// live in sim/domain/*; this file only holds the data, builds it from the scenario and fans messages out.
import type { MailboxEntry, Scenario, ScenarioUser, ScenarioWorkstation } from './scenario';
import type { Session } from './sessions';
import { SessionStore } from './sessions';

export type StationSetting = 0 | 1 | 2 | 3;

/** stationInformation as the wire carries it (sipPassword included: real servers send it). */
export interface StationInfo {
  id: string;
  extension: string;
  stationSetting: StationSetting;
  allowedMediaTypes?: number[];
  canBeDialed?: boolean;
  ringAlways?: boolean;
  sipAddress?: string;
  sipUser?: string;
  sipPassword?: string;
  remoteNumber?: string;
  managedIPPhone?: string;
  emergencyResponderLocationID?: string;
}

export interface StationRecord {
  sessionId: string;
  userId: string;
  /** The configured workstation behind the logon, null for a remote-number station. */
  workstationId: string | null;
  persistentConnection: boolean;
  readyForInteractions: boolean;
  loggedOnAt: string;
  info: StationInfo;
}

export type CallState = 'A' | 'C' | 'H' | 'I' | 'E';

export interface DialerCall {
  callId: string;
  userId: string;
  campaignId: string;
  /** The campaign's name from the scenario, carried as the call's IS_Attr_CampaignName. */
  campaignName?: string;
  state: CallState;
  remoteName: string;
  remoteAddress: string;
  direction: 'I' | 'O';
  /** Further interaction attributes, names as configured (lookups are case-insensitive). */
  attributes: Record<string, string>;
  /** Everything update-call-data has written, merged in order. */
  callData: Record<string, string>;
  markedForFinishing: { at: string; callAttributes: Record<string, string> } | null;
}

export interface PlayStatus {
  unifiedMessageId: string;
  playStatus: 0 | 1;
  /** 'station' for the current station, otherwise the number played to. */
  target: string;
  changedAt: string;
}

export interface PromptState {
  pending: 'recorded' | null;
  saved: { committedAt: string } | null;
  lastAction: string | null;
}

export class World {
  readonly sessions = new SessionStore();
  readonly stations = new Map<string, StationRecord>();
  readonly mailboxes = new Map<string, MailboxEntry[]>();
  readonly prompts = new Map<string, Map<string, PromptState>>();
  readonly calls = new Map<string, DialerCall>();
  readonly playStatus = new Map<string, PlayStatus>();
  /** Playbacks in progress end on their own; one timer per playback, keyed by user. */
  readonly playbackTimers = new Map<string, NodeJS.Timeout>();
  accepting = true;
  notAcceptingHosts: string[] = [];
  private nextVoicemailNumber = 1;

  constructor(public scenario: Scenario) {
    this.load();
  }

  /** Back to the scenario: every session is closed, every change forgotten. */
  reset(): void {
    for (const session of this.sessions.all()) this.sessions.delete(session.id);
    this.stations.clear();
    this.mailboxes.clear();
    this.prompts.clear();
    this.calls.clear();
    this.playStatus.clear();
    for (const timer of this.playbackTimers.values()) clearTimeout(timer);
    this.playbackTimers.clear();
    this.accepting = true;
    this.notAcceptingHosts = [];
    this.load();
  }

  close(): void {
    for (const timer of this.playbackTimers.values()) clearTimeout(timer);
    this.playbackTimers.clear();
    for (const session of this.sessions.all()) this.sessions.delete(session.id);
  }

  private load(): void {
    for (const user of this.scenario.users) this.mailboxes.set(user.userId, []);
    for (const [userId, entries] of Object.entries(this.scenario.mailboxes)) {
      this.mailboxes.set(userId, entries.map((entry) => ({ ...entry })));
    }
  }

  user(userId: string): ScenarioUser | undefined {
    return this.scenario.users.find((user) => user.userId === userId);
  }

  workstation(id: string): ScenarioWorkstation | undefined {
    return this.scenario.workstations.find((ws) => ws.id === id);
  }

  featureVersion(featureId: string): number {
    return this.scenario.features[featureId] ?? 0;
  }

  mailbox(userId: string): MailboxEntry[] {
    let mailbox = this.mailboxes.get(userId);
    if (!mailbox) {
      mailbox = [];
      this.mailboxes.set(userId, mailbox);
    }
    return mailbox;
  }

  private nextFloodNumber = 1;

  newVoicemailId(userId: string): string {
    const existing = new Set(this.mailbox(userId).map((entry) => entry.unifiedMessageId));
    let id: string;
    do id = `vm-${userId}-n${String(this.nextVoicemailNumber++).padStart(6, '0')}`;
    while (existing.has(id));
    return id;
  }

  /** Ids of flooded voicemails: a series of their own (`vm-<user>-f000001`), so a flood never searches the mailbox. */
  floodVoicemailId(userId: string): string {
    return `vm-${userId}-f${String(this.nextFloodNumber++).padStart(7, '0')}`;
  }

  prompt(userId: string, promptType: string): PromptState {
    let byType = this.prompts.get(userId);
    if (!byType) {
      byType = new Map();
      this.prompts.set(userId, byType);
    }
    let state = byType.get(promptType);
    if (!state) {
      state = { pending: null, saved: null, lastAction: null };
      byType.set(promptType, state);
    }
    return state;
  }

  stationOfSession(sessionId: string): StationRecord | undefined {
    return this.stations.get(sessionId);
  }

  /** The user's current station, if any (there is at most one per user). */
  stationOfUser(userId: string): StationRecord | undefined {
    for (const record of this.stations.values()) if (record.userId === userId) return record;
    return undefined;
  }

  callsOfUser(userId: string): DialerCall[] {
    return [...this.calls.values()].filter((call) => call.userId === userId);
  }

  /** Serialises once and queues on every given session. */
  publish(sessions: Iterable<Session>, message: object): void {
    let serialized: string | undefined;
    for (const session of sessions) {
      serialized ??= JSON.stringify(message);
      session.queue.push(serialized);
    }
  }

  /** Sessions of a user holding a given kind of subscription. */
  subscribers(userId: string, kind: 'station' | 'voicemail' | 'mwi'): Session[] {
    return this.sessions.ofUser(userId).filter((session) => session.subscriptions[kind]);
  }
}
