import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import DialerCard from '../../renderer/src/components/DialerCard.svelte';
import { FakeCompanion, signedIn, workstation } from './fakeCompanion';
import type { DialerCall } from '../../preload/contract';

const call: DialerCall = {
  callId: '1001',
  campaignId: '64BDEC2E-4AE1-4F1F-8C47-79C34433D6FC',
  remoteName: 'Pat Customer',
  remoteAddress: '+13175550199',
  state: 'connected',
};

describe('Dialer call card', () => {
  it('no Dialer call: says so, with nothing to send', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation }));
    render(DialerCard, { props: { store: await fake.store() } });
    expect(screen.getByText(/No Dialer call right now/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Update call data' })).toBeNull();
  });

  it('shows the active call: name, number and campaign', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, dialer: { call } }));
    render(DialerCard, { props: { store: await fake.store() } });
    const facts = screen.getByLabelText('Active Dialer call');
    expect(facts.textContent).toContain('Pat Customer');
    expect(facts.textContent).toContain('+13175550199');
    expect(facts.textContent).toContain(call.campaignId);
    expect(screen.getByText('Connected')).toBeTruthy();
  });

  it('edits call data as rows (add, edit, remove) and updates it', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, dialer: { call } }));
    render(DialerCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Key 1'), 'Outcome');
    await user.type(screen.getByLabelText('Value 1'), 'Promise to pay');
    await user.click(screen.getByRole('button', { name: 'Add entry' }));
    await user.type(screen.getByLabelText('Key 2'), 'Drop');
    await user.type(screen.getByLabelText('Value 2'), 'me');
    await user.click(screen.getByRole('button', { name: 'Add entry' }));
    await user.type(screen.getByLabelText('Key 3'), 'Amount');
    await user.type(screen.getByLabelText('Value 3'), '120.50');
    await user.click(screen.getByRole('button', { name: 'Remove entry 2' }));
    expect(screen.queryByLabelText('Key 3')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Update call data' }));
    expect(fake.callsOf('dialer.updateCallData')).toEqual([
      { callId: '1001', campaignId: call.campaignId, callAttributes: { Outcome: 'Promise to pay', Amount: '120.50' } },
    ]);
    expect(screen.getByText('Call data updated (2 entries).')).toBeTruthy();
  });

  it('validates: duplicate keys and values without a key are caught before sending', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, dialer: { call } }));
    render(DialerCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Update call data' }));
    expect(screen.getByText(/Add at least one entry with a key/)).toBeTruthy();
    await user.type(screen.getByLabelText('Key 1'), 'Outcome');
    await user.click(screen.getByRole('button', { name: 'Add entry' }));
    await user.type(screen.getByLabelText('Key 2'), 'Outcome');
    await user.click(screen.getByRole('button', { name: 'Add entry' }));
    await user.type(screen.getByLabelText('Value 3'), 'orphan');
    await user.click(screen.getByRole('button', { name: 'Update call data' }));
    expect(screen.getByText('The key "Outcome" is used twice.')).toBeTruthy();
    expect(screen.getByText('Give this entry a key.')).toBeTruthy();
    expect(screen.getByText(/Fix the highlighted call data first/)).toBeTruthy();
    expect((screen.getByLabelText('Key 2') as HTMLInputElement).getAttribute('aria-invalid')).toBe('true');
    expect(fake.callsOf('dialer.updateCallData')).toHaveLength(0);
  });

  it('marks for finishing, with or without the call data', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, dialer: { call } }));
    render(DialerCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Mark for finishing' }));
    await user.type(screen.getByLabelText('Key 1'), 'Reason');
    await user.type(screen.getByLabelText('Value 1'), 'Needs a supervisor');
    await user.click(screen.getByRole('checkbox', { name: /Send the call data above/ }));
    await user.click(screen.getByRole('button', { name: 'Mark for finishing' }));
    expect(fake.callsOf('dialer.markForFinishing')).toEqual([
      { callId: '1001', campaignId: call.campaignId },
      { callId: '1001', campaignId: call.campaignId, callAttributes: { Reason: 'Needs a supervisor' } },
    ]);
    expect(screen.getByText('Call marked for a finishing agent.')).toBeTruthy();
  });

  it('shows the contract error inline, and a new call starts clean', async () => {
    const fake = new FakeCompanion(signedIn({ station: workstation, dialer: { call } })).fail(
      'dialer.updateCallData',
      'forbidden',
      'You need a Dialer licence to change call data.',
    );
    render(DialerCard, { props: { store: await fake.store() } });
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Key 1'), 'A');
    await user.click(screen.getByRole('button', { name: 'Update call data' }));
    expect(screen.getByText(/You need a Dialer licence/)).toBeTruthy();
    fake.push({ dialer: { call: { ...call, callId: '1002', remoteName: 'Sam Next' } } });
    expect(await screen.findByText('Sam Next')).toBeTruthy();
    expect(screen.queryByText(/You need a Dialer licence/)).toBeNull();
    expect((screen.getByLabelText('Key 1') as HTMLInputElement).value).toBe('');
  });
});
