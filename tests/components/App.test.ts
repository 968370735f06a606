import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../../renderer/src/App.svelte';
import { FakeCompanion, signedIn, workstation } from './fakeCompanion';

describe('App shell', () => {
  it('status bar: connection, messaging mode, user and server', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation }));
    render(App, { props: { store: await fake.store() } });
    const bar = screen.getByRole('group', { name: 'Connection' });
    expect(bar.textContent).toContain('Connected');
    expect(bar.textContent).toContain('live events');
    expect(bar.textContent).toContain('Agent One');
    expect(bar.textContent).toContain('https://cic1:8019');
  });

  it('reconnecting is visible but keeps the cards, and explains it', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation }));
    render(App, { props: { store: await fake.store() } });
    fake.push({
      connection: {
        ...fake.state.connection,
        status: 'reconnecting',
        error: { kind: 'sessionExpired', message: 'The CIC session expired.' },
      },
    });
    const bar = await screen.findByRole('group', { name: 'Connection' });
    expect(bar.textContent).toContain('Reconnecting');
    expect(screen.getByText(/The CIC session expired\. Your station and calls are not affected/)).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Station' })).toBeTruthy();
  });

  it('announces state changes in the aria-live region', async () => {
    const fake = new FakeCompanion(signedIn());
    render(App, { props: { store: await fake.store() } });
    const live = screen.getByTestId('announcer');
    expect(live.getAttribute('aria-live')).toBe('polite');
    fake.push({ station: workstation });
    expect((await within(live).findByText('Logged in to station 7001.')).tagName).toBe('P');
    fake.push({ followMe: { status: 'recording' } });
    expect(await within(live).findByText(/Your phone is ringing/)).toBeTruthy();
  });

  it('when the window loses the companion it says so, and re-reads the whole state on return', async () => {
    const fake = new FakeCompanion(signedIn());
    render(App, { props: { store: await fake.store() } });
    fake.setLink({ state: 'waiting', attempt: 1, nextAttemptAt: Date.now() + 5000 });
    expect((await screen.findByTestId('companion-link')).textContent).toContain('lost touch with the companion');
    // Meanwhile the station changed and the event was missed.
    fake.state = { ...fake.state, station: workstation };
    const before = fake.callsOf('state.get').length;
    fake.setLink({ state: 'open' });
    expect(await screen.findByText('7001')).toBeTruthy();
    expect(fake.callsOf('state.get').length).toBe(before + 1);
    expect(screen.queryByTestId('companion-link')).toBeNull();
  });

  it('opens settings and signs out', async () => {
    const fake = new FakeCompanion(signedIn());
    render(App, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    expect(screen.getByRole('heading', { name: 'Settings' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Done' }));
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(fake.callsOf('session.signOut')).toHaveLength(1);
  });

  it('shows the settings file warning', async () => {
    const fake = new FakeCompanion(signedIn({ warnings: ['The settings file was unreadable; defaults are in use.'] }));
    render(App, { props: { store: await fake.store() } });
    expect(screen.getByText('The settings file was unreadable; defaults are in use.')).toBeTruthy();
  });
});
