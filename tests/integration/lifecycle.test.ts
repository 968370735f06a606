// The connection's life is one state with one transition function: every change is logged, in order, with its reason.
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord } from '../../main/common/log';
import { cleanUp, createTestCompanion, expectOk, signInAgent, startSim, waitForState } from './helpers';

afterEach(cleanUp);

const transitions = (logs: LogRecord[]) =>
  logs.filter((record) => record.message === 'connection state').map((record) => `${String(record.fields?.from)} → ${String(record.fields?.to)}`);

describe('the connection life', () => {
  it('logs every transition: signed in, lost and back, signed out', async () => {
    const sim = await startSim();
    const { companion, logs } = await createTestCompanion();
    await signInAgent(companion, sim);
    sim.control.sendConnectionState({ shouldReconnect: true, endSession: true });
    await waitForState(companion, (s) => s.connection.status === 'reconnecting', 'reconnecting');
    await waitForState(companion, (s) => s.connection.status === 'connected', 'connected again');
    expectOk(await companion.handlers['session.signOut'](undefined));
    expect(transitions(logs)).toEqual([
      'idle → signingIn',
      'signingIn → connected',
      'connected → reconnecting',
      'reconnecting → connected',
      'connected → signingOut',
      'signingOut → idle',
    ]);
  });

  it('a close that says do not reconnect ends in failed, and a new sign-in starts from there', async () => {
    const sim = await startSim();
    const { companion, logs } = await createTestCompanion();
    await signInAgent(companion, sim);
    sim.control.sendConnectionState({ shouldReconnect: false, reason: 'You were logged off by an administrator.' });
    await waitForState(companion, (s) => s.connection.status === 'failed', 'failed');
    await signInAgent(companion, sim);
    expect(transitions(logs)).toEqual([
      'idle → signingIn',
      'signingIn → connected',
      'connected → failed',
      'failed → signingOut',
      'signingOut → idle',
      'idle → signingIn',
      'signingIn → connected',
    ]);
  });
});
