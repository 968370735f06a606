import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../../renderer/src/App.svelte';
import { FakeCompanion, info, signedIn, voicemails, workstation } from './fakeCompanion';
import type { DialerCall, FollowMeStatus, PublicState } from '../../preload/contract';

const call: DialerCall = {
  callId: '1001',
  campaignId: '64BDEC2E-4AE1-4F1F-8C47-79C34433D6FC',
  campaignName: 'Renewals',
  remoteName: 'Morgan Ellis',
  remoteAddress: '+13175550123',
  state: 'connected',
  contactData: { status: 'loaded', columns: { Premium: '384.00', Notes: '' } },
};

const registered = { accelerator: 'CommandOrControl+Alt+S', registered: true };

async function app(patch: Partial<PublicState>) {
  const fake = new FakeCompanion(signedIn({ station: workstation, ...patch }));
  render(App, { props: { store: await fake.store() } });
  return fake;
}

const now = () => screen.getByRole('region', { name: 'Now' });

describe('Now: live work at the top of the window', () => {
  it('is absent while nothing is live', async () => {
    await app({ voicemail: { messages: voicemails(2), playing: null, waiting: 1 } });
    expect(screen.queryByRole('region', { name: 'Now' })).toBeNull();
  });

  it('comes before every card, and shows the voicemail playing with Stop and its hotkey', async () => {
    const messages = voicemails(3);
    const fake = await app({ voicemail: { messages, playing: 'vm-2', waiting: 1 }, hotkeys: { ...signedIn().hotkeys, stopPlayback: registered } });
    fake.handle('voicemail.stop', () => {
      fake.push({ voicemail: { ...fake.state.voicemail, playing: null } });
      return { ok: true, value: null };
    });
    const region = now();
    const station = screen.getByRole('region', { name: 'Station' });
    expect(region.compareDocumentPosition(station) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const playing = within(region).getByRole('group', { name: 'Now playing' });
    expect(playing.textContent).toContain('Caller 2');
    expect(playing.textContent).toContain('Message 2');
    const stop = within(playing).getByRole('button', { name: 'Stop playback' });
    expect(stop.getAttribute('aria-keyshortcuts')).toBe('Control+Alt+S');
    expect(stop.querySelector('kbd')?.textContent).toBe('Ctrl+Alt+S');

    await userEvent.setup().click(stop);
    expect(fake.callsOf('voicemail.stop')).toEqual([{ id: 'vm-2' }]);
    expect(screen.queryByRole('region', { name: 'Now' })).toBeNull();
    // Focus goes back to where the agent would play it again.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Play voicemail from Caller 2' }));
  });

  it('the follow-me recording in progress: Preview, then Commit; Cancel keeps the old prompt', async () => {
    const fake = await app({ followMe: { status: 'recording' } });
    for (const [verb, status] of [
      ['preview', 'previewing'],
      ['commit', 'committed'],
      ['cancel', 'idle'],
    ] as const) {
      fake.handle(`followMe.${verb}`, () => {
        fake.push({ followMe: { status: status as FollowMeStatus } });
        return { ok: true, value: { status } };
      });
    }
    const user = userEvent.setup();
    const recording = within(now()).getByRole('group', { name: 'Follow-me recording' });
    expect(recording.textContent).toContain('Recording');
    await user.click(within(recording).getByRole('button', { name: 'Preview' }));
    expect(within(now()).getByRole('group', { name: 'Follow-me recording' }).textContent).toContain('Playing back');
    await user.click(within(now()).getByRole('button', { name: 'Commit' }));
    expect(fake.callsOf('followMe.commit')).toHaveLength(1);
    expect(screen.queryByRole('region', { name: 'Now' })).toBeNull();
    expect(screen.getByText(/Your new follow-me prompt is saved/)).toBeTruthy();

    fake.push({ followMe: { status: 'recording' } });
    await user.click(within(await screen.findByRole('region', { name: 'Now' })).getByRole('button', { name: 'Cancel' }));
    expect(fake.callsOf('followMe.cancel')).toHaveLength(1);
    expect(screen.getByTestId('announcer').textContent).toContain('Recording cancelled. Your previous prompt stays.');
  });

  it('the Dialer call: contact, number, campaign by name with the id on demand, and Mark for finishing once', async () => {
    const fake = await app({ dialer: { call } });
    fake.handle('dialer.markForFinishing', () => {
      fake.push({ dialer: { call: { ...call, markedForFinishing: true } } });
      return { ok: true, value: null };
    });
    const active = within(now()).getByRole('group', { name: 'Active Dialer call' });
    expect(active.textContent).toContain('Morgan Ellis');
    expect(active.textContent).toContain('+13175550123');
    expect(active.textContent).toContain('Renewals');
    expect(active.textContent).not.toContain(call.campaignId);
    const user = userEvent.setup();
    const showId = within(active).getByRole('button', { name: 'Show id' });
    expect(showId.getAttribute('aria-expanded')).toBe('false');
    await user.click(showId);
    expect(active.textContent).toContain(call.campaignId);

    await user.click(within(active).getByRole('button', { name: 'Mark for finishing' }));
    expect(fake.callsOf('dialer.markForFinishing')).toEqual([{ callId: '1001', campaignId: call.campaignId }]);
    const marked = within(now()).getByRole('status');
    expect(marked.textContent).toContain('Marked for finishing');
    expect(within(now()).queryByRole('button', { name: 'Mark for finishing' })).toBeNull();
  });

  it('a campaign CIC does not name shows the id on demand only', async () => {
    const { campaignName: _name, ...unnamed } = call;
    await app({ dialer: { call: unnamed } });
    const active = within(now()).getByRole('group', { name: 'Active Dialer call' });
    expect(active.textContent).toContain('not named by CIC');
    expect(active.textContent).not.toContain(call.campaignId);
  });

  it('without a Dialer licence: one short sentence in the whole window, and no Dialer action to press', async () => {
    const sentence = 'Dialer actions are not available to you: your CIC account has no Dialer licence.';
    await app({ dialer: { call: { ...call, contactData: undefined }, unavailable: sentence } });
    expect(screen.getAllByText(sentence)).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Mark for finishing' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save call data' })).toBeNull();
    expect(within(now()).getByRole('group', { name: 'Active Dialer call' }).textContent).toContain('Morgan Ellis');
  });
});

describe('Nothing stale', () => {
  it('Settings opens without unmounting the main view: typed call data and results survive', async () => {
    const fake = await app({ dialer: { call } });
    fake.fail('voicemail.markRead', 'refused', 'CIC would not change that voicemail.');
    fake.push({ voicemail: { messages: voicemails(1), playing: null, waiting: 1 } });
    const user = userEvent.setup();
    await user.type(screen.getByRole('textbox', { name: 'Notes' }), 'Call back Friday');
    await user.click(await screen.findByRole('button', { name: 'Mark read: voicemail from Caller 1' }));
    const voicemail = () => screen.getByRole('region', { name: 'Voicemail' });
    expect(within(voicemail()).getByText('CIC would not change that voicemail.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Settings' }));
    expect(screen.getByRole('heading', { name: 'Settings' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Call data' })).toBeNull();
    // What is live stays on top while settings are open.
    expect(within(now()).getByRole('group', { name: 'Active Dialer call' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    expect((screen.getByRole('textbox', { name: 'Notes' }) as HTMLInputElement).value).toBe('Call back Friday');
    expect(within(voicemail()).getByText('CIC would not change that voicemail.')).toBeTruthy();
  });

  it('the header follows the link to the companion', async () => {
    const fake = await app({});
    const status = screen.getByTestId('connection-status');
    expect(status.textContent).toContain('Connected');
    fake.setLink({ state: 'waiting', attempt: 1, nextAttemptAt: Date.now() + 5000 });
    await Promise.resolve();
    expect(status.textContent).toContain('Companion unreachable');
    expect(status.textContent).not.toContain('live events');
    // Signing out needs the companion: not offered while it cannot be reached.
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
    fake.setLink({ state: 'open' });
    expect((await screen.findByTestId('connection-status')).textContent).toContain('Connected');
  });

  it('after a failed sign-in the header names nobody', async () => {
    const fake = new FakeCompanion({
      ...signedIn(),
      connection: { status: 'failed', server: 'https://cic1:8019', userId: 'agent1', error: { kind: 'authenticationFailed', message: 'Wrong.' } },
    });
    render(App, { props: { store: await fake.store() } });
    const bar = screen.getByRole('group', { name: 'Connection' });
    expect(bar.textContent).toContain('Not connected');
    expect(bar.textContent).not.toContain('agent1');
    expect(bar.textContent).not.toContain('cic1');
  });

  it('in the browser, Settings says hotkeys belong to the desktop app', async () => {
    await app({});
    expect(info.runtime).toBe('node');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Settings' }));
    expect(screen.getByText(/Hotkeys belong to the desktop app/)).toBeTruthy();
  });
});
