import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../../renderer/src/App.svelte';
import SettingsPanel from '../../renderer/src/components/SettingsPanel.svelte';
import { noPolicy, type PolicyState, type PublicState } from '../../preload/contract';
import { emptyState } from '../../renderer/src/lib/store.svelte';
import { FakeCompanion, defaultSettings, signedIn } from './fakeCompanion';

const REASON = 'Managed by the contact-center IT team, extension 4400.';
const PIN = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

function policy(patch: Partial<PolicyState>): PolicyState {
  return { ...noPolicy(), file: '/etc/icws-companion/policy.json', reason: REASON, ...patch };
}

const connected = () => ({ ok: true as const, value: { status: 'connected' as const, userId: 'agent1', displayName: 'Agent One' } });

const withPolicy = (state: PublicState, patch: Partial<PolicyState>): PublicState => ({ ...state, policy: policy(patch) });

describe('Settings under a policy', () => {
  it('shows each fixed setting locked, says why, and offers no way to change it', async () => {
    const state = withPolicy(signedIn(), {
      managed: {
        'hotkeys.stopPlayback': 'Set by your administrator.',
        'notifications.voicemail': 'Turned off by your administrator.',
        startAtLogin: 'Your administrator has the companion start at login.',
        certificatePins: 'Your administrator decides which certificates are trusted.',
        localBridge: 'Your administrator turned the local bridge off.',
      },
      agentMayPin: false,
      pinnedHosts: ['cic1:8019'],
    });
    const settings = {
      ...defaultSettings(),
      startAtLogin: true,
      notifications: { ...defaultSettings().notifications, voicemail: false },
      certificatePins: [
        { host: 'cic1:8019', fingerprint256: PIN, addedAt: 'policy' },
        { host: 'mine:8019', fingerprint256: PIN, addedAt: '2026-01-01T00:00:00.000Z' },
      ],
    };
    const fake = new FakeCompanion(state, settings);
    render(SettingsPanel, { props: { store: await fake.store(), onclose: () => {} } });

    expect(screen.getByText(/Some settings are set by your administrator and cannot be changed here\./).textContent).toContain(REASON);

    const stop = screen.getByRole('group', { name: 'Stop voicemail playback' });
    expect(within(stop).queryByRole('button')).toBeNull();
    expect(stop.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(stop.getAttribute('aria-describedby')!)!.textContent).toContain('Set by your administrator');
    // The other hotkey is still the agent's.
    expect(within(screen.getByRole('group', { name: 'Record follow-me prompt' })).getByRole('button', { name: /Change/ })).toBeTruthy();

    const voicemail = screen.getByRole('checkbox', { name: 'A new voicemail arrived' }) as HTMLInputElement;
    expect(voicemail.disabled).toBe(true);
    expect(voicemail.checked).toBe(false);
    expect(voicemail.getAttribute('aria-describedby') && document.getElementById(voicemail.getAttribute('aria-describedby')!)!.textContent).toContain(
      'Turned off by your administrator.',
    );
    expect((screen.getByRole('checkbox', { name: 'Station connected, changed or dropped' }) as HTMLInputElement).disabled).toBe(false);

    const login = screen.getByRole('checkbox', { name: 'Start when I log in to this computer' }) as HTMLInputElement;
    expect(login.disabled).toBe(true);
    expect(login.checked).toBe(true);

    const bridge = screen.getByRole('checkbox', { name: 'Let other tools on this computer control the companion' }) as HTMLInputElement;
    expect(bridge.disabled).toBe(true);
    expect(screen.getByText('Your administrator turned the local bridge off.')).toBeTruthy();

    const pins = screen.getByRole('list', { name: 'Pinned certificates' });
    expect(within(pins).queryByRole('button', { name: 'Remove the pin for cic1:8019' })).toBeNull();
    expect(within(pins).getByRole('button', { name: 'Remove the pin for mine:8019' })).toBeTruthy();
    expect(within(pins).getAllByText('Provided by your administrator.')).toHaveLength(1);
    expect(screen.getByText('Your administrator decides which certificates are trusted.')).toBeTruthy();
    expect(fake.callsOf('settings.update')).toEqual([]);
  });

  it('without a policy, shows nothing about an administrator', async () => {
    const fake = new FakeCompanion(signedIn());
    render(SettingsPanel, { props: { store: await fake.store(), onclose: () => {} } });
    expect(screen.queryByText(/administrator/)).toBeNull();
  });
});

describe('Sign-in under a policy', () => {
  it('fixes the server, hides "remember me" and does not offer the demo', async () => {
    const state = withPolicy(emptyState(), {
      servers: ['https://cic1.example.com:8019'],
      serverLocked: true,
      rememberPasswordAllowed: false,
      demoOffered: false,
      managed: {
        server: 'Your administrator set the CIC server.',
        rememberPassword: 'Your administrator does not allow saving passwords on this computer.',
        demo: 'Your administrator turned the demo off.',
      },
    });
    const fake = new FakeCompanion(state, { ...defaultSettings(), server: 'https://cic1.example.com:8019' }).handle('session.signIn', connected);
    render(App, { props: { store: await fake.store() } });
    const server = screen.getByLabelText('Server') as HTMLInputElement;
    expect(server.readOnly).toBe(true);
    expect(server.value).toBe('https://cic1.example.com:8019');
    expect(document.getElementById(server.getAttribute('aria-describedby')!)!.textContent!.trim()).toBe(`Your administrator set the CIC server. ${REASON}`);
    expect(screen.queryByRole('checkbox', { name: /Remember me/ })).toBeNull();
    expect(screen.getByText('Your administrator does not allow saving passwords on this computer.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Try the demo' })).toBeNull();

    const user = userEvent.setup();
    await user.type(screen.getByLabelText('User name'), 'agent1');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(fake.callsOf('session.signIn')).toEqual([{ server: 'https://cic1.example.com:8019', userId: 'agent1', password: 'secret', remember: false }]);
  });

  it('lets the agent choose among the servers IT listed', async () => {
    const servers = ['https://cic1:8019', 'https://cic2:8019'];
    const state = withPolicy(emptyState(), { servers, serverLocked: true, managed: { server: 'Your administrator chose the CIC servers you can use.' } });
    const fake = new FakeCompanion(state, { ...defaultSettings(), server: 'https://cic1:8019' }).handle('session.signIn', connected);
    render(App, { props: { store: await fake.store() } });
    const select = screen.getByRole('combobox', { name: 'Server' }) as HTMLSelectElement;
    expect([...select.options].map((option) => option.value)).toEqual(servers);
    const user = userEvent.setup();
    await user.selectOptions(select, 'https://cic2:8019');
    await user.type(screen.getByLabelText('User name'), 'agent1');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('checkbox', { name: /Remember me/ }));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(fake.callsOf('session.signIn')).toEqual([{ server: 'https://cic2:8019', userId: 'agent1', password: 'secret', remember: true }]);
  });

  it('offers no trust button for a certificate when IT keeps trust to itself', async () => {
    const state = withPolicy(emptyState(), { agentMayPin: false, rememberPasswordAllowed: false, demoOffered: false });
    const fake = new FakeCompanion(state).handle('session.signIn', () => ({
      ok: false,
      error: { kind: 'untrustedCertificate', message: 'The certificate of cic1:8019 is not trusted.', certificate: { host: 'cic1:8019', fingerprint256: PIN } },
    }));
    render(App, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Server'), 'https://cic1:8019');
    await user.type(screen.getByLabelText('User name'), 'agent1');
    await user.type(screen.getByLabelText('Password'), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(within(alert).queryByRole('button', { name: /Trust/ })).toBeNull();
    expect(alert.textContent).toContain('Your administrator decides which certificates are trusted: tell IT about this one.');
  });
});
