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

  it('ends with the same ordered list whatever the mix of deltas in one delivery (in place, spliced or merged)', () => {
    // A fixed pseudo-random sequence: deliveries of 1, a few and many deltas, each checked against a plain sort.
    let seed = 12;
    const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const day = () => `202611${String(1 + random(28)).padStart(2, '0')}T${String(random(24)).padStart(2, '0')}0000Z`;
    const watch = new VoicemailWatch();
    const small = new VoicemailWatch(150);
    const truth = new Map<string, { unifiedMessageId: string; state: number; dateReceived: string }>();
    let next = 0;
    for (const size of [1, 3, 40, 1, 200, 5, 64, 65, 1, 300, 2]) {
      const messages: Record<string, unknown>[] = [];
      for (let i = 0; i < size; i++) {
        const ids = [...truth.keys()];
        const pick = random(4);
        if (pick === 0 || ids.length === 0) {
          const entry = { unifiedMessageId: `m${next++}`, state: random(2), dateReceived: day() };
          truth.set(entry.unifiedMessageId, entry);
          messages.push({ __type: VM, isDelta: true, voicemailMessagesAdded: [entry] });
        } else {
          const id = ids[random(ids.length)]!;
          if (pick === 1) {
            truth.delete(id);
            messages.push({ __type: VM, isDelta: true, voicemailMessagesRemoved: [id] });
          } else if (pick === 2) {
            truth.get(id)!.state ^= 1;
            messages.push({ __type: VM, isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: id, state: truth.get(id)!.state }] });
          } else {
            truth.get(id)!.dateReceived = day();
            messages.push({ __type: VM, isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: id, dateReceived: truth.get(id)!.dateReceived }] });
          }
        }
      }
      for (const message of messages) {
        watch.applyMessages(message as never);
        small.applyMessages(message as never);
      }
      const expected = [...truth.values()]
        .map((e) => ({ id: e.unifiedMessageId, received: isoDate(e.dateReceived), read: e.state === 1 }))
        .sort((a, b) => (a.received !== b.received ? (a.received < b.received ? 1 : -1) : a.id < b.id ? -1 : 1));
      const view = (w: VoicemailWatch) => w.state.messages.map((m) => ({ id: m.id, received: m.received, read: m.read }));
      expect(view(watch)).toEqual(expected);
      // Past its limit a watch lets the oldest go for good: what it shows is in order, at most the limit.
      const shown = view(small);
      expect(shown).toEqual(expected.filter((e) => shown.some((m) => m.id === e.id)));
      expect(shown.length).toBeLessThanOrEqual(150);
      watch.handedOut();
      small.handedOut();
    }
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
