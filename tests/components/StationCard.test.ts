import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import StationCard from '../../renderer/src/components/StationCard.svelte';
import { FakeCompanion, signedIn, workstation } from './fakeCompanion';

describe('Station card', () => {
  it('no station: says so and logs in to a workstation', async () => {
    const fake = new FakeCompanion(signedIn()).handle('station.logIn', () => {
      fake.push({ station: workstation });
      return { ok: true, value: workstation };
    });
    render(StationCard, { props: { store: await fake.store() } });
    expect(screen.getByText('No station')).toBeTruthy();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Workstation'), '7001');
    await user.click(screen.getByRole('button', { name: 'Log in to station' }));
    expect(fake.callsOf('station.logIn')).toEqual([{ kind: 'workstation', workstation: '7001' }]);
    expect(screen.getByText('Logged in')).toBeTruthy();
    expect(screen.getByText('7001')).toBeTruthy();
    expect(screen.getByText(/Logged in to station 7001\./)).toBeTruthy();
  });

  it('says why CIC dropped the station, until the agent logs in again', async () => {
    const reason = 'Your connection has been dropped due to a subsequent logon to a different station.';
    const fake = new FakeCompanion(signedIn({ station: null, stationDropReason: reason }));
    render(StationCard, { props: { store: await fake.store() } });
    expect(screen.getByRole('status').textContent).toBe(reason);
    fake.push({ station: workstation, stationDropReason: null });
    await Promise.resolve();
    expect(screen.queryByText(reason)).toBeNull();
  });

  it('shows the current station: extension, kind and media types', async () => {
    const fake = new FakeCompanion(signedIn({ station: { ...workstation, kind: 'remoteWorkstation', remoteNumber: '+13175550100' } }));
    render(StationCard, { props: { store: await fake.store() } });
    const facts = screen.getByLabelText('Current station');
    expect(facts.textContent).toContain('7001');
    expect(facts.textContent).toContain('Remote workstation');
    expect(facts.textContent).toContain('Calls, Chats');
    expect(facts.textContent).toContain('+13175550100');
    expect(screen.queryByRole('button', { name: 'Log in to station' })).toBeNull();
  });

  it('logs in to a remote number, checking the number first', async () => {
    const fake = new FakeCompanion(signedIn());
    render(StationCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.click(screen.getByRole('radio', { name: /Remote number/ }));
    expect(screen.queryByLabelText('Workstation')).toBeNull();
    await user.type(screen.getByLabelText('Remote number'), 'call me');
    await user.click(screen.getByRole('button', { name: 'Log in to station' }));
    expect(screen.getByText(/Enter a phone number using digits/)).toBeTruthy();
    expect(fake.callsOf('station.logIn')).toHaveLength(0);
    await user.clear(screen.getByLabelText('Remote number'));
    await user.type(screen.getByLabelText('Remote number'), '+1 317 555 0100');
    await user.click(screen.getByRole('checkbox', { name: /Keep the line open/ }));
    await user.click(screen.getByRole('button', { name: 'Log in to station' }));
    expect(fake.callsOf('station.logIn')).toEqual([{ kind: 'remoteNumber', remoteNumber: '+1 317 555 0100', persistent: true }]);
  });

  it('remote workstation sends the optional number only when given', async () => {
    const fake = new FakeCompanion(signedIn());
    render(StationCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.click(screen.getByRole('radio', { name: /Remote workstation/ }));
    await user.type(screen.getByLabelText('Workstation'), 'ws-12');
    await user.click(screen.getByRole('button', { name: 'Log in to station' }));
    expect(fake.callsOf('station.logIn')).toEqual([{ kind: 'remoteWorkstation', workstation: 'ws-12' }]);
  });

  it('shows the contract error inline when the log in fails', async () => {
    const fake = new FakeCompanion(signedIn()).fail('station.logIn', 'forbidden', 'You do not have the "Logon Stations" right.');
    render(StationCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Workstation'), '7001');
    await user.click(screen.getByRole('button', { name: 'Log in to station' }));
    // One sentence in the agent's words: no "Could not do that:" in front of the contract's own sentence.
    expect((await screen.findByText(/Logon Stations/)).textContent).toBe('You do not have the "Logon Stations" right.');
  });

  it('offers the station this agent used last time on this server', async () => {
    const fake = new FakeCompanion(signedIn({ connection: { ...signedIn().connection, lastStation: { kind: 'remoteWorkstation', workstation: '7002', remoteNumber: '+13175550100' } } }));
    render(StationCard, { props: { store: await fake.store() } });
    expect((screen.getByRole('radio', { name: /Remote workstation/ }) as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Workstation') as HTMLInputElement).value).toBe('7002');
    expect((screen.getByLabelText('Remote number (optional)') as HTMLInputElement).value).toBe('+13175550100');
    expect(screen.getByText('The station you used last time on this server.')).toBeTruthy();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Log in to station' }));
    expect(fake.callsOf('station.logIn')).toEqual([{ kind: 'remoteWorkstation', workstation: '7002', remoteNumber: '+13175550100' }]);
  });

  it('a result goes with the station it describes: "Logged in" when CIC drops it, "Logged out" when a new one comes', async () => {
    const fake = new FakeCompanion(signedIn()).handle('station.logIn', () => {
      fake.push({ station: workstation });
      return { ok: true, value: workstation };
    });
    render(StationCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Workstation'), '7001');
    await user.click(screen.getByRole('button', { name: 'Log in to station' }));
    expect(screen.getByText(/Logged in to station 7001\./)).toBeTruthy();
    fake.push({ station: null, stationDropReason: 'Your connection has been dropped.' });
    await Promise.resolve();
    expect(screen.getByText('No station')).toBeTruthy();
    expect(screen.queryByText(/Logged in to station 7001\./)).toBeNull();
    expect(screen.queryByText('Logged in')).toBeNull();
  });

  it('logs out', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation })).handle('station.logOut', () => {
      fake.push({ station: null });
      return { ok: true, value: null };
    });
    render(StationCard, { props: { store: await fake.store() } });
    await userEvent.setup().click(screen.getByRole('button', { name: 'Log out of station' }));
    expect(fake.callsOf('station.logOut')).toHaveLength(1);
    expect(screen.getByText('No station')).toBeTruthy();
    expect(screen.getByText('Logged out of the station.')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Station' })).getByRole('button', { name: 'Log in to station' })).toBeTruthy();
  });
});
