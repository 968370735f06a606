// What servers really send: malformed and unknown messages are skipped (logged), never fatal, in both delivery modes;
// one ICWS delivery is one state change, and an unchanged state is never emitted.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, createTestCompanion, signInAgent, startSim, waitFor, waitForState } from './helpers';

afterEach(cleanUp);

describe.each([
  ['Server-Sent Events', {}],
  ['short polling', { features: { messaging: 1 } }],
])('odd messages over %s', (_mode, simOptions) => {
  it('skips malformed and unknown messages and carries on', async () => {
    const sim = await startSim(simOptions);
    const { companion, logs } = await createTestCompanion();
    await signInAgent(companion, sim);
    const logged = (message: string) => waitFor(() => logs.find((record) => record.message === message), `log "${message}"`);

    sim.control.sendMalformed({ kind: 'missingType' });
    sim.control.sendMalformed({ kind: 'unknownType' });
    await logged('malformed message skipped (no __type)');
    expect(await logged('message ignored (unknown type)')).toMatchObject({ level: 'debug', fields: { type: 'urn:inin.com:simulator:unknownMessage' } });

    // A poll answer holding a broken message is broken as a whole; a stream event only on its own. Either way it is
    // skipped and the next real message gets through.
    sim.control.sendMalformed({ kind: 'invalidJson' });
    await logged('features' in simOptions ? 'malformed messages answer skipped (not JSON)' : 'malformed message skipped (not JSON)');
    const { unifiedMessageId } = sim.control.deliverVoicemail({ userId: 'agent1', from: 'After the junk' });
    const state = await waitForState(companion, (s) => s.voicemail.messages.some((m) => m.id === unifiedMessageId), 'the voicemail after the junk');
    expect(state.connection.status).toBe('connected');
    // The missing-type message was an mwi update of 3 in disguise: it must not have been applied.
    expect(state.voicemail.waiting).toBe(2);
  });
});

describe('state emissions', () => {
  it('emits one state change per delivery and none for a message that changes nothing', async () => {
    const sim = await startSim();
    const { companion, states } = await createTestCompanion();
    await signInAgent(companion, sim);
    const count = states.length;
    // A burst of deltas flipping read states, delivered together: the final state is the world's.
    sim.control.burst({ userId: 'agent1', count: 50 });
    const world = sim.control.state().mailboxes.agent1!;
    const final = await waitForState(
      companion,
      (s) => world.every((m) => s.voicemail.messages.find((v) => v.id === m.unifiedMessageId)?.read === (m.state === 1)) && s.voicemail.waiting === sim.control.state().messagesWaiting.agent1,
      'the burst applied',
    );
    expect(final.voicemail.messages).toHaveLength(3);
    expect(states.length - count).toBeLessThan(50);
    for (let i = 1; i < states.length; i++) expect(JSON.stringify(states[i])).not.toBe(JSON.stringify(states[i - 1]));
  });
});
