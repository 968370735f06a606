import { describe, expect, it } from 'vitest';
import { StateStore } from '../../../main/core/stateStore';
import { initialState, type PublicState, type StationState } from '../../../preload/contract';

const station: StationState = { id: '7001', extension: '7001', kind: 'workstation', mediaTypes: ['call'] };

function store() {
  const emitted: PublicState[] = [];
  return { store: new StateStore(initialState(), (state) => emitted.push(state)), emitted };
}

describe('the state store', () => {
  it('emits a change once, and nothing for an update that changes nothing', () => {
    const { store: s, emitted } = store();
    s.update({ station });
    s.update({ station: { ...station } });
    s.update({ voicemail: { ...s.value.voicemail, messages: [] } });
    expect(emitted).toHaveLength(1);
    expect(emitted[0]!.station).toEqual(station);
  });

  it('sees a slice turning null and back, and an optional property disappearing', () => {
    const { store: s, emitted } = store();
    s.update({ station });
    s.update({ station: null });
    s.update({ station });
    s.update({ connection: { status: 'failed', error: { kind: 'network', message: 'x' } } });
    s.update({ connection: { status: 'failed' } });
    expect(emitted.map((state) => [state.station?.id ?? null, state.connection.error?.kind ?? null])).toEqual([
      ['7001', null],
      [null, null],
      ['7001', null],
      ['7001', 'network'],
      ['7001', null],
    ]);
  });

  it('batches the changes of one delivery into one emission', () => {
    const { store: s, emitted } = store();
    s.batch(() => {
      s.update({ station });
      s.update({ followMe: { status: 'recording' } });
    });
    expect(emitted).toHaveLength(1);
    expect(emitted[0]).toMatchObject({ station, followMe: { status: 'recording' } });
  });

  it('notices a change inside the same array (an item edited in place is not how state changes, but a new item is)', () => {
    const { store: s, emitted } = store();
    const messages = [{ id: 'vm1', from: 'a', subject: 's', received: '2026-11-20T09:15:00.000Z', read: false }];
    s.update({ voicemail: { messages, playing: null, waiting: 1 } });
    s.update({ voicemail: { messages: [...messages, { ...messages[0]!, id: 'vm2' }], playing: null, waiting: 1 } });
    s.update({ voicemail: { ...s.value.voicemail, playing: 'vm2' } });
    expect(emitted.map((state) => [state.voicemail.messages.length, state.voicemail.playing])).toEqual([
      [1, null],
      [2, null],
      [2, 'vm2'],
    ]);
  });
});
