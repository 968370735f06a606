import { describe, expect, it } from 'vitest';
import { StateStore } from '../../../main/core/stateStore';
import { VoicemailWatch } from '../../../main/core/voicemail/voicemailWatch';
import {
  applyMailboxChange,
  applyStateChange,
  compareVoicemail,
  initialState,
  StateMirror,
  type PublicState,
  type StateChange,
  type StationState,
  type VoicemailMessage,
} from '../../../preload/contract';

const station: StationState = { id: '7001', extension: '7001', kind: 'workstation', mediaTypes: ['call'] };
const VM = 'urn:inin.com:unifiedMessaging:voicemailMessagesMessage';

function store() {
  const emitted: StateChange[] = [];
  const s = new StateStore(initialState(), (change) => emitted.push(change));
  // What a client holding the first snapshot sees after applying every change.
  const mirror = new StateMirror(initialState());
  mirror.reset(s.snapshot());
  const replay = () => {
    for (const change of emitted) mirror.receive(change);
    return mirror.state;
  };
  return { store: s, emitted, replay };
}

const message = (id: string, day: number, read = false): VoicemailMessage => ({
  id,
  from: `Caller ${id}`,
  subject: `VM ${id}`,
  received: `2026-11-${String(day).padStart(2, '0')}T09:00:00.000Z`,
  read,
});

const entry = (id: string, day: number, state = 0) => ({
  unifiedMessageId: id,
  state,
  dateReceived: `202611${String(day).padStart(2, '0')}T090000Z`,
  from: `Caller ${id}`,
  subject: `VM ${id}`,
});

describe('the state store', () => {
  it('emits only the slices that changed, each with the next revision, and nothing for an update that changes nothing', () => {
    const { store: s, emitted, replay } = store();
    s.update({ station });
    s.update({ station: { ...station } });
    s.update({ voicemail: { ...s.value.voicemail, messages: [] } });
    s.update({ followMe: { status: 'recording' } });
    expect(emitted).toEqual([
      { revision: 1, slices: { station } },
      { revision: 2, slices: { followMe: { status: 'recording' } } },
    ]);
    expect(s.snapshot()).toEqual({ ...s.value, revision: 2 });
    expect(replay()).toEqual(s.value);
  });

  it('sees a slice turning null and back, and an optional property disappearing', () => {
    const { store: s, emitted } = store();
    s.update({ station });
    s.update({ station: null });
    s.update({ station });
    s.update({ connection: { status: 'failed', error: { kind: 'network', message: 'x' } } });
    s.update({ connection: { status: 'failed' } });
    expect(emitted.map((change) => Object.keys(change.slices))).toEqual([['station'], ['station'], ['station'], ['connection'], ['connection']]);
    expect(emitted.map((change) => change.revision)).toEqual([1, 2, 3, 4, 5]);
    expect(emitted[4]!.slices.connection).toEqual({ status: 'failed' });
  });

  it('batches the changes of one action into one emission', () => {
    const { store: s, emitted } = store();
    s.batch(() => {
      s.update({ station });
      s.update({ followMe: { status: 'recording' } });
    });
    expect(emitted).toEqual([{ revision: 1, slices: { station, followMe: { status: 'recording' } } }]);
  });

  it('merges the deliveries of one turn of the event loop into one change, emitted at its end', async () => {
    const { store: s, emitted, replay } = store();
    s.deliver(() => s.update({ station }));
    s.deliver(() => s.update({ stationDropReason: 'dropped' }));
    s.deliver(() => s.update({ stationDropReason: null }));
    expect(emitted).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(emitted).toEqual([{ revision: 1, slices: { station, stationDropReason: null } }]);
    expect(replay()).toEqual(s.value);
  });

  it('emits what deliveries left pending before an action’s change, and before a snapshot', () => {
    const { store: s, emitted } = store();
    s.deliver(() => s.update({ station }));
    s.update({ followMe: { status: 'recording' } });
    expect(emitted).toEqual([{ revision: 1, slices: { station, followMe: { status: 'recording' } } }]);
    s.deliver(() => s.update({ station: null }));
    expect(s.snapshot().revision).toBe(2);
    expect(emitted[1]).toEqual({ revision: 2, slices: { station: null } });
  });

  it('sends the messages that changed instead of the mailbox, and the whole list when it was replaced', () => {
    const watch = new VoicemailWatch();
    const emitted: StateChange[] = [];
    const s = new StateStore(initialState(), (change) => emitted.push(change), () => watch.handedOut());
    const mirror = new StateMirror(initialState());
    mirror.reset(s.snapshot());
    const replay = () => {
      for (const change of emitted) mirror.receive(change);
      return mirror.state;
    };
    const apply = (m: Record<string, unknown>) => {
      watch.applyMessages({ __type: VM, ...m });
      s.update({ voicemail: watch.state }, watch.takeChange());
    };
    apply({ isDelta: false, voicemailMessagesAdded: [entry('a', 1), entry('b', 2), entry('c', 3), entry('d', 4)] });
    expect(emitted[0]!.slices.voicemail?.messages?.map((m) => m.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(emitted[0]!.mailbox).toBeUndefined();

    apply({ isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: 'b', state: 1 }] });
    expect(emitted[1]).toEqual({
      revision: 2,
      slices: { voicemail: { playing: null, waiting: null, notShown: 0 } },
      mailbox: { upserted: [{ ...message('b', 2, true), from: 'Caller b', subject: 'VM b' }], removed: [] },
    });

    // The same read flag again is no change at all: known from the change, not by comparing the mailbox.
    apply({ isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: 'b', state: 1 }] });
    expect(emitted).toHaveLength(2);

    apply({ isDelta: true, voicemailMessagesAdded: [entry('e', 5)], voicemailMessagesRemoved: ['a'] });
    expect(emitted[2]!.mailbox).toEqual({ upserted: [expect.objectContaining({ id: 'e' })], removed: ['a'] });
    expect(replay()).toEqual(s.value);
    expect(s.value.voicemail.messages.map((m) => m.id)).toEqual(['e', 'd', 'c', 'b']);
  });

  it('never edits a list it already handed out', () => {
    const watch = new VoicemailWatch();
    watch.applyMessages({ __type: VM, isDelta: false, voicemailMessagesAdded: [entry('a', 1, 0), entry('b', 2, 0)] });
    const before = watch.state.messages;
    watch.handedOut();
    const copy = structuredClone(before);
    watch.applyMessages({ __type: VM, isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: 'a', state: 1 }], voicemailMessagesRemoved: ['b'] });
    expect(before).toEqual(copy);
    expect(watch.state.messages.map((m) => [m.id, m.read])).toEqual([['a', true]]);
  });
});

describe('applying changes (the contract)', () => {
  it('keeps the mailbox order on every side: newest first, then by id', () => {
    const list = [message('c', 3), message('b', 2), message('a', 2)].sort(compareVoicemail);
    expect(list.map((m) => m.id)).toEqual(['c', 'a', 'b']);
    const next = applyMailboxChange(list, { upserted: [message('d', 2), message('c', 1)], removed: ['a'] });
    expect(next.map((m) => m.id)).toEqual(['b', 'd', 'c']);
    expect(list.map((m) => m.id)).toEqual(['c', 'a', 'b']);
  });

  it('a mirror applies consecutive changes, ignores stale ones and reports a gap', () => {
    const mirror = new StateMirror(initialState());
    expect(mirror.receive({ revision: 3, slices: { station } })).toBe('gap');
    mirror.reset({ ...initialState(), revision: 3 });
    expect(mirror.receive({ revision: 3, slices: { station } })).toBe('stale');
    expect(mirror.receive({ revision: 4, slices: { station } })).toBe('applied');
    expect(mirror.state.station).toEqual(station);
    expect(mirror.receive({ revision: 6, slices: { station: null } })).toBe('gap');
    expect(mirror.state.station).toEqual(station);
    const snapshot: PublicState = { ...initialState(), followMe: { status: 'previewing' } };
    expect(mirror.receive({ revision: 9, snapshot: true, slices: snapshot })).toBe('applied');
    expect(mirror.state).toEqual(snapshot);
    expect(mirror.revision).toBe(9);
  });

  it('a voicemail slice without messages keeps the list', () => {
    const state: PublicState = { ...initialState(), voicemail: { messages: [message('a', 1)], playing: null, waiting: 1, notShown: 0 } };
    const next = applyStateChange(state, { revision: 1, slices: { voicemail: { playing: 'a', waiting: 1, notShown: 0 } } });
    expect(next.voicemail).toEqual({ messages: state.voicemail.messages, playing: 'a', waiting: 1, notShown: 0 });
  });
});
