import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import SettingsPanel from '../../renderer/src/components/SettingsPanel.svelte';
import { FakeCompanion, defaultSettings, signedIn } from './fakeCompanion';
import type { Settings, SettingsPatch } from '../../preload/contract';

function saving(fake: FakeCompanion) {
  return fake.handle('settings.update', (patch) => {
    const p = patch as SettingsPatch;
    const next: Settings = {
      ...fake.settings,
      ...(p.startAtLogin !== undefined ? { startAtLogin: p.startAtLogin } : {}),
      ...(p.startHidden !== undefined ? { startHidden: p.startHidden } : {}),
      hotkeys: { ...fake.settings.hotkeys, ...p.hotkeys },
      notifications: { ...fake.settings.notifications, ...p.notifications },
      bridge: { ...fake.settings.bridge, ...p.bridge },
    };
    fake.pushSettings(next);
    return { ok: true, value: next };
  });
}

async function open(fake: FakeCompanion) {
  render(SettingsPanel, { props: { store: await fake.store(), onclose: () => {} } });
  return userEvent.setup();
}

describe('Settings', () => {
  it('captures a new hotkey by pressing it', async () => {
    const fake = saving(new FakeCompanion(signedIn()));
    const user = await open(fake);
    const group = screen.getByRole('group', { name: 'Stop voicemail playback' });
    expect(group.textContent).toContain('Ctrl+Alt+S');
    await user.click(within(group).getByRole('button', { name: 'Change the stop voicemail playback hotkey' }));
    const capture = within(group).getByRole('button', { name: 'Press the new keys…' });
    expect(document.activeElement).toBe(capture);
    await user.keyboard('{Control>}{Shift>}k{/Shift}{/Control}');
    expect(fake.callsOf('settings.update')).toEqual([{ hotkeys: { stopPlayback: 'CommandOrControl+Shift+K' } }]);
    expect(group.textContent).toContain('Ctrl+Shift+K');
  });

  it('refuses a hotkey that clashes with the other one, or has no modifier', async () => {
    const fake = saving(new FakeCompanion(signedIn()));
    const user = await open(fake);
    const group = screen.getByRole('group', { name: 'Stop voicemail playback' });
    await user.click(within(group).getByRole('button', { name: /Change/ }));
    await user.keyboard('{Control>}{Alt>}r{/Alt}{/Control}');
    expect(group.textContent).toContain('Ctrl+Alt+R is already the hotkey for Record follow-me prompt.');
    await user.keyboard('q');
    expect(group.textContent).toContain('Use Ctrl or Alt with the key');
    await user.keyboard('{Escape}');
    expect(within(group).queryByRole('button', { name: 'Press the new keys…' })).toBeNull();
    expect(fake.callsOf('settings.update')).toHaveLength(0);
  });

  it('shows a hotkey the shell could not register, and lets the agent turn it off', async () => {
    const fake = saving(
      new FakeCompanion(
        signedIn({
          hotkeys: {
            stopPlayback: { accelerator: 'CommandOrControl+Alt+S', registered: true },
            recordFollowMe: { accelerator: 'CommandOrControl+Alt+R', registered: false, error: 'Another application uses Ctrl+Alt+R.' },
          },
        }),
      ),
    );
    const user = await open(fake);
    const stop = screen.getByRole('group', { name: 'Stop voicemail playback' });
    expect(stop.textContent).toContain('Active');
    const record = screen.getByRole('group', { name: 'Record follow-me prompt' });
    expect(record.textContent).toContain('Not active');
    expect(record.textContent).toContain('Another application uses Ctrl+Alt+R.');
    await user.click(within(record).getByRole('button', { name: 'Turn off the record follow-me prompt hotkey' }));
    expect(fake.callsOf('settings.update')).toEqual([{ hotkeys: { recordFollowMe: null } }]);
    expect(record.textContent).toContain('Off');
  });

  it('shows the desktop shortcut to bind where the app cannot register hotkeys (Wayland)', async () => {
    const reason = 'In a Wayland session the desktop decides global shortcuts.';
    const fake = new FakeCompanion(
      signedIn({
        hotkeys: {
          stopPlayback: { accelerator: 'CommandOrControl+Shift+F9', registered: false, error: reason, desktopShortcut: 'icws-companion --stop-playback' },
          recordFollowMe: { accelerator: null, registered: false },
        },
      }),
    );
    await open(fake);
    const stop = screen.getByRole('group', { name: 'Stop voicemail playback' });
    expect(stop.textContent).toContain('Needs a desktop shortcut');
    expect(stop.textContent).not.toContain('Not active');
    expect(stop.textContent).toContain(reason);
    expect(within(stop).getByText('icws-companion --stop-playback').tagName).toBe('CODE');
  });

  it('toggles notifications, start-up and the bridge', async () => {
    const fake = saving(new FakeCompanion(signedIn()));
    const user = await open(fake);
    await user.click(screen.getByRole('checkbox', { name: 'A new voicemail arrived' }));
    await user.click(screen.getByRole('checkbox', { name: 'Start when I log in to this computer' }));
    await user.click(screen.getByRole('checkbox', { name: 'Start hidden in the tray' }));
    await user.click(screen.getByRole('checkbox', { name: /Let other tools on this computer/ }));
    expect(fake.callsOf('settings.update')).toEqual([
      { notifications: { voicemail: false } },
      { startAtLogin: true },
      { startHidden: true },
      { bridge: { enabled: true } },
    ]);
    expect((screen.getByRole('checkbox', { name: 'A new voicemail arrived' }) as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText('Local bridge setting saved.')).toBeTruthy();
  });

  it('lists certificate pins and removes one', async () => {
    const pin = { host: 'cic1:8019', fingerprint256: 'AB:'.repeat(31) + 'AB', addedAt: '2025-01-01T00:00:00Z' };
    const fake = new FakeCompanion(signedIn(), { ...defaultSettings(), certificatePins: [pin] }).handle('certificates.unpin', () => {
      fake.pushSettings({ certificatePins: [] });
      return { ok: true, value: fake.settings };
    });
    const user = await open(fake);
    const list = screen.getByRole('list', { name: 'Pinned certificates' });
    expect(list.textContent).toContain('cic1:8019');
    expect(list.textContent).toContain(pin.fingerprint256);
    await user.click(screen.getByRole('button', { name: 'Remove the pin for cic1:8019' }));
    expect(fake.callsOf('certificates.unpin')).toEqual([{ host: 'cic1:8019' }]);
    expect(screen.getByText(/No pinned certificates/)).toBeTruthy();
  });

  it('shows a failure to save', async () => {
    const fake = new FakeCompanion(signedIn()).fail('settings.update', 'internal', 'The settings file could not be written.');
    const user = await open(fake);
    await user.click(screen.getByRole('checkbox', { name: 'Start hidden in the tray' }));
    expect(screen.getByText(/The settings file could not be written/)).toBeTruthy();
  });
});
