import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEYS, type HotkeyAction, type HotkeyStatus } from '../../preload/contract';
import { sameAccelerator, validateAccelerator } from '../../preload/contract/accelerators';
import { HotkeyService } from '../../main/shell/hotkeys';
import type { CompanionNotification } from '../../main/shell/notifications';
import { FakeGlobalShortcut, recordingLogger } from './fakes';

describe('validateAccelerator', () => {
  it.each(['win32', 'darwin', 'linux'])('accepts the defaults on %s', (platform) => {
    expect(validateAccelerator(DEFAULT_HOTKEYS.stopPlayback, platform)).toEqual({ ok: true });
    expect(validateAccelerator(DEFAULT_HOTKEYS.recordFollowMe, platform)).toEqual({ ok: true });
    expect(validateAccelerator('Ctrl+Shift+F9', platform)).toEqual({ ok: true });
    expect(validateAccelerator('Alt+Shift+Plus', platform)).toEqual({ ok: true });
    expect(validateAccelerator('MediaPlayPause', platform)).toEqual({ ok: true });
  });

  it.each([
    ['', /empty/],
    ['Ctrl+', /empty/],
    ['Ctrl+Alt', /only modifiers/],
    ['Ctrl+Alt+S+R', /more than one key/],
    ['S+Ctrl', /modifiers must come before/],
    ['Ctrl+Ctrl+S', /same modifier twice/],
    ['Ctrl+Alt+Banana', /not a key/],
    ['S', /no modifier/],
    ['Shift+S', /stop you typing/],
  ])('refuses the invalid %j with a reason', (accelerator, reason) => {
    const check = validateAccelerator(accelerator, 'linux');
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(reason);
  });

  it.each([
    ['win32', 'Ctrl+Alt+Delete'],
    ['win32', 'Alt+F4'],
    ['win32', 'Super+L'],
    ['win32', 'CommandOrControl+C'],
    ['darwin', 'Command+Q'],
    ['darwin', 'CmdOrCtrl+Space'],
    ['darwin', 'Command+Shift+4'],
    ['darwin', 'CommandOrControl+V'],
    ['linux', 'Ctrl+Alt+F2'],
    ['linux', 'Control+Alt+Backspace'],
    ['linux', 'CmdOrCtrl+S'],
  ])('refuses the reserved %s %s', (platform, accelerator) => {
    const check = validateAccelerator(accelerator, platform);
    expect(check).toMatchObject({ ok: false, reason: expect.stringMatching(/reserved/) });
  });

  it('knows Command exists only on a Mac', () => {
    expect(validateAccelerator('Command+Alt+S', 'win32')).toMatchObject({ ok: false, reason: expect.stringMatching(/only on a Mac/) });
    expect(validateAccelerator('Command+Alt+S', 'darwin')).toEqual({ ok: true });
  });

  it('compares accelerators by meaning', () => {
    expect(sameAccelerator('CmdOrCtrl+Alt+S', 'Control+Alt+s', 'win32')).toBe(true);
    expect(sameAccelerator('Alt+CmdOrCtrl+S', 'Command+Option+S', 'darwin')).toBe(true);
    expect(sameAccelerator('CmdOrCtrl+Alt+S', 'Control+Alt+S', 'darwin')).toBe(false);
  });
});

function setup(platform = 'linux') {
  const globalShortcut = new FakeGlobalShortcut();
  const reports: [HotkeyAction, HotkeyStatus][] = [];
  const notes: { n: CompanionNotification; force: boolean }[] = [];
  const pressed: HotkeyAction[] = [];
  const service = new HotkeyService({
    globalShortcut,
    platform,
    onPress: (action) => pressed.push(action),
    report: (action, status) => reports.push([action, status]),
    notify: (n, o) => notes.push({ n, force: o?.force ?? false }),
    log: recordingLogger().log,
  });
  const last = (action: HotkeyAction) => reports.filter(([a]) => a === action).at(-1)?.[1];
  return { service, globalShortcut, reports, notes, pressed, last };
}

describe('HotkeyService', () => {
  it('registers the defaults, reports them, and runs the action on press', () => {
    const { service, globalShortcut, last, pressed, notes } = setup();
    service.apply({ ...DEFAULT_HOTKEYS });
    expect([...globalShortcut.registered.keys()].sort()).toEqual(['CommandOrControl+Shift+F10', 'CommandOrControl+Shift+F9']);
    expect(last('stopPlayback')).toEqual({ accelerator: 'CommandOrControl+Shift+F9', registered: true });
    expect(last('recordFollowMe')).toEqual({ accelerator: 'CommandOrControl+Shift+F10', registered: true });
    globalShortcut.press('CommandOrControl+Shift+F9');
    globalShortcut.press('CommandOrControl+Shift+F10');
    expect(pressed).toEqual(['stopPlayback', 'recordFollowMe']);
    expect(notes).toEqual([]);
  });

  it('reports a conflict (register() false) in state and by a notification', () => {
    const { service, globalShortcut, last, notes } = setup();
    globalShortcut.taken.add('CommandOrControl+Shift+F9');
    service.apply({ ...DEFAULT_HOTKEYS });
    expect(last('stopPlayback')).toEqual({
      accelerator: 'CommandOrControl+Shift+F9',
      registered: false,
      error: expect.stringMatching(/already used by another application/),
    });
    expect(last('recordFollowMe')?.registered).toBe(true);
    expect(notes).toEqual([{ force: true, n: expect.objectContaining({ title: 'Hotkey for Stop voicemail playback is not active' }) }]);
  });

  it('refuses reserved and invalid accelerators without calling register', () => {
    const { service, globalShortcut, last, notes } = setup('win32');
    service.apply({ stopPlayback: 'Alt+F4', recordFollowMe: 'Ctrl+Alt+Nope' });
    expect(globalShortcut.register).not.toHaveBeenCalled();
    expect(last('stopPlayback')).toMatchObject({ registered: false, error: expect.stringMatching(/reserved/) });
    expect(last('recordFollowMe')).toMatchObject({ registered: false, error: expect.stringMatching(/not a key/) });
    expect(notes).toHaveLength(2);
  });

  it('treats a throwing register() as an invalid accelerator', () => {
    const { service, globalShortcut, last } = setup();
    globalShortcut.register.mockImplementationOnce(() => {
      throw new Error('conversion failure');
    });
    service.apply({ stopPlayback: 'Ctrl+Alt+S', recordFollowMe: null });
    expect(last('stopPlayback')).toMatchObject({ registered: false, error: expect.stringMatching(/conversion failure/) });
    expect(last('recordFollowMe')).toEqual({ accelerator: null, registered: false });
  });

  it('re-registers only what changed, and lets two actions swap hotkeys', () => {
    const { service, globalShortcut, last, reports } = setup();
    service.apply({ stopPlayback: 'Ctrl+Alt+S', recordFollowMe: 'Ctrl+Alt+R' });
    const count = globalShortcut.register.mock.calls.length;
    service.apply({ stopPlayback: 'Ctrl+Alt+S', recordFollowMe: 'Ctrl+Alt+R' });
    expect(globalShortcut.register.mock.calls.length).toBe(count);
    const reported = reports.length;
    service.apply({ stopPlayback: 'Ctrl+Alt+S', recordFollowMe: 'Ctrl+Alt+F' });
    expect(globalShortcut.unregister).toHaveBeenCalledWith('Ctrl+Alt+R');
    expect(reports.length).toBe(reported + 1);
    service.apply({ stopPlayback: 'Ctrl+Alt+F', recordFollowMe: 'Ctrl+Alt+S' });
    expect(last('stopPlayback')).toEqual({ accelerator: 'Ctrl+Alt+F', registered: true });
    expect(last('recordFollowMe')).toEqual({ accelerator: 'Ctrl+Alt+S', registered: true });
    expect([...globalShortcut.registered.keys()].sort()).toEqual(['Ctrl+Alt+F', 'Ctrl+Alt+S']);
  });

  it('refuses the same hotkey for both actions', () => {
    const { service, last } = setup();
    service.apply({ stopPlayback: 'Ctrl+Alt+S', recordFollowMe: 'Ctrl+Alt+S' });
    expect(last('stopPlayback')?.registered).toBe(true);
    expect(last('recordFollowMe')).toMatchObject({ registered: false, error: expect.stringMatching(/already the hotkey for Stop voicemail playback/) });
  });

  it('turns a hotkey off (null) and unregisters everything on teardown', () => {
    const { service, globalShortcut, last } = setup();
    service.apply({ ...DEFAULT_HOTKEYS });
    service.apply({ stopPlayback: null, recordFollowMe: DEFAULT_HOTKEYS.recordFollowMe });
    expect(last('stopPlayback')).toEqual({ accelerator: null, registered: false });
    expect([...globalShortcut.registered.keys()]).toEqual(['CommandOrControl+Shift+F10']);
    service.dispose();
    expect(globalShortcut.registered.size).toBe(0);
    expect(service.status('recordFollowMe')).toBeUndefined();
  });
});
