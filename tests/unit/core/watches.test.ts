import { describe, expect, it } from 'vitest';
import { DialerWatch } from '../../../main/core/dialer/dialerWatch';
import { StateStore } from '../../../main/core/stateStore';
import { isoDate, VoicemailWatch } from '../../../main/core/voicemail/voicemailWatch';
import { initialState, type StateChange } from '../../../preload/contract';

const VM = 'urn:inin.com:unifiedMessaging:voicemailMessagesMessage';
const Q = 'urn:inin.com:queues:queueContentsMessage';

describe('VoicemailWatch', () => {
  it('builds the mailbox from the first message and applies added, changed, removed', () => {
    const watch = new VoicemailWatch();
    watch.applyMessages({
      __type: VM,
      isDelta: false,
      voicemailMessagesAdded: [
        { unifiedMessageId: 'a', state: 0, dateReceived: '20261120T091500Z', from: 'Dana', subject: 'VM from Dana' },
        { unifiedMessageId: 'b', state: 1, dateReceived: '20261119T091500Z', from: 'Sam', subject: 'VM from Sam' },
      ],
    });
    watch.applyMessages({ __type: VM, isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: 'a', state: 1 }], voicemailMessagesRemoved: ['b'] });
    expect(watch.state.messages).toEqual([{ id: 'a', from: 'Dana', subject: 'VM from Dana', received: '2026-11-20T09:15:00.000Z', read: true }]);
  });

  it('tracks play status and the message-waiting count', () => {
    const watch = new VoicemailWatch();
    watch.applyMessages({ __type: VM, isDelta: false, voicemailMessagesAdded: [{ unifiedMessageId: 'a', state: 0 }] });
    watch.applyPlayStatus({ __type: 'x', unifiedMessageId: 'a', playStatus: 0 });
    expect(watch.state.playing).toBe('a');
    watch.applyPlayStatus({ __type: 'x', unifiedMessageId: 'other', playStatus: 1 });
    expect(watch.state.playing).toBe('a');
    watch.applyPlayStatus({ __type: 'x', unifiedMessageId: 'a', playStatus: 1 });
    expect(watch.state.playing).toBeNull();
    watch.applyMwi({ __type: 'x', isDelta: false, messagesWaiting: 4 });
    watch.applyMwi({ __type: 'x', isDelta: true, messagesWaiting: 'junk' });
    expect(watch.state.waiting).toBe(4);
  });

  it('keeps the newest messages of a mailbox over its limit, and counts the others', () => {
    const watch = new VoicemailWatch(3);
    const entry = (id: string, day: number) => ({ unifiedMessageId: id, state: 1, dateReceived: `202611${String(day).padStart(2, '0')}T090000Z` });
    watch.applyMessages({ __type: VM, isDelta: false, voicemailMessagesAdded: [1, 2, 3, 4, 5].map((day) => entry(`m${day}`, day)) });
    expect(watch.state.messages.map((m) => m.id)).toEqual(['m5', 'm4', 'm3']);
    expect(watch.state.notShown).toBe(2);
    watch.takeChange();
    // A new voicemail pushes the oldest shown out; a removed one that was not shown only lowers the count.
    watch.applyMessages({ __type: VM, isDelta: true, voicemailMessagesAdded: [entry('m6', 6)], voicemailMessagesRemoved: ['m1'] });
    expect(watch.state.messages.map((m) => m.id)).toEqual(['m6', 'm5', 'm4']);
    expect(watch.state.notShown).toBe(2);
    expect(watch.takeChange()).toEqual({ upserted: [expect.objectContaining({ id: 'm6' })], removed: ['m3'] });
    // A change to a message not shown changes nothing shown.
    watch.applyMessages({ __type: VM, isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: 'm2', state: 0 }] });
    expect(watch.takeChange()).toBeUndefined();
    expect(watch.state.notShown).toBe(2);
  });

  it('converts compact and full ISO dates', () => {
    expect(isoDate('20210706T193229Z')).toBe('2021-07-06T19:32:29.000Z');
    expect(isoDate('2014-01-01T12:00:00Z')).toBe('2014-01-01T12:00:00.000Z');
  });
});

describe('DialerWatch', () => {
  const attrs = (state: string, extra: Record<string, string> = {}) => ({ Eic_State: state, is_attr_campaignid: 'CAMP', Eic_RemoteName: 'Morgan', ...extra });

  it('the active call is connected or held, with a campaign, connected first', () => {
    const watch = new DialerWatch('sub');
    watch.apply({ __type: Q, isDelta: false, subscriptionId: 'sub', interactionsAdded: [{ interactionId: '1', attributes: attrs('H') }] });
    expect(watch.active).toEqual({ callId: '1', campaignId: 'CAMP', state: 'held', remoteName: 'Morgan' });
    watch.apply({ __type: Q, isDelta: true, subscriptionId: 'sub', interactionsAdded: [{ interactionId: '2', attributes: attrs('C', { is_attr_callid: 'D2' }) }] });
    expect(watch.active?.callId).toBe('D2');
    watch.apply({ __type: Q, isDelta: true, subscriptionId: 'sub', interactionsChanged: [{ interactionId: '2', attributes: { EIC_STATE: 'I' } }] });
    expect(watch.active?.callId).toBe('1');
    watch.apply({ __type: Q, isDelta: true, subscriptionId: 'sub', interactionsRemoved: ['1'] });
    expect(watch.active).toBeNull();
  });

  it('ignores calls without a campaign, alerting calls and other subscriptions', () => {
    const watch = new DialerWatch('sub');
    watch.apply({ __type: Q, isDelta: false, subscriptionId: 'sub', interactionsAdded: [{ interactionId: '1', attributes: { Eic_State: 'C' } }, { interactionId: '2', attributes: attrs('A') }] });
    watch.apply({ __type: Q, isDelta: true, subscriptionId: 'other', interactionsAdded: [{ interactionId: '3', attributes: attrs('C') }] });
    expect(watch.active).toBeNull();
  });
});

describe('StateStore', () => {
  it('emits a batch once and never an unchanged state', () => {
    const emitted: StateChange[] = [];
    const store = new StateStore(initialState(), (change) => emitted.push(change));
    store.batch(() => {
      store.update({ followMe: { status: 'recording' } });
      store.update({ dialer: { call: null } });
      store.update({ features: { dialer: 7 } });
    });
    expect(emitted).toHaveLength(1);
    store.update({ features: { dialer: 7 } });
    store.batch(() => store.update({ followMe: { status: 'recording' } }));
    expect(emitted).toHaveLength(1);
    store.update((state) => ({ warnings: [...state.warnings, 'w'] }));
    expect(emitted).toHaveLength(2);
  });
});
