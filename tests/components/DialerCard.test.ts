import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import DialerCard from '../../renderer/src/components/DialerCard.svelte';
import { FakeCompanion, signedIn, workstation } from './fakeCompanion';
import type { DialerCall } from '../../preload/contract';

const columns = { AccountNumber: 'RN-48213', PolicyType: 'Home', Premium: '384.00', Notes: '' };
const call: DialerCall = {
  callId: '1001',
  campaignId: '64BDEC2E-4AE1-4F1F-8C47-79C34433D6FC',
  campaignName: 'Renewals',
  remoteName: 'Pat Customer',
  remoteAddress: '+13175550199',
  state: 'connected',
  contactData: { status: 'loaded', columns },
};

async function withCall(dialerCall: DialerCall = call) {
  const fake = new FakeCompanion(signedIn({ station: workstation, dialer: { call: dialerCall } }));
  render(DialerCard, { props: { store: await fake.store() } });
  return fake;
}

const input = (name: string) => screen.getByRole('textbox', { name }) as HTMLInputElement;

describe('Call data card', () => {
  it('no Dialer call: says so, with nothing to send', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation }));
    render(DialerCard, { props: { store: await fake.store() } });
    expect(screen.getByText(/No Dialer call right now/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Save call data' })).toBeNull();
  });

  it("shows every column of the contact with its current value before any editing", async () => {
    await withCall();
    expect(input('AccountNumber').value).toBe('RN-48213');
    expect(input('PolicyType').value).toBe('Home');
    expect(input('Premium').value).toBe('384.00');
    expect(input('Notes').value).toBe('');
    expect((screen.getByRole('button', { name: 'Save call data' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.queryByRole('list', { name: 'New fields' })).toBeNull();
  });

  it('edits values in place and sends only what changed; the saved values become the current ones', async () => {
    const fake = await withCall();
    fake.handle('dialer.updateCallData', (params) => {
      fake.push({ dialer: { call: { ...call, contactData: { status: 'loaded', columns: { ...columns, ...params.callAttributes } } } } });
      return { ok: true, value: null };
    });
    const user = userEvent.setup();
    await user.clear(input('Premium'));
    await user.type(input('Premium'), '412.00');
    await user.type(input('Notes'), 'Renewed by phone');
    expect(screen.getByText('2 unsaved')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save call data' }));
    expect(fake.callsOf('dialer.updateCallData')).toEqual([
      { callId: '1001', campaignId: call.campaignId, callAttributes: { Premium: '412.00', Notes: 'Renewed by phone' } },
    ]);
    expect(screen.getByText('Call data saved (2 fields).')).toBeTruthy();
    expect(screen.queryByText(/unsaved/)).toBeNull();
    expect(input('Premium').value).toBe('412.00');
    // A new edit makes "saved" untrue: the message goes with it.
    await user.type(input('Notes'), '!');
    expect(screen.queryByText('Call data saved (2 fields).')).toBeNull();
    expect(screen.getByText('1 unsaved')).toBeTruthy();
  });

  it('adds a field only when asked, and checks its name against the contact before sending', async () => {
    const fake = await withCall();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Add a field' }));
    await user.type(input('New field 1 name'), 'premium');
    await user.type(input('New field 1 value'), '1');
    await user.click(screen.getByRole('button', { name: 'Add a field' }));
    await user.type(input('New field 2 value'), 'x');
    await user.click(screen.getByRole('button', { name: 'Save call data' }));
    expect(fake.callsOf('dialer.updateCallData')).toHaveLength(0);
    expect(screen.getByText('"premium" is already a field: change it above.')).toBeTruthy();
    expect(screen.getByText('Give this field a name.')).toBeTruthy();
    expect(input('New field 1 name').getAttribute('aria-invalid')).toBe('true');

    await user.click(screen.getByRole('button', { name: 'Remove new field 2' }));
    await user.clear(input('New field 1 name'));
    await user.type(input('New field 1 name'), 'Outcome');
    await user.click(screen.getByRole('button', { name: 'Save call data' }));
    expect(fake.callsOf('dialer.updateCallData')).toEqual([{ callId: '1001', campaignId: call.campaignId, callAttributes: { Outcome: '1' } }]);
  });

  it('while CIC is asked for the data it says so; when CIC gives none, says why and offers to read again', async () => {
    const fake = await withCall({ ...call, contactData: { status: 'loading', columns: {} } });
    expect(screen.getByText("Reading the call's data from CIC…")).toBeTruthy();
    fake.push({
      dialer: {
        call: { ...call, contactData: { status: 'unavailable', columns: { AccountNumber: 'RN-48213' }, reason: "CIC refused to read the call's contact data." } },
      },
    });
    expect(await screen.findByText(/CIC refused to read the call's contact data\. These are the values the call carries\./)).toBeTruthy();
    expect(input('AccountNumber').value).toBe('RN-48213');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Read again' }));
    expect(fake.callsOf('dialer.requestContactData')).toHaveLength(1);
  });

  it('no Dialer licence: the one sentence, no editor', async () => {
    const fake = new FakeCompanion(
      signedIn({
        station: workstation,
        dialer: { call: { ...call, contactData: undefined }, unavailable: 'Dialer actions are not available to you: your CIC account has no Dialer licence.' },
      }),
    );
    render(DialerCard, { props: { store: await fake.store() } });
    const card = screen.getByRole('region', { name: 'Call data' });
    expect(within(card).getByText('Dialer actions are not available to you: your CIC account has no Dialer licence.')).toBeTruthy();
    expect(within(card).queryByRole('textbox')).toBeNull();
    expect(within(card).queryByRole('button')).toBeNull();
  });

  it('shows the contract error inline; a new call starts clean', async () => {
    const fake = await withCall();
    fake.fail('dialer.updateCallData', 'refused', 'CIC did not accept the call data.');
    const user = userEvent.setup();
    await user.type(input('Notes'), 'x');
    await user.click(screen.getByRole('button', { name: 'Save call data' }));
    expect(screen.getByText('CIC did not accept the call data.')).toBeTruthy();
    expect(input('Notes').value).toBe('x');
    fake.push({ dialer: { call: { ...call, callId: '1002', contactData: { status: 'loaded', columns: { Notes: '' } } } } });
    await Promise.resolve();
    expect(screen.queryByText('CIC did not accept the call data.')).toBeNull();
    expect(input('Notes').value).toBe('');
  });
});
