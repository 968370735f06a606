// A flood of new voicemails (one delta each, one event per write, as CIC writes them) into a companion with two bridge
// clients attached: the bridge keeps answering `state.get`, the companion keeps the newest 20,000 and counts the rest,
// and both clients end with what the companion holds. Timing is measured in bench/ (`flood`); the only bound here is
// the one the companion promises an agent's tools: an answer within a second.
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../main/bridge/localServer';
import { silentLogger } from '../../main/common/log';
import { createDispatcher } from '../../main/transports/dispatcher';
import { MAILBOX_LIMIT } from '../../preload/contract';
import { BridgeClient } from '../../bench/bridgeClient';
import { cleanUp, createTestCompanion, signInAgent, startSim, waitFor } from './helpers';

let server: LocalServer | null = null;
const clients: BridgeClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  await server?.close();
  server = null;
  await cleanUp();
});

describe('a flood of voicemails', () => {
  it('keeps state.get answered, keeps the newest 20,000, and every client ends with the companion’s state', { timeout: 120_000 }, async () => {
    const sim = await startSim({ writes: 'perEvent' });
    const { companion } = await createTestCompanion();
    server = await startLocalServer({ port: 0, rendererDir: null, dispatch: createDispatcher(companion.handlers, silentLogger), events: companion.events, log: silentLogger });
    await signInAgent(companion, sim);
    await waitFor(() => companion.publicState.voicemail.messages.length === 3, 'the mailbox');
    for (let i = 0; i < 3; i++) {
      const client = await BridgeClient.connect(server.bridgeUrl);
      await client.refresh();
      clients.push(client);
    }
    const [first, second, probe] = clients as [BridgeClient, BridgeClient, BridgeClient];

    const total = 30_000;
    let flooding = true;
    const answers: number[] = [];
    const asking = (async () => {
      while (flooding) {
        const start = performance.now();
        await probe.call('state.get');
        answers.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const applied = () => companion.publicState.voicemail.messages.length + companion.publicState.voicemail.notShown - 3;
    for (let sent = 0; sent < total; sent += 1000) {
      sim.control.burst({ userId: 'agent1', count: 1000, kind: 'voicemailAdded' });
      // The simulator shares this process: it stays a few slices ahead of the companion, as TCP would hold it back.
      await waitFor(() => applied() >= sent - 2000, 'the companion to keep up', 60_000);
    }
    await waitFor(() => applied() === total, 'the whole flood', 60_000);
    const expected = companion.publicState.voicemail;
    for (const client of [first, second]) {
      await client.waitForState((state) => state.voicemail.notShown === expected.notShown && state.voicemail.messages.length === MAILBOX_LIMIT, 30_000, 'the flood');
    }
    flooding = false;
    await asking;

    expect(expected.messages).toHaveLength(MAILBOX_LIMIT);
    expect(expected.notShown).toBe(total + 3 - MAILBOX_LIMIT);
    // The newest are kept: every flooded voicemail is newer than the three the agent had.
    expect(expected.messages.some((message) => message.id.startsWith('vm-agent1-000'))).toBe(false);
    expect(first.state!.voicemail).toEqual(expected);
    expect(second.state!.voicemail).toEqual(expected);
    expect(answers.length).toBeGreaterThan(5);
    expect(Math.max(...answers)).toBeLessThan(1000);
  });
});
