import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Companion } from '../../../main/core/companion';
import { MemoryCredentialStore } from '../../../main/core/session/credentials';
import { silentLogger } from '../../../main/common/log';
import { SettingsStore } from '../../../main/core/settings/settingsStore';
import type { PublicState } from '../../../preload/contract';

let folder: string;
let companion: Companion;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'companion-hotkeys-'));
  companion = new Companion({
    appInfo: { name: 'ICWS Companion', version: '0', runtime: 'node', platform: 'linux', demoAvailable: false },
    settings: SettingsStore.inFolder(folder, silentLogger),
    log: silentLogger,
    credentials: new MemoryCredentialStore(),
    platform: 'linux',
  });
  await companion.start();
});
afterEach(async () => {
  await companion.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('hotkey settings', () => {
  it('refuses a hotkey that could never be registered, saying why, and keeps the old one', async () => {
    const refused = await companion.handlers['settings.update']({ hotkeys: { stopPlayback: 'S' } });
    expect(refused).toEqual({
      ok: false,
      error: {
        kind: 'invalidInput',
        message: expect.stringMatching(/^The stop playback hotkey cannot be S: .*no modifier/),
      },
    });
    const invalid = await companion.handlers['settings.update']({ hotkeys: { recordFollowMe: 'Ctrl+Banana' } });
    expect(invalid).toMatchObject({ ok: false, error: { message: expect.stringContaining('"Banana" is not a key Electron knows.') } });
    expect(companion.settings.hotkeys).toEqual({ stopPlayback: 'CommandOrControl+Shift+F9', recordFollowMe: 'CommandOrControl+Shift+F10' });
  });

  it('accepts a valid hotkey, and turning one off', async () => {
    const saved = await companion.handlers['settings.update']({ hotkeys: { stopPlayback: 'CommandOrControl+Shift+F9', recordFollowMe: null } });
    expect(saved).toMatchObject({ ok: true, value: { hotkeys: { stopPlayback: 'CommandOrControl+Shift+F9', recordFollowMe: null } } });
  });

  it('publishes what the shell reports about registration, once per change', () => {
    const seen: PublicState[] = [];
    companion.events.on('state.changed', () => seen.push(companion.publicState));
    const taken = { accelerator: 'CommandOrControl+Alt+S', registered: false, error: 'Another application already uses this hotkey.' };
    companion.setHotkeyStatus('stopPlayback', taken);
    companion.setHotkeyStatus('stopPlayback', { ...taken });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.hotkeys.stopPlayback).toEqual(taken);
  });
});
