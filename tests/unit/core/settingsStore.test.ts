import { mkdtemp, readdir, readFile, rm, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, type LogRecord } from '../../../main/core/log';
import { SettingsStore } from '../../../main/core/settingsStore';
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
    expect(defaultSettings().hotkeys).toEqual({ stopPlayback: 'CommandOrControl+Alt+S', recordFollowMe: 'CommandOrControl+Alt+R' });
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
    expect(settings.value.hotkeys.stopPlayback).toBe('CommandOrControl+Alt+S');
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
