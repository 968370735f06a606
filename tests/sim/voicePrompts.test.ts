import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../sim';
import { login, simulatorsPerTest } from './helpers';

const sim = simulatorsPerTest();

const followMe = (s: Simulator) => s.control.state().prompts.agent1?.followme;

describe('voice-prompts/followme', () => {
  it('answers every verb with 400 noStation (urn:inin.com:common:error) without a station', async () => {
    const s = await sim();
    const client = await login(s);
    for (const verb of ['record', 'preview', 'commit', 'clear', 'cancel']) {
      const answer = await client.call('POST', `voice-prompts/followme/${verb}`);
      expect(answer.status, verb).toBe(400);
      expect(answer.json).toMatchObject({ __type: 'urn:inin.com:common:error', errorId: 'error.request.noStation' });
    }
    expect(followMe(s)).toBeUndefined();
  });

  it('keeps a recording only after commit; cancel drops the pending one; clear removes the saved one', async () => {
    const s = await sim();
    const client = await login(s);
    await client.stationLogon();
    expect((await client.call('POST', 'voice-prompts/followme/record')).status).toBe(204);
    expect(followMe(s)).toMatchObject({ pending: 'recorded', saved: null });
    expect((await client.call('POST', 'voice-prompts/followme/preview')).status).toBe(204);
    expect((await client.call('POST', 'voice-prompts/followme/cancel')).status).toBe(204);
    expect(followMe(s)).toMatchObject({ pending: null, saved: null });

    await client.call('POST', 'voice-prompts/followme/record');
    expect((await client.call('POST', 'voice-prompts/followme/commit')).status).toBe(204);
    const saved = followMe(s)?.saved;
    expect(saved?.committedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(followMe(s)?.pending).toBeNull();

    await client.call('POST', 'voice-prompts/followme/record');
    await client.call('POST', 'voice-prompts/followme/cancel');
    expect(followMe(s)?.saved).toEqual(saved);

    expect((await client.call('POST', 'voice-prompts/followme/clear')).status).toBe(204);
    expect(followMe(s)).toMatchObject({ pending: null, saved: null, lastAction: 'clear' });
  });

  it('sends no message on completion', async () => {
    const s = await sim();
    const client = await login(s);
    await client.stationLogon();
    await client.call('POST', 'voice-prompts/followme/record');
    await client.call('POST', 'voice-prompts/followme/commit');
    expect(await client.poll()).toEqual([]);
  });

  it('serves the sibling prompts and voice-prompts/all', async () => {
    const s = await sim();
    const client = await login(s);
    await client.stationLogon();
    await client.call('POST', 'voice-prompts/greeting/record');
    await client.call('POST', 'voice-prompts/followme/record');
    expect((await client.call('POST', 'voice-prompts/all/commit')).status).toBe(204);
    const prompts = s.control.state().prompts.agent1;
    expect(prompts?.greeting?.saved).not.toBeNull();
    expect(prompts?.followme?.saved).not.toBeNull();
    expect((await client.call('POST', 'voice-prompts/all/record')).status).toBe(404);
  });

  it('is gone below voice-prompts 2', async () => {
    const s = await sim({ features: { 'voice-prompts': 1 } });
    const client = await login(s);
    await client.stationLogon();
    expect((await client.call('POST', 'voice-prompts/followme/record')).status).toBe(410);
  });
});
