import { describe, expect, it } from 'vitest';
import type { StateChange } from '../../preload/contract';
import { FakeCompanion, signedIn, voicemails, workstation } from './fakeCompanion';

describe('the window’s store', () => {
  it('applies each change by slice, editing the mailbox from a mailbox change', async () => {
    const fake = new FakeCompanion(signedIn({ voicemail: { messages: voicemails(3), playing: null, waiting: 1, notShown: 0 } }));
    const store = await fake.store();
    const snapshots = fake.callsOf('state.get').length;
    fake.push({ station: workstation });
    expect(store.state.station).toEqual(workstation);
    const [newest, middle] = fake.state.voicemail.messages;
    const change: StateChange = {
      revision: ++fake.revision,
      slices: { voicemail: { playing: null, waiting: 2, notShown: 0 } },
      mailbox: { upserted: [{ ...middle!, read: false }], removed: [newest!.id] },
    };
    fake.emit('state.changed', change);
    expect(store.state.voicemail.messages.map((m) => [m.id, m.read])).toEqual([
      [middle!.id, false],
      [fake.state.voicemail.messages[2]!.id, fake.state.voicemail.messages[2]!.read],
    ]);
    expect(store.state.voicemail.waiting).toBe(2);
    expect(fake.callsOf('state.get')).toHaveLength(snapshots);
  });

  it('reads the whole state again when a change was missed', async () => {
    const fake = new FakeCompanion(signedIn());
    const store = await fake.store();
    const snapshots = fake.callsOf('state.get').length;
    fake.state = { ...fake.state, followMe: { status: 'recording' } };
    fake.revision += 1;
    // Revision 1 never arrived; revision 2 shows the gap.
    fake.push({ station: workstation });
    await expect.poll(() => fake.callsOf('state.get').length).toBe(snapshots + 1);
    await expect.poll(() => store.state.followMe.status).toBe('recording');
    expect(store.state.station).toEqual(workstation);
  });
});
