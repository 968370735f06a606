import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Companion } from '../../../main/core/companion';
import { MemoryCredentialStore } from '../../../main/core/session/credentials';
import { createLogger, silentLogger, type LogRecord } from '../../../main/common/log';
import { interpretPolicy, readPolicyFile, type LoadedPolicy } from '../../../main/core/settings/policy';
import { SettingsStore } from '../../../main/core/settings/settingsStore';
import { POLICY_MAX_BYTES, type Policy } from '../../../preload/contract';

const PIN = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
const OTHER_PIN = '11'.repeat(32).match(/../g)!.join(':');

/** Every key the policy knows, each set to something other than the default. */
const FULL: Policy = {
  reason: 'Managed by the contact-center IT team, extension 4400.',
  server: { addresses: ['cic1.example.com'], agentMayChange: false },
  allowRememberPassword: false,
  offerDemo: false,
  hotkeys: { editable: false, stopPlayback: 'CommandOrControl+Shift+F9' },
  notifications: { voicemail: false, session: true },
  startAtLogin: true,
  localBridge: false,
  certificates: { pins: [{ host: 'cic1.example.com:8019', fingerprint256: PIN }], agentMayPin: false },
  logLevel: 'warn',
};

let folder: string;
let lines: LogRecord[];
let companions: Companion[];

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'companion-policy-'));
  lines = [];
  companions = [];
});
afterEach(async () => {
  await Promise.all(companions.map((companion) => companion.stop()));
  await rm(folder, { recursive: true, force: true });
});

const policyFile = () => join(folder, 'policy.json');
const dataDir = () => join(folder, 'data');

async function writePolicy(policy: unknown): Promise<LoadedPolicy> {
  await writeFile(policyFile(), typeof policy === 'string' ? policy : JSON.stringify(policy));
  return readPolicyFile(policyFile(), 'linux');
}

async function startCompanion(policy?: LoadedPolicy, credentials = new MemoryCredentialStore()): Promise<Companion> {
  const companion = new Companion({
    appInfo: { name: 'ICWS Companion', version: '0', runtime: 'node', platform: 'linux', demoAvailable: true },
    settings: SettingsStore.inFolder(dataDir(), silentLogger),
    log: createLogger({ sink: (record) => lines.push(record) }),
    credentials,
    platform: 'linux',
    startDemoServer: () => Promise.reject(new Error('the demo must not start under this policy')),
    ...(policy ? { policy } : {}),
  });
  companions.push(companion);
  await companion.start();
  return companion;
}

const storedOnDisk = async () => JSON.parse(await readFile(join(dataDir(), 'settings.json'), 'utf8')) as Record<string, unknown>;

describe('reading a policy file', () => {
  it('reads every key of a valid file, server addresses normalised as sign-in would', () => {
    const loaded = interpretPolicy(JSON.stringify(FULL), '/etc/icws-companion/policy.json', 'linux');
    expect(loaded.problem).toBeNull();
    expect(loaded.policy).toEqual({
      reason: FULL.reason,
      servers: ['https://cic1.example.com:8019'],
      serverLocked: true,
      rememberPasswordAllowed: false,
      demoOffered: false,
      hotkeys: { stopPlayback: 'CommandOrControl+Shift+F9', recordFollowMe: 'CommandOrControl+Shift+F10' },
      notifications: { voicemail: false, session: true },
      startAtLogin: true,
      localBridge: false,
      pins: [{ host: 'cic1.example.com:8019', fingerprint256: PIN }],
      agentMayPin: false,
      logLevel: 'warn',
    });
  });

  it('treats a missing file as no policy, and reads a byte-order mark written by Notepad', async () => {
    expect(readPolicyFile(join(folder, 'absent.json'), 'linux').file).toBeNull();
    const loaded = await writePolicy(`\uFEFF${JSON.stringify({ offerDemo: false })}`);
    expect(loaded).toMatchObject({ file: policyFile(), problem: null, policy: { demoOffered: false, rememberPasswordAllowed: true } });
  });

  it('keeps the valid keys of an invalid file and applies the strictest reading to the rest, naming each problem', async () => {
    const loaded = await writePolicy({ startAtLogin: true, allowRememberPasword: true, offerDemo: 'no', hotkeys: { stopPlayback: 'S' } });
    expect(loaded.details).toEqual([
      '"allowRememberPasword" is not a policy setting',
      expect.stringMatching(/^offerDemo: /),
      expect.stringMatching(/^hotkeys\.stopPlayback: S has no modifier/),
    ]);
    expect(loaded.problem).toMatch(/^The policy file your administrator installed \(.*policy\.json\) could not be used as written: "allowRememberPasword" is not a policy setting and 2 more\./);
    expect(loaded.policy).toMatchObject({ startAtLogin: true, rememberPasswordAllowed: false, demoOffered: false, agentMayPin: false, hotkeys: {} });
  });

  it('reads a file that is not JSON, not an object, too large or a folder as the strictest policy', async () => {
    for (const text of ['{ "offerDemo": false, }', '[]', 'null', ' '.repeat(POLICY_MAX_BYTES + 1)]) {
      const loaded = await writePolicy(text);
      expect(loaded.problem, text.slice(0, 20)).toContain('could not be used as written');
      expect(loaded.policy).toMatchObject({ rememberPasswordAllowed: false, demoOffered: false, agentMayPin: false, servers: [] });
    }
    const folderInstead = join(folder, 'policy-folder.json');
    await mkdir(folderInstead);
    const unreadable = readPolicyFile(folderInstead, 'linux');
    expect(unreadable.problem).toContain('it could not be read (EISDIR)');
    expect(unreadable.policy).toMatchObject({ rememberPasswordAllowed: false, demoOffered: false, agentMayPin: false });
  });

  it('refuses one key for both hotkeys, keeping the first', async () => {
    const loaded = await writePolicy({ hotkeys: { editable: false, stopPlayback: 'CommandOrControl+Alt+P', recordFollowMe: 'CommandOrControl+Alt+P' } });
    expect(loaded.details).toEqual(['hotkeys: stopPlayback and recordFollowMe cannot both be CommandOrControl+Alt+P']);
    expect(loaded.policy.hotkeys).toEqual({ stopPlayback: 'CommandOrControl+Alt+P', recordFollowMe: null });
    // The default of the other hotkey counts too.
    const clash = interpretPolicy(JSON.stringify({ hotkeys: { editable: false, stopPlayback: 'CommandOrControl+Shift+F10' } }), policyFile(), 'linux');
    expect(clash.policy.hotkeys).toEqual({ stopPlayback: 'CommandOrControl+Shift+F10', recordFollowMe: null });
  });

  it('refuses an address no sign-in would accept, keeping the good ones', async () => {
    const loaded = await writePolicy({ server: { addresses: ['ftp://cic1', 'cic2:8019'] } });
    expect(loaded.details).toEqual([expect.stringMatching(/^server\.addresses: "ftp:\/\/cic1": The server address must start with https/)]);
    expect(loaded.policy).toMatchObject({ servers: ['https://cic2:8019'], serverLocked: true });
  });
});

describe('a policy in the core', () => {
  it('applies and locks every key: settings in force, the state says why, settings.update refuses', async () => {
    const companion = await startCompanion(await writePolicy(FULL));
    expect(companion.settings).toMatchObject({
      server: 'https://cic1.example.com:8019',
      rememberPassword: false,
      hotkeys: { stopPlayback: 'CommandOrControl+Shift+F9', recordFollowMe: 'CommandOrControl+Shift+F10' },
      notifications: { station: true, session: true, voicemail: false, actionFailures: true },
      startAtLogin: true,
      bridge: { enabled: false },
      certificatePins: [{ host: 'cic1.example.com:8019', fingerprint256: PIN, addedAt: 'policy' }],
    });
    const { policy } = companion.publicState;
    expect(policy).toMatchObject({
      file: policyFile(),
      problem: null,
      reason: FULL.reason,
      servers: ['https://cic1.example.com:8019'],
      serverLocked: true,
      rememberPasswordAllowed: false,
      demoOffered: false,
      agentMayPin: false,
      pinnedHosts: ['cic1.example.com:8019'],
    });
    expect(Object.keys(policy.managed).sort()).toEqual([
      'certificatePins',
      'demo',
      'hotkeys.recordFollowMe',
      'hotkeys.stopPlayback',
      'localBridge',
      'logLevel',
      'notifications.session',
      'notifications.voicemail',
      'rememberPassword',
      'server',
      'startAtLogin',
    ]);

    const refusals = await Promise.all([
      companion.handlers['settings.update']({ hotkeys: { stopPlayback: 'CommandOrControl+Alt+P' } }),
      companion.handlers['settings.update']({ hotkeys: { recordFollowMe: null } }),
      companion.handlers['settings.update']({ notifications: { voicemail: true } }),
      companion.handlers['settings.update']({ startAtLogin: false }),
      companion.handlers['settings.update']({ bridge: { enabled: true } }),
      companion.handlers['certificates.pin']({ host: 'cic9:8019', fingerprint256: OTHER_PIN }),
      companion.handlers['certificates.unpin']({ host: 'cic1.example.com:8019' }),
      companion.handlers['session.signIn']({ server: 'https://elsewhere:8019', userId: 'agent1', password: 'x' }),
      companion.handlers['session.signIn']({ server: 'cic1.example.com', userId: 'agent1', password: 'x', remember: true }),
      companion.handlers['session.signIn']({ server: 'cic1.example.com', userId: 'agent1' }),
      companion.handlers['session.startDemo'](undefined),
    ]);
    expect(refusals.map((result) => (result.ok ? 'ok' : result.error.message))).toEqual([
      `Your administrator sets the stop playback hotkey; it cannot be changed here. ${FULL.reason}`,
      `Your administrator sets the record follow-me hotkey; it cannot be changed here. ${FULL.reason}`,
      `Your administrator sets the voicemail notifications; they cannot be changed here. ${FULL.reason}`,
      `Your administrator decides whether the companion starts at login; it cannot be changed here. ${FULL.reason}`,
      `Your administrator decides whether other tools may control the companion; it cannot be changed here. ${FULL.reason}`,
      `Your administrator does not allow trusting certificates yourself. Ask IT to add this one. ${FULL.reason}`,
      `Your administrator provides the trusted certificate for cic1.example.com:8019; it cannot be changed here. ${FULL.reason}`,
      `Your administrator allows signing in only to https://cic1.example.com:8019. ${FULL.reason}`,
      `Your administrator does not allow saving passwords on this computer; sign in without "remember me". ${FULL.reason}`,
      'Enter your password: your administrator does not allow saved passwords on this computer.',
      `Your administrator turned the demo off on this computer. ${FULL.reason}`,
    ]);
    expect(companion.publicState.connection.status).toBe('signedOut');
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', message: 'machine-wide policy in force', fields: expect.objectContaining({ file: policyFile() }) }));
    expect((await companion.handlers['app.info'](undefined)).ok && (await companion.handlers['app.info'](undefined))).toMatchObject({
      value: { demoAvailable: false },
    });

    // What the policy leaves alone stays the agent's.
    const allowed = await companion.handlers['settings.update']({ notifications: { station: false }, startHidden: true });
    expect(allowed).toMatchObject({ ok: true, value: { startHidden: true, notifications: { station: false, voicemail: false } } });
  });

  it('lets the agent pick among several servers, and keeps suggestions as suggestions', async () => {
    const chooser = await startCompanion(await writePolicy({ server: { addresses: ['https://cic1:8019', 'https://cic2:8019'] } }));
    expect(chooser.settings.server).toBe('https://cic1:8019');
    const other = await chooser.handlers['session.signIn']({ server: 'https://cic3:8019', userId: 'agent1', password: 'x' });
    expect(other).toMatchObject({ ok: false, error: { kind: 'refused', message: 'Your administrator allows signing in only to https://cic1:8019, https://cic2:8019.' } });
    await chooser.stop();

    const suggestions = await startCompanion(await writePolicy({ server: { addresses: ['https://cic1:8019'], agentMayChange: true } }));
    expect(suggestions.publicState.policy).toMatchObject({ servers: ['https://cic1:8019'], serverLocked: false, managed: {} });
    // Refused only for want of a server, not by the policy.
    const free = await suggestions.handlers['session.signIn']({ server: 'https://127.0.0.1:1', userId: 'agent1', password: 'x' });
    expect(free.ok || free.error.kind).not.toBe('refused');
  });

  it('reports an invalid policy to the agent and in the log, and runs with the strictest reading', async () => {
    const companion = await startCompanion(await writePolicy('{"offerDemo": fals}'));
    expect(companion.publicState.warnings).toEqual([expect.stringContaining('could not be used as written: it is not valid JSON')]);
    expect(companion.publicState.policy).toMatchObject({ problem: companion.publicState.warnings[0], rememberPasswordAllowed: false, demoOffered: false, agentMayPin: false });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'error', message: 'policy file not usable as written; the strictest reading is in force' }));
    expect(await companion.handlers['session.startDemo'](undefined)).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(await companion.handlers['certificates.pin']({ host: 'cic9:8019', fingerprint256: OTHER_PIN })).toMatchObject({ ok: false, error: { kind: 'refused' } });
    // Settings the policy could not have meant to fix stay the agent's.
    expect(await companion.handlers['settings.update']({ startAtLogin: true })).toMatchObject({ ok: true });
  });

  it('reports an unreadable policy the same way', async () => {
    await mkdir(policyFile());
    const companion = await startCompanion(readPolicyFile(policyFile(), 'linux'));
    expect(companion.publicState.warnings).toEqual([expect.stringContaining('it could not be read (EISDIR)')]);
    expect(companion.publicState.policy.demoOffered).toBe(false);
  });

  it('overrides what the agent set without losing it: a policy appearing between runs, then lifted', async () => {
    const first = await startCompanion();
    await first.handlers['settings.update']({
      startAtLogin: false,
      hotkeys: { stopPlayback: 'CommandOrControl+Alt+P' },
      notifications: { voicemail: true },
      bridge: { enabled: true, port: 4567 },
    });
    await first.handlers['certificates.pin']({ host: 'mine:8019', fingerprint256: OTHER_PIN });
    expect(first.publicState.policy).toMatchObject({ file: null, managed: {} });
    await first.stop();

    // IT installs a policy; the next run reads it.
    const second = await startCompanion(await writePolicy(FULL));
    expect(second.settings).toMatchObject({
      startAtLogin: true,
      hotkeys: { stopPlayback: 'CommandOrControl+Shift+F9' },
      notifications: { voicemail: false },
      bridge: { enabled: false, port: 4567 },
      certificatePins: [{ host: 'cic1.example.com:8019' }],
    });
    // A change the policy allows is saved; the agent's own values under the policy stay on disk, IT's pin is not written.
    await second.handlers['settings.update']({ startHidden: true });
    const disk = await storedOnDisk();
    expect(disk).toMatchObject({
      startAtLogin: false,
      startHidden: true,
      hotkeys: { stopPlayback: 'CommandOrControl+Alt+P' },
      notifications: { voicemail: true },
      bridge: { enabled: true, port: 4567 },
      certificatePins: [{ host: 'mine:8019' }],
      server: null,
    });
    await second.stop();

    // IT lifts the policy: the agent's choices are back.
    await rm(policyFile());
    const third = await startCompanion(readPolicyFile(policyFile(), 'linux'));
    expect(third.settings).toMatchObject({
      startAtLogin: false,
      startHidden: true,
      hotkeys: { stopPlayback: 'CommandOrControl+Alt+P' },
      bridge: { enabled: true },
      certificatePins: [{ host: 'mine:8019' }],
    });
    expect(third.publicState.policy.file).toBeNull();
  });

  it("turns off the agent's own hotkey while it is on a key the administrator gave the other action", async () => {
    const first = await startCompanion();
    await first.handlers['settings.update']({ hotkeys: { recordFollowMe: 'CommandOrControl+Alt+P' } });
    await first.stop();
    const second = await startCompanion(await writePolicy({ hotkeys: { stopPlayback: 'CommandOrControl+Alt+P' } }));
    expect(second.settings.hotkeys).toEqual({ stopPlayback: 'CommandOrControl+Alt+P', recordFollowMe: null });
    await second.handlers['settings.update']({ startHidden: true });
    expect(await storedOnDisk()).toMatchObject({ hotkeys: { recordFollowMe: 'CommandOrControl+Alt+P' } });
    expect(await second.handlers['settings.update']({ hotkeys: { recordFollowMe: 'CommandOrControl+Alt+Q' } })).toMatchObject({
      ok: true,
      value: { hotkeys: { stopPlayback: 'CommandOrControl+Alt+P', recordFollowMe: 'CommandOrControl+Alt+Q' } },
    });
  });

  it('tells the shell the settings in force when a change is saved', async () => {
    const companion = await startCompanion(await writePolicy({ startAtLogin: true, notifications: false }));
    const changed: unknown[] = [];
    companion.events.on('settings.changed', (settings) => changed.push(settings));
    await companion.handlers['settings.update']({ startHidden: true });
    expect(changed).toEqual([expect.objectContaining({ startAtLogin: true, startHidden: true, notifications: { station: false, session: false, voicemail: false, actionFailures: false } })]);
  });
});
