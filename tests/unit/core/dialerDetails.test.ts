import { describe, expect, it } from 'vitest';
import type { DialerCall } from '../../../preload/contract';
import { columnsOf, DialerDetails } from '../../../main/core/dialer/dialerDetails';
import { contactColumns } from '../../../main/icws/api';

const call = (callId: string): DialerCall => ({ callId, campaignId: 'C1', state: 'connected' });

function details(readContact: (callId: string) => Promise<Record<string, string>>) {
  let changes = 0;
  const d = new DialerDetails({
    readContact,
    unavailableSentence: (error) => (error instanceof Error && error.message === 'licence' ? 'No Dialer for you.' : null),
    describe: () => 'CIC would not say.',
    changed: () => changes++,
  });
  return { d, changes: () => changes };
}

describe('DialerDetails', () => {
  it('reads the contact once per call, and drops an answer that arrives after the call changed', async () => {
    const answers: Record<string, (columns: Record<string, string>) => void> = {};
    const { d } = details((callId) => new Promise((resolve) => (answers[callId] = resolve)));
    d.follow(call('1'));
    expect(d.view(call('1')).call?.contactData).toEqual({ status: 'loading', columns: {} });
    d.follow(call('1'));
    d.follow(call('2'));
    answers['1']!({ Stale: 'yes' });
    answers['2']!({ Fresh: 'yes' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(d.view(call('2')).call?.contactData).toEqual({ status: 'loaded', columns: { Fresh: 'yes' } });
    expect(Object.keys(answers)).toEqual(['1', '2']);
  });

  it("a refusal that is not about the licence falls back to the call's IS_ATTR_ attributes, with CIC's reason", async () => {
    const { d } = details(() => Promise.reject(new Error('not your Dialer session')));
    d.follow(call('1'), { is_attr_premium: '384.00', is_attr_callid: '1', eic_state: 'C' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(d.view(call('1')).call?.contactData).toEqual({ status: 'unavailable', columns: { premium: '384.00' }, reason: 'CIC would not say.' });
    expect(d.view(call('1')).unavailable).toBeUndefined();
  });

  it('a licence refusal turns Dialer off for the session, until cleared', async () => {
    const { d } = details(() => Promise.reject(new Error('licence')));
    d.follow(call('1'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(d.view(call('1'))).toEqual({ call: call('1'), unavailable: 'No Dialer for you.' });
    d.clear();
    expect(d.view(null)).toEqual({ call: null });
  });

  it('marked for finishing belongs to its call; sent values become the current ones', async () => {
    const { d } = details(async () => ({ Premium: '1' }));
    d.follow(call('1'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    d.setMarked('1');
    d.updated('1', { Premium: '2' });
    expect(d.view(call('1')).call).toMatchObject({ markedForFinishing: true, contactData: { columns: { Premium: '2' } } });
    d.follow(call('2'));
    expect(d.markedForFinishing('2')).toBe(false);
    expect(d.view(call('2')).call?.markedForFinishing).toBeUndefined();
  });

  it('columnsOf takes only Dialer column attributes', () => {
    expect(columnsOf({ IS_ATTR_ADDRESS: 'Main St', is_attr_CampaignName: 'R', is_attr_: 'x', Eic_State: 'C' })).toEqual({ ADDRESS: 'Main St' });
  });
});

describe('contactColumns', () => {
  it('keeps string columns of the first contact, bounded, and nothing a server could use to reach the prototype', () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`c${i}`, 'v']));
    expect(Object.keys(contactColumns({ contacts: [{ contactdata: many }] }))).toHaveLength(200);
    expect(contactColumns({ contacts: [{ contactdata: { a: 'x'.repeat(5000), b: 5, ['x'.repeat(129)]: 'long name' } }] })).toEqual({ a: 'x'.repeat(4000) });
    expect(contactColumns(JSON.parse('{"contacts":[{"contactdata":{"__proto__":"p","ok":"1"}}]}'))).toEqual({ ok: '1' });
    for (const body of [null, 'text', { contacts: 'no' }, { contacts: [] }, { contacts: [{ contactdata: ['a'] }] }]) expect(contactColumns(body)).toEqual({});
  });
});
