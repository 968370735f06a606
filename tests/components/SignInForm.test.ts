import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import App from '../../renderer/src/App.svelte';
import { FakeCompanion, defaultSettings, signedIn } from './fakeCompanion';

const fingerprint = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';

async function signInWith(fake: FakeCompanion, password = 'secret') {
  const store = await fake.store();
  render(App, { props: { store } });
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Server'), 'https://cic1:8019');
  await user.type(screen.getByLabelText('User name'), 'agent1');
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  return { store, user };
}

describe('Sign in', () => {
  it('signed out: shows the form and offers the demo when nothing is configured', async () => {
    const fake = new FakeCompanion();
    render(App, { props: { store: await fake.store() } });
    expect(screen.getByRole('heading', { name: 'Sign in to CIC' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Try the demo' })).toBeTruthy();
    expect(screen.getByTestId('connection-status').textContent).toContain('Signed out');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try the demo' }));
    expect(fake.callsOf('session.startDemo')).toHaveLength(1);
  });

  it('does not offer the demo once a server is configured, and prefills it', async () => {
    const fake = new FakeCompanion(undefined, { ...defaultSettings(), server: 'https://cic1:8019', userId: 'agent7' });
    render(App, { props: { store: await fake.store() } });
    expect(screen.queryByRole('button', { name: 'Try the demo' })).toBeNull();
    expect((screen.getByLabelText('Server') as HTMLInputElement).value).toBe('https://cic1:8019');
    expect((screen.getByLabelText('User name') as HTMLInputElement).value).toBe('agent7');
  });

  it("puts the problem with the agent's own server first: no demo offer beside it", async () => {
    const fake = new FakeCompanion().handle('session.signIn', () => ({
      ok: false,
      error: { kind: 'network', message: 'The CIC server at cic1:8019 could not be reached (connection refused).' },
    }));
    await signInWith(fake);
    expect(screen.getByRole('alert').textContent).toMatch(/could not be reached/);
    expect(screen.queryByRole('button', { name: 'Try the demo' })).toBeNull();
  });

  it('keeps offering the demo when the demo itself failed, so the agent can try again', async () => {
    const fake = new FakeCompanion().handle('session.startDemo', () => ({
      ok: false,
      error: { kind: 'internal', message: 'The demo server could not start.' },
    }));
    render(App, { props: { store: await fake.store() } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try the demo' }));
    expect(screen.getByRole('alert').textContent).toContain('The demo server could not start.');
    expect(screen.getByRole('button', { name: 'Try the demo' })).toBeTruthy();
  });

  it('says what is missing instead of sending an empty form', async () => {
    const fake = new FakeCompanion();
    render(App, { props: { store: await fake.store() } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByText(/Enter the CIC server address/)).toBeTruthy();
    expect(screen.getByText('Enter your CIC user name.')).toBeTruthy();
    expect(fake.callsOf('session.signIn')).toHaveLength(0);
  });

  it('sends what the agent typed, including remember me', async () => {
    const fake = new FakeCompanion().handle('session.signIn', () => ({ ok: true, value: { status: 'connected', userId: 'agent1' } }));
    const store = await fake.store();
    render(App, { props: { store } });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Server'), ' https://cic1:8019 ');
    await user.type(screen.getByLabelText('User name'), 'agent1');
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('checkbox', { name: /Remember me/ }));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(fake.callsOf('session.signIn')).toEqual([{ server: 'https://cic1:8019', userId: 'agent1', password: 'pw', remember: true }]);
  });

  it('wrong password: a clear error with the contract message', async () => {
    const fake = new FakeCompanion().fail('session.signIn', 'authenticationFailed', 'The user name or password is not correct.');
    await signInWith(fake, 'wrong');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Wrong user name or password');
    expect(alert.textContent).toContain('The user name or password is not correct.');
  });

  it('an earlier error is not left beside a form that now stops at an empty field', async () => {
    const fake = new FakeCompanion().fail('session.signIn', 'invalidInput', 'That password is too long.');
    const { user } = await signInWith(fake);
    expect((await screen.findByRole('alert')).textContent).toContain('That password is too long.');
    await user.clear(screen.getByLabelText('User name'));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('Enter your CIC user name.')).toBeTruthy();
    expect(screen.queryAllByRole('alert').map((alert) => alert.textContent).join(' ')).not.toContain('That password is too long.');
    expect(fake.callsOf('session.signIn')).toHaveLength(1);
  });

  it('unreachable server and switchover each say so', async () => {
    const fake = new FakeCompanion().fail('session.signIn', 'network', 'cic9 could not be reached.');
    const { user } = await signInWith(fake);
    expect((await screen.findByRole('alert')).textContent).toContain('The server is not reachable');
    fake.fail('session.signIn', 'unavailable', 'The server is switching over to its backup. Try again shortly.');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The server is switching over');
    expect(alert.textContent).toContain('Try again shortly.');
  });

  it('untrusted certificate without a fingerprint: says so, and offers nothing to trust', async () => {
    const certificate = { host: 'cic1:8019', fingerprint256: '' };
    const fake = new FakeCompanion().handle('session.signIn', () => ({
      ok: false,
      error: { kind: 'untrustedCertificate', message: 'The certificate of cic1:8019 is not trusted (net::ERR_CERT_DATE_INVALID).', certificate },
    }));
    await signInWith(fake);
    expect((await screen.findByRole('alert')).textContent).toContain('ERR_CERT_DATE_INVALID');
    expect(screen.queryByRole('button', { name: /Trust this certificate/ })).toBeNull();
    expect(screen.queryByTestId('fingerprint')).toBeNull();
  });

  it('untrusted certificate: shows the fingerprint, pins it and signs in again', async () => {
    const certificate = { host: 'cic1:8019', fingerprint256: fingerprint, subject: 'CN=cic1', issuer: 'CN=Example CA' };
    let attempts = 0;
    const fake = new FakeCompanion().handle('session.signIn', () =>
      ++attempts === 1
        ? { ok: false, error: { kind: 'untrustedCertificate', message: 'The certificate of cic1:8019 is not trusted.', certificate } }
        : { ok: true, value: { status: 'connected', userId: 'agent1' } },
    );
    fake.handle('certificates.pin', () => ({ ok: true, value: defaultSettings() }));
    const { user } = await signInWith(fake);
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByTestId('fingerprint').textContent).toBe(fingerprint);
    expect(alert.textContent).toContain('CN=Example CA');
    await user.click(within(alert).getByRole('button', { name: 'Trust this certificate and sign in' }));
    expect(fake.callsOf('certificates.pin')).toEqual([{ host: 'cic1:8019', fingerprint256: fingerprint }]);
    expect(fake.callsOf('session.signIn')).toHaveLength(2);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a session that failed on its own shows why on the sign-in form', async () => {
    const fake = new FakeCompanion({
      ...signedIn(),
      connection: { status: 'failed', error: { kind: 'sessionExpired', message: 'Your CIC session ended and could not be restored.' } },
    });
    render(App, { props: { store: await fake.store() } });
    expect((await screen.findByRole('alert')).textContent).toContain('Your CIC session ended and could not be restored.');
  });

  it('signing in moves to the cards when the state says connected', async () => {
    const fake = new FakeCompanion();
    const store = await fake.store();
    render(App, { props: { store } });
    fake.push(signedIn());
    expect(await screen.findByRole('heading', { name: 'Station' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Voicemail' })).toBeTruthy();
    expect(screen.queryByRole('heading', { name: 'Sign in to CIC' })).toBeNull();
  });
});
