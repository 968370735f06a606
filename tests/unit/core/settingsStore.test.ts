import { mkdtemp, readdir, readFile, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type LogRecord } from '../../../main/common/log';
import { SettingsStore } from '../../../main/core/settings/settingsStore';
import { applySettingsPatch, defaultSettings } from '../../../preload/contract';

let folder: string;
let lines: LogRecord[];
const store = () => SettingsStore.inFolder(folder, createLogger({ sink: (record) => lines.push(record) }));

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'companion-settings-'));
  lines = [];
});
afterEach(() => rm(folder, { recursive: true, force: true }));

describe('settings', () => {
  it('start from defaults when there is no file yet', async () => {
    const settings = store();
    expect(await settings.load()).toEqual(defaultSettings());
    expect(settings.warning).toBeNull();
    expect(defaultSettings().hotkeys).toEqual({ stopPlayback: 'CommandOrControl+Shift+F9', recordFollowMe: 'CommandOrControl+Shift+F10' });
  });

  it('persist as JSON and read back, readable by the user only', async () => {
    const first = store();
    await first.load();
    await first.save(applySettingsPatch(first.value, { startHidden: true, notifications: { voicemail: false } }));
    const second = store();
    const loaded = await second.load();
    expect(loaded.startHidden).toBe(true);
    expect(loaded.notifications).toEqual({ station: true, session: true, voicemail: false, actionFailures: true });
    expect((await stat(join(folder, 'settings.json'))).mode & 0o777).toBe(0o600);
  });

  it('write atomically: no temporary file is left, and concurrent saves end with the last one', async () => {
    const settings = store();
    await settings.load();
    await Promise.all([
      settings.save({ ...settings.value, startAtLogin: true }),
      settings.save({ ...settings.value, startAtLogin: false, startHidden: true }),
    ]);
    expect(await readdir(folder)).toEqual(['settings.json']);
    expect(JSON.parse(await readFile(join(folder, 'settings.json'), 'utf8'))).toMatchObject({ startAtLogin: false, startHidden: true });
  });

  it('keep a corrupt file aside, use defaults, and say so', async () => {
    await writeFile(join(folder, 'settings.json'), '{"startHidden": tru');
    const settings = store();
    expect(await settings.load()).toEqual(defaultSettings());
    expect(settings.warning).toMatch(/could not be used \(it is not valid JSON\); it was kept as .*settings\.json\.corrupt-/);
    const files = await readdir(folder);
    expect(files).toHaveLength(1);
    expect(await readFile(join(folder, files[0]!), 'utf8')).toBe('{"startHidden": tru');
    expect(lines.some((line) => line.level === 'warn')).toBe(true);
  });

  it('treat values of the wrong type as corrupt too, never half-applied', async () => {
    await writeFile(join(folder, 'settings.json'), JSON.stringify({ startHidden: 'yes', startAtLogin: true }));
    const settings = store();
    expect(await settings.load()).toEqual(defaultSettings());
    expect(settings.warning).toMatch(/some values were not valid/);
  });

  it('fill in settings added by a newer version', async () => {
    await writeFile(join(folder, 'settings.json'), JSON.stringify({ startHidden: true }));
    const settings = store();
    expect((await settings.load()).startHidden).toBe(true);
    expect(settings.value.hotkeys.stopPlayback).toBe('CommandOrControl+Shift+F9');
    expect(settings.warning).toBeNull();
  });

  it('keeps the last stations, and drops an unreadable list of them without losing the other settings', async () => {
    const lastStations = { 'agent1@https://cic1:8019': { kind: 'workstation', workstation: '7001' } };
    await writeFile(join(folder, 'settings.json'), JSON.stringify({ startHidden: true, lastStations }));
    expect((await store().load()).lastStations).toEqual(lastStations);
    await writeFile(join(folder, 'settings.json'), JSON.stringify({ startHidden: true, lastStations: { x: { kind: 'phone' } } }));
    const settings = store();
    const loaded = await settings.load();
    expect(loaded.lastStations).toEqual({});
    expect(loaded.startHidden).toBe(true);
    expect(settings.warning).toBeNull();
  });
});

describe('settings files as a crash or an editor leaves them', () => {
  it('a byte-order mark (Windows Notepad) is accepted', async () => {
    const written = applySettingsPatch(defaultSettings(), { startHidden: true });
    await writeFile(join(folder, 'settings.json'), `\uFEFF${JSON.stringify(written)}`);
    const settings = store();
    expect(await settings.load()).toEqual(written);
    expect(settings.warning).toBeNull();
  });

  it('temporary files of a process that is gone are removed at start; a running process keeps its own', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    await writeFile(join(folder, `settings.json.${gone}.tmp`), '{"half":');
    await writeFile(join(folder, `settings.json.${process.ppid}.tmp`), '{}');
    await writeFile(join(folder, 'notes.tmp'), 'not ours');
    await store().load();
    expect((await readdir(folder)).sort()).toEqual(['notes.tmp', `settings.json.${process.ppid}.tmp`]);
  });

  it('the data folder it creates is readable by the agent only', async () => {
    const nested = join(folder, 'data', 'ICWS Companion');
    const settings = SettingsStore.inFolder(nested, createLogger({ sink: () => {} }));
    await settings.save(defaultSettings());
    expect((await stat(nested)).mode & 0o777).toBe(0o700);
    expect((await stat(join(folder, 'data'))).mode & 0o777).toBe(0o700);
  });
});
