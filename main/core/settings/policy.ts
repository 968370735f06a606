/**
 * The machine-wide policy: read once at start from the file the shell (or `--policy FILE`) names, validated against the
 * contract's schema key by key, and resolved into what the core enforces. A file that cannot be used as written is never
 * ignored: what is valid in it applies, and everything the policy could restrict is restricted (the safest reading).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  ACTION_NAMES,
  HOTKEY_ACTIONS,
  NOTIFICATION_KINDS,
  NOTIFICATION_NAMES,
  type NotificationKind,
  noPolicy,
  POLICY_MAX_BYTES,
  policyKeySchemas,
  validateAccelerator,
  DEFAULT_HOTKEYS,
  type CertificatePin,
  type HotkeyAction,
  type Platform,
  type PolicyKey,
  type PolicyState,
  type Settings,
  type SettingsPatch,
} from '../../../preload/contract';
import { normalizeServerUrl } from '../../icws/url';
import type { LogLevel } from '../../common/log';

/** `addedAt` of a pin IT provides: it has no date of its own. */
const POLICY_PIN_ADDED_AT = 'policy';

/** The policy as the core enforces it. */
interface ResolvedPolicy {
  reason: string | null;
  /** Normalised server bases. */
  servers: string[];
  serverLocked: boolean;
  rememberPasswordAllowed: boolean;
  demoOffered: boolean;
  /** Only the hotkeys the administrator fixed. */
  hotkeys: Partial<Record<HotkeyAction, string | null>>;
  notifications: Partial<Record<NotificationKind, boolean>>;
  startAtLogin: boolean | null;
  localBridge: boolean | null;
  pins: Pick<CertificatePin, 'host' | 'fingerprint256'>[];
  agentMayPin: boolean;
  logLevel: LogLevel | null;
}

export interface LoadedPolicy {
  /** The file read, or null when this computer has none. */
  file: string | null;
  policy: ResolvedPolicy;
  /** A sentence for the agent when the file could not be used as written. */
  problem: string | null;
  /** Each thing wrong with the file, for the log and for IT. */
  details: string[];
}

function permissive(): ResolvedPolicy {
  return {
    reason: null,
    servers: [],
    serverLocked: false,
    rememberPasswordAllowed: true,
    demoOffered: true,
    hotkeys: {},
    notifications: {},
    startAtLogin: null,
    localBridge: null,
    pins: [],
    agentMayPin: true,
    logLevel: null,
  };
}

export function noPolicyLoaded(): LoadedPolicy {
  return { file: null, policy: permissive(), problem: null, details: [] };
}

/**
 * Reads the policy file (synchronously: it is read once, before the logger and the core exist, and is small). A missing
 * file is no policy; a file that cannot be read, is too large or is not valid is a problem with the safest reading.
 */
export function readPolicyFile(file: string, platform: Platform): LoadedPolicy {
  let text: string;
  try {
    text = readBounded(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return noPolicyLoaded();
    const detail = code === 'EFBIG' ? `it is larger than ${POLICY_MAX_BYTES / 1024} KB` : `it could not be read (${code ?? (error as Error).message})`;
    return strictest(file, [detail]);
  }
  return interpretPolicy(text, file, platform);
}

function readBounded(file: string): string {
  const fd = openSync(file, 'r');
  try {
    if (fstatSync(fd).isDirectory()) throw Object.assign(new Error('a folder'), { code: 'EISDIR' });
    const buffer = Buffer.alloc(POLICY_MAX_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) read = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > POLICY_MAX_BYTES) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The file's text → the policy in force. Pure: every case of a policy file is tested through here. */
export function interpretPolicy(text: string, file: string, platform: Platform): LoadedPolicy {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    return strictest(file, [`it is not valid JSON (${(error as Error).message.slice(0, 120)})`]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return strictest(file, ['it is not a JSON object']);

  const details: string[] = [];
  const policy = permissive();
  const entries = Object.entries(raw as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (!Object.hasOwn(policyKeySchemas, key)) {
      details.push(`"${key.slice(0, 60)}" is not a policy setting`);
      continue;
    }
    const checked = policyKeySchemas[key as PolicyKey].safeParse(value);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const where = [key, ...issue.path.map(String)].join('.');
      details.push(`${where}: ${issue.message}`);
      continue;
    }
    apply(policy, key as PolicyKey, checked.data, platform, details);
  }
  if (details.length === 0) return { file, policy, problem: null, details };
  return { file, policy: restrict(policy), problem: problemSentence(file, details), details };
}

function apply(policy: ResolvedPolicy, key: PolicyKey, value: unknown, platform: Platform, details: string[]): void {
  switch (key) {
    case 'reason':
      policy.reason = value as string;
      return;
    case 'server': {
      const server = value as { addresses: string[]; agentMayChange: boolean };
      for (const address of server.addresses) {
        const normalized = normalizeServerUrl(address);
        if (normalized.ok) {
          if (!policy.servers.includes(normalized.base)) policy.servers.push(normalized.base);
        } else {
          details.push(`server.addresses: "${address.slice(0, 100)}": ${normalized.message}`);
        }
      }
      policy.serverLocked = policy.servers.length > 0 && !server.agentMayChange;
      return;
    }
    case 'allowRememberPassword':
      policy.rememberPasswordAllowed = value as boolean;
      return;
    case 'offerDemo':
      policy.demoOffered = value as boolean;
      return;
    case 'hotkeys': {
      const hotkeys = value as { editable: boolean } & Partial<Record<HotkeyAction, string | null>>;
      for (const action of HOTKEY_ACTIONS) {
        const accelerator = hotkeys[action];
        if (accelerator === undefined) {
          if (!hotkeys.editable) policy.hotkeys[action] = DEFAULT_HOTKEYS[action];
          continue;
        }
        const check = accelerator === null ? { ok: true as const } : validateAccelerator(accelerator, platform);
        if (check.ok) policy.hotkeys[action] = accelerator;
        else {
          details.push(`hotkeys.${action}: ${check.reason}`);
          if (!hotkeys.editable) policy.hotkeys[action] = DEFAULT_HOTKEYS[action];
        }
      }
      // One key cannot do both (the second registration would fail on every desk): the first keeps it.
      const { stopPlayback, recordFollowMe } = policy.hotkeys;
      if (stopPlayback && stopPlayback === recordFollowMe) {
        details.push(`hotkeys: stopPlayback and recordFollowMe cannot both be ${stopPlayback}`);
        if (hotkeys.editable) delete policy.hotkeys.recordFollowMe;
        else policy.hotkeys.recordFollowMe = null;
      }
      return;
    }
    case 'notifications': {
      const notifications = value as boolean | Partial<Record<NotificationKind, boolean>>;
      for (const kind of NOTIFICATION_KINDS) {
        const forced = typeof notifications === 'boolean' ? notifications : notifications[kind];
        if (forced !== undefined) policy.notifications[kind] = forced;
      }
      return;
    }
    case 'startAtLogin':
      policy.startAtLogin = value as boolean;
      return;
    case 'localBridge':
      policy.localBridge = value as boolean;
      return;
    case 'certificates': {
      const certificates = value as { pins: ResolvedPolicy['pins']; agentMayPin: boolean };
      policy.pins = certificates.pins;
      policy.agentMayPin = certificates.agentMayPin;
      return;
    }
    case 'logLevel':
      policy.logLevel = value as LogLevel;
      return;
  }
}

/** A misspelt or wrong key may have been meant to restrict: everything a policy can restrict is restricted. */
function restrict(policy: ResolvedPolicy): ResolvedPolicy {
  return { ...policy, rememberPasswordAllowed: false, demoOffered: false, agentMayPin: false };
}

function strictest(file: string, details: string[]): LoadedPolicy {
  return { file, policy: restrict(permissive()), problem: problemSentence(file, details), details };
}

function problemSentence(file: string, details: string[]): string {
  const more = details.length > 1 ? ` and ${details.length - 1} more` : '';
  return (
    `The policy file your administrator installed (${file}) could not be used as written: ${details[0]}${more}. ` +
    'Until IT corrects it, passwords are not saved, the demo is off and only certificates IT provides are trusted.'
  );
}

// --- enforcing ---------------------------------------------------------------------------------------------------


/** The settings in force: the agent's, with what the policy fixes laid over them. */
export function enforcePolicy(settings: Settings, { policy }: LoadedPolicy): Settings {
  const pinnedHosts = new Set(policy.pins.map((pin) => pin.host));
  const server =
    policy.servers.length === 0
      ? settings.server
      : policy.serverLocked && !policy.servers.includes(settings.server ?? '')
        ? policy.servers[0]!
        : (settings.server ?? policy.servers[0]!);
  return {
    ...settings,
    server,
    rememberPassword: policy.rememberPasswordAllowed && settings.rememberPassword,
    hotkeys: enforceHotkeys(settings.hotkeys, policy.hotkeys),
    notifications: { ...settings.notifications, ...policy.notifications },
    startAtLogin: policy.startAtLogin ?? settings.startAtLogin,
    bridge: { ...settings.bridge, enabled: policy.localBridge ?? settings.bridge.enabled },
    certificatePins: [
      ...policy.pins.map((pin) => ({ ...pin, addedAt: POLICY_PIN_ADDED_AT })),
      ...(policy.agentMayPin ? settings.certificatePins.filter((pin) => !pinnedHosts.has(pin.host)) : []),
    ].slice(0, 100),
  };
}

/** The fixed hotkeys win; an agent's own hotkey on a key the administrator gave the other action is off meanwhile. */
function enforceHotkeys(agent: Settings['hotkeys'], fixed: ResolvedPolicy['hotkeys']): Settings['hotkeys'] {
  const taken = new Set(Object.values(fixed).filter((accelerator) => accelerator));
  const own = Object.fromEntries(
    HOTKEY_ACTIONS.filter((action) => !(action in fixed)).map((action) => [action, taken.has(agent[action]) ? null : agent[action]]),
  );
  return { ...agent, ...own, ...fixed };
}

/**
 * What goes to disk after a change: the agent's own values stay under what the policy fixes (so nothing of theirs is
 * lost when IT lifts the policy), and what IT provides (its pins) is never written into the agent's file.
 */
export function storedSettings(next: Settings, stored: Settings, loaded: LoadedPolicy): Settings {
  const { policy } = loaded;
  const effective = enforcePolicy(stored, loaded);
  const keep = <T>(nextValue: T, effectiveValue: T, storedValue: T): T =>
    JSON.stringify(nextValue) === JSON.stringify(effectiveValue) ? storedValue : nextValue;
  const pinnedHosts = new Set(policy.pins.map((pin) => pin.host));
  return {
    ...next,
    server: keep(next.server, effective.server, stored.server),
    rememberPassword: policy.rememberPasswordAllowed ? next.rememberPassword : stored.rememberPassword,
    hotkeys: Object.fromEntries(
      HOTKEY_ACTIONS.map((action) => [
        action,
        action in policy.hotkeys ? stored.hotkeys[action] : keep(next.hotkeys[action], effective.hotkeys[action], stored.hotkeys[action]),
      ]),
    ) as Settings['hotkeys'],
    notifications: Object.fromEntries(
      NOTIFICATION_KINDS.map((kind) => [kind, kind in policy.notifications ? stored.notifications[kind] : next.notifications[kind]]),
    ) as Settings['notifications'],
    startAtLogin: policy.startAtLogin === null ? next.startAtLogin : stored.startAtLogin,
    bridge: { ...next.bridge, enabled: policy.localBridge === null ? next.bridge.enabled : stored.bridge.enabled },
    certificatePins: policy.agentMayPin ? next.certificatePins.filter((pin) => !pinnedHosts.has(pin.host)) : stored.certificatePins,
  };
}

function administrator({ policy }: LoadedPolicy, sentence: string): string {
  return policy.reason ? `${sentence} ${policy.reason}` : sentence;
}

/** Why `settings.update` cannot make this change, or null when the policy fixes none of it. */
export function settingsRefusal(patch: SettingsPatch, loaded: LoadedPolicy): string | null {
  const { policy } = loaded;
  for (const action of HOTKEY_ACTIONS) {
    if (patch.hotkeys?.[action] !== undefined && action in policy.hotkeys) {
      return administrator(loaded, `Your administrator sets the ${ACTION_NAMES[action].short} hotkey; it cannot be changed here.`);
    }
  }
  for (const kind of NOTIFICATION_KINDS) {
    if (patch.notifications?.[kind] !== undefined && kind in policy.notifications) {
      return administrator(loaded, `Your administrator sets the ${NOTIFICATION_NAMES[kind].short} notifications; they cannot be changed here.`);
    }
  }
  if (patch.startAtLogin !== undefined && policy.startAtLogin !== null) {
    return administrator(loaded, 'Your administrator decides whether the companion starts at login; it cannot be changed here.');
  }
  if (patch.bridge?.enabled !== undefined && policy.localBridge !== null) {
    return administrator(loaded, 'Your administrator decides whether other tools may control the companion; it cannot be changed here.');
  }
  return null;
}

/** Why the agent cannot trust (or stop trusting) a certificate for this host, or null. */
export function pinRefusal(host: string, adding: boolean, loaded: LoadedPolicy): string | null {
  const { policy } = loaded;
  if (policy.pins.some((pin) => pin.host === host)) {
    return administrator(loaded, `Your administrator provides the trusted certificate for ${host}; it cannot be changed here.`);
  }
  if (adding && !policy.agentMayPin) {
    return administrator(loaded, 'Your administrator does not allow trusting certificates yourself. Ask IT to add this one.');
  }
  return null;
}

/** Why this sign-in is not allowed, or null. `base` is normalised. */
export function signInRefusal(base: string, remember: boolean | undefined, loaded: LoadedPolicy): string | null {
  const { policy } = loaded;
  if (policy.serverLocked && !policy.servers.includes(base)) {
    const allowed = policy.servers.join(', ');
    return administrator(loaded, `Your administrator allows signing in only to ${allowed}.`);
  }
  if (remember === true && !policy.rememberPasswordAllowed) {
    return administrator(loaded, 'Your administrator does not allow saving passwords on this computer; sign in without "remember me".');
  }
  return null;
}

export function demoRefusal(loaded: LoadedPolicy): string | null {
  return loaded.policy.demoOffered ? null : administrator(loaded, 'Your administrator turned the demo off on this computer.');
}

/** What the window needs to show managed settings locked, each with a short reason. */
export function policyState(loaded: LoadedPolicy): PolicyState {
  if (loaded.file === null) return noPolicy();
  const { policy } = loaded;
  const managed: PolicyState['managed'] = {};
  if (policy.servers.length > 0 && policy.serverLocked) {
    managed.server = policy.servers.length === 1 ? 'Your administrator set the CIC server.' : 'Your administrator chose the CIC servers you can use.';
  }
  if (!policy.rememberPasswordAllowed) managed.rememberPassword = 'Your administrator does not allow saving passwords on this computer.';
  if (!policy.demoOffered) managed.demo = 'Your administrator turned the demo off.';
  for (const action of HOTKEY_ACTIONS) {
    if (action in policy.hotkeys) managed[`hotkeys.${action}`] = 'Set by your administrator.';
  }
  for (const kind of NOTIFICATION_KINDS) {
    const forced = policy.notifications[kind];
    if (forced !== undefined) managed[`notifications.${kind}`] = `Turned ${forced ? 'on' : 'off'} by your administrator.`;
  }
  if (policy.startAtLogin !== null) {
    managed.startAtLogin = policy.startAtLogin ? 'Your administrator has the companion start at login.' : 'Your administrator turned start at login off.';
  }
  if (policy.localBridge !== null) {
    managed.localBridge = policy.localBridge ? 'Your administrator turned the local bridge on.' : 'Your administrator turned the local bridge off.';
  }
  if (!policy.agentMayPin) managed.certificatePins = 'Your administrator decides which certificates are trusted.';
  if (policy.logLevel) managed.logLevel = `Your administrator set the log level to ${policy.logLevel}.`;
  return {
    file: loaded.file,
    problem: loaded.problem,
    reason: policy.reason,
    managed,
    servers: policy.servers,
    serverLocked: policy.serverLocked,
    rememberPasswordAllowed: policy.rememberPasswordAllowed,
    demoOffered: policy.demoOffered,
    agentMayPin: policy.agentMayPin,
    pinnedHosts: policy.pins.map((pin) => pin.host),
  };
}
