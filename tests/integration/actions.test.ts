// Every command against the simulator, through the dispatcher as the transports call it: station, follow-me prompt,
// voicemail, Dialer, feature gating (unsupported before any request), and the 400/403/410 paths.
import { afterEach, describe, expect, it } from 'vitest';
import { RENEWALS_CAMPAIGN_ID, SUBSEQUENT_LOGON_REASON, type Simulator } from '../../sim/index';
import { silentLogger } from '../../main/common/log';
import { lastStationKey } from '../../preload/contract';
import { createDispatcher } from '../../main/transports/dispatcher';
import {
  cleanUp,
  createTestCompanion,
  expectError,
  expectOk,
  logInStation,
  signInAgent,
  startSim,
  waitForState,
  type TestCompanion,
} from './helpers';

afterEach(cleanUp);

async function ready(options: Parameters<typeof startSim>[0] = {}): Promise<TestCompanion & { sim: Simulator; dispatch: ReturnType<typeof createDispatcher> }> {
  const sim = await startSim(options);
  const test = await createTestCompanion();
  await signInAgent(test.companion, sim);
  return { ...test, sim, dispatch: createDispatcher(test.companion.handlers, silentLogger) };
}

/** Requests the simulator saw while `run` ran. */
async function requestsDuring(sim: Simulator, run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const off = sim.onRequest((record) => seen.push(`${record.method} ${record.path.replace(/^\/icws\/\d+/, '')}`));
  try {
    await run();
  } finally {
    off();
  }
  return seen.filter((line) => !line.endsWith('/messaging/messages'));
}

describe('station', () => {
  it('remembers the last station per server and user, and only when the logon worked', async () => {
    const { companion, sim } = await ready();
    expect(expectError(await companion.handlers['station.logIn']({ kind: 'workstation', workstation: 'no-such' })).kind).toBeDefined();
    expect(expectOk(await companion.handlers['settings.get']({})).lastStations).toEqual({});
    await companion.handlers['station.logIn']({ kind: 'remoteWorkstation', workstation: '7002', remoteNumber: '+13175550100' });
    const key = lastStationKey('agent1', companion.publicState.connection.server!);
    expect(key).toBe(`agent1@${sim.url}`);
    expect(expectOk(await companion.handlers['settings.get']({})).lastStations).toEqual({
      [key]: { kind: 'remoteWorkstation', workstation: '7002', remoteNumber: '+13175550100' },
    });
    expect(companion.publicState.connection.lastStation).toEqual({ kind: 'remoteWorkstation', workstation: '7002', remoteNumber: '+13175550100' });
  });

  it('logs in to a workstation, a remote workstation and a remote number, then out', async () => {
    const { companion, dispatch, sim } = await ready();
    const station = expectOk(await dispatch('station.logIn', { kind: 'workstation', workstation: '7001' }));
    expect(station).toMatchObject({ id: '7001', extension: '7001', kind: 'workstation', canBeDialed: true });
    await waitForState(companion, (s) => s.station?.kind === 'workstation', 'workstation');

    expectOk(await dispatch('station.logIn', { kind: 'remoteWorkstation', workstation: '7002', remoteNumber: '+1 317 555 0100' }));
    const remote = await waitForState(companion, (s) => s.station?.kind === 'remoteWorkstation', 'remote workstation');
    expect(remote.station).toMatchObject({ id: '7002', remoteNumber: '+1 317 555 0100' });

    expectOk(await dispatch('station.logIn', { kind: 'remoteNumber', remoteNumber: '+13175550101', persistent: true }));
    const number = await waitForState(companion, (s) => s.station?.kind === 'remoteNumber', 'remote number');
    expect(number.station).toMatchObject({ id: '+13175550101', remoteNumber: '+13175550101', mediaTypes: ['call'] });
    expect(sim.control.state().stations[0]).toMatchObject({ persistentConnection: true });

    expect(expectOk(await dispatch('station.logOut', undefined))).toBeNull();
    await waitForState(companion, (s) => s.station === null, 'no station');
    expect(sim.control.state().stations).toEqual([]);
  });

  it('an unknown workstation is invalid input, a user without the right is forbidden', async () => {
    const { dispatch, sim } = await ready({
      scenario: {
        users: [
          { userId: 'agent1', password: '1234', displayName: 'Agent One' },
          { userId: 'agent9', password: '1234', displayName: 'No Rights', logonStationsRight: false },
        ],
        mailboxes: { agent1: [{ unifiedMessageId: 'vm-1', dateReceived: '20261120T091500Z', from: 'x', subject: 'y' }] },
        dialerCalls: [],
      },
    });
    const unknown = expectError(await dispatch('station.logIn', { kind: 'workstation', workstation: '9999' }));
    expect(unknown).toMatchObject({ kind: 'invalidInput', status: 400, errorId: 'error.request.invalidRepresentation.invalidProperty' });
    expect(unknown.message).toContain("The station '9999' does not exist.");

    const other = await createTestCompanion();
    expectOk(await other.companion.handlers['session.signIn']({ server: sim.url, userId: 'agent9', password: '1234' }));
    const forbidden = expectError(await other.companion.handlers['station.logIn']({ kind: 'workstation', workstation: '7002' }));
    expect(forbidden).toMatchObject({ kind: 'forbidden', status: 403 });
    expect(forbidden.message).toMatch(/Logon Stations/);
  });

  it('shows station changes pushed by the server, in the flat message shape too', async () => {
    for (const shape of ['nested', 'flat'] as const) {
      const { companion, sim } = await ready({ stationMessageShape: shape });
      await logInStation(companion);
      sim.control.updateStation({ userId: 'agent1', changes: { ringAlways: true, allowedMediaTypes: [1, 3] } });
      const changed = await waitForState(companion, (s) => s.station?.ringAlways === true, `${shape} delta`);
      expect(changed.station).toEqual({ id: '7001', extension: '7001', kind: 'workstation', mediaTypes: ['call', 'email'], canBeDialed: true, ringAlways: true });
      sim.control.dropStation({ userId: 'agent1' });
      await waitForState(companion, (s) => s.station === null, `${shape} drop`);
      await cleanUp();
    }
  });
});

describe('one station per user', () => {
  it.each(['nested', 'flat'] as const)('a logon elsewhere drops this station and says why (%s messages)', async (shape) => {
    const { companion, sim } = await ready({ stationMessageShape: shape });
    await logInStation(companion);
    const elsewhere = await createTestCompanion();
    expectOk(await elsewhere.companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1', password: '1234' }));
    expectOk(await elsewhere.companion.handlers['station.logIn']({ kind: 'workstation', workstation: '7002' }));
    const dropped = await waitForState(companion, (s) => s.station === null, 'dropped');
    expect(dropped.stationDropReason).toBe(SUBSEQUENT_LOGON_REASON);
    expect(SUBSEQUENT_LOGON_REASON).toBe('Your connection has been dropped due to a subsequent logon to a different station.');
    expect(elsewhere.companion.publicState.stationDropReason).toBeNull();

    // Logging in again clears the reason (and, as CIC does, drops the other session's station).
    expectOk(await companion.handlers['station.logIn']({ kind: 'workstation', workstation: '7001' }));
    const back = await waitForState(companion, (s) => s.station !== null, 'back');
    expect(back.stationDropReason).toBeNull();
  });
});

describe('follow-me prompt', () => {
  it('without a station: noStation, telling the agent to log in to one', async () => {
    const { dispatch, companion } = await ready();
    const error = expectError(await dispatch('followMe.record', undefined));
    expect(error).toEqual({
      kind: 'noStation',
      message: 'Log in to a station first: the follow-me prompt is recorded over your phone.',
      errorId: 'error.request.noStation',
      status: 400,
    });
    expect(companion.publicState.followMe).toEqual({ status: 'idle' });
  });

  it('record → preview → commit keeps the prompt; record → cancel drops it', async () => {
    const { companion, dispatch, sim } = await ready();
    await logInStation(companion);
    expect(expectOk(await dispatch('followMe.record', undefined))).toEqual({ status: 'recording' });
    expect(companion.publicState.followMe.status).toBe('recording');
    expect(expectOk(await dispatch('followMe.preview', undefined))).toEqual({ status: 'previewing' });
    expect(expectOk(await dispatch('followMe.commit', undefined))).toEqual({ status: 'committed' });
    expect(sim.control.state().prompts.agent1?.followme).toMatchObject({ pending: null, saved: { committedAt: expect.any(String) }, lastAction: 'commit' });

    expectOk(await dispatch('followMe.record', undefined));
    expect(expectOk(await dispatch('followMe.cancel', undefined))).toEqual({ status: 'idle' });
    expect(sim.control.state().prompts.agent1?.followme).toMatchObject({ pending: null, lastAction: 'cancel' });
  });

  it('preview or commit with nothing recorded is refused without a request', async () => {
    const { companion, dispatch, sim } = await ready();
    await logInStation(companion);
    const seen = await requestsDuring(sim, async () => {
      expect(expectError(await dispatch('followMe.commit', undefined)).kind).toBe('refused');
      expect(expectError(await dispatch('followMe.preview', undefined)).message).toMatch(/^Record the follow-me prompt first/);
    });
    expect(seen).toEqual([]);
  });

  it('a removed endpoint (410) is gone; a server without voice-prompts 2 is unsupported before any request', async () => {
    const { companion, dispatch, sim } = await ready();
    await logInStation(companion);
    sim.control.failNext({ count: 1, status: 410, pattern: 'followme/record$', body: { errorId: 'error.request.gone', message: 'This resource has been deprecated and removed from the API.' } });
    expect(expectError(await dispatch('followMe.record', undefined))).toMatchObject({ kind: 'gone', status: 410 });

    const old = await ready({ features: { 'voice-prompts': 1 } });
    const seen = await requestsDuring(old.sim, async () => {
      const error = expectError(await old.dispatch('followMe.record', undefined));
      expect(error).toMatchObject({ kind: 'unsupported', feature: { id: 'voice-prompts', needed: 2, available: 1 } });
    });
    expect(seen).toEqual([]);
  });
});

describe('voicemail', () => {
  it('plays on the current station, shows it playing, and stops whatever plays', async () => {
    const { companion, dispatch, sim } = await ready();
    await logInStation(companion);
    expect(expectOk(await dispatch('voicemail.play', { id: 'vm-agent1-0003' }))).toBeNull();
    expect(companion.publicState.voicemail.playing).toBe('vm-agent1-0003');
    expect(sim.control.state().playStatus.agent1).toMatchObject({ unifiedMessageId: 'vm-agent1-0003', playStatus: 0, target: 'station' });
    const read = await waitForState(companion, (s) => s.voicemail.messages.find((m) => m.id === 'vm-agent1-0003')?.read === true && s.voicemail.waiting === 0, 'played message read');
    expect(read.voicemail.playing).toBe('vm-agent1-0003');

    expect(expectOk(await dispatch('voicemail.stop', undefined))).toBeNull();
    expect(companion.publicState.voicemail.playing).toBeNull();
    expect(sim.control.state().playStatus.agent1?.playStatus).toBe(1);
  });

  it('plays to a number, follows play status from the server, and stops by id', async () => {
    const { companion, dispatch, sim } = await ready();
    expectOk(await dispatch('voicemail.play', { id: 'vm-agent1-0001', target: '+1 (317) 555-0142' }));
    expect(sim.control.state().playStatus.agent1).toMatchObject({ target: '+1 (317) 555-0142', playStatus: 0 });
    sim.control.setPlayStatus({ userId: 'agent1', unifiedMessageId: 'vm-agent1-0001', playStatus: 1 });
    await waitForState(companion, (s) => s.voicemail.playing === null, 'stopped by the server');
    sim.control.setPlayStatus({ userId: 'agent1', unifiedMessageId: 'vm-agent1-0002', playStatus: 0 });
    await waitForState(companion, (s) => s.voicemail.playing === 'vm-agent1-0002', 'playing from the server');
    expectOk(await dispatch('voicemail.stop', { id: 'vm-agent1-0002' }));
    expect(sim.control.state().playStatus.agent1?.playStatus).toBe(1);
  });

  it('stop with nothing playing is notPlaying without a request; stopping one that is not playing too (from CIC)', async () => {
    const { dispatch, sim } = await ready();
    const seen = await requestsDuring(sim, async () => {
      expect(expectError(await dispatch('voicemail.stop', undefined))).toEqual({ kind: 'notPlaying', message: 'No voicemail is playing.' });
    });
    expect(seen).toEqual([]);
    expect(expectError(await dispatch('voicemail.stop', { id: 'vm-agent1-0001' }))).toMatchObject({ kind: 'notPlaying', status: 400 });
  });

  it('playing on the current station without one is noStation', async () => {
    const { dispatch } = await ready();
    expect(expectError(await dispatch('voicemail.play', { id: 'vm-agent1-0003' }))).toMatchObject({
      kind: 'noStation',
      message: 'Log in to a station first: the voicemail plays on your phone.',
    });
  });

  it('marks read and unread, in CIC and in the state', async () => {
    const { companion, dispatch, sim } = await ready();
    expectOk(await dispatch('voicemail.markRead', { id: 'vm-agent1-0003', read: true }));
    expect(companion.publicState.voicemail.messages.find((m) => m.id === 'vm-agent1-0003')?.read).toBe(true);
    await waitForState(companion, (s) => s.voicemail.waiting === 0, 'mwi 0');
    expectOk(await dispatch('voicemail.markRead', { id: 'vm-agent1-0001', read: false }));
    await waitForState(companion, (s) => s.voicemail.waiting === 1, 'mwi 1');
    expect(sim.control.state().mailboxes.agent1!.map((m) => [m.unifiedMessageId, m.state])).toEqual([
      ['vm-agent1-0003', 1],
      ['vm-agent1-0002', 1],
      ['vm-agent1-0001', 0],
    ]);
    expect(expectError(await dispatch('voicemail.markRead', { id: 'vm-unknown', read: true }))).toMatchObject({ kind: 'invalidInput', status: 400 });
  });

  it('new voicemails arrive in the state', async () => {
    const { companion, sim } = await ready();
    const { unifiedMessageId } = sim.control.deliverVoicemail({ userId: 'agent1', from: 'Pat Doe (3175550177)', subject: 'Voice Mail from Pat Doe', dateReceived: '20261121T100000Z' });
    const state = await waitForState(companion, (s) => s.voicemail.messages[0]?.id === unifiedMessageId, 'the new voicemail first');
    expect(state.voicemail.messages[0]).toEqual({ id: unifiedMessageId, from: 'Pat Doe (3175550177)', subject: 'Voice Mail from Pat Doe', received: '2026-11-21T10:00:00.000Z', read: false });
    expect(state.voicemail.waiting).toBe(2);
  });
});

describe('Dialer', () => {
  async function withCall() {
    const test = await ready();
    await logInStation(test.companion);
    await waitForState(test.companion, (s) => s.dialer.call !== null, 'the Dialer call');
    return test;
  }

  it('sees the active Dialer call, held too, and drops it when it ends', async () => {
    const { companion, sim } = await withCall();
    expect(companion.publicState.dialer.call).toMatchObject({
      callId: '2001000001',
      campaignId: RENEWALS_CAMPAIGN_ID,
      campaignName: 'Renewals',
      state: 'connected',
      remoteName: 'Morgan Ellis',
      remoteAddress: '+13175550123',
    });
    sim.control.updateCall({ callId: '2001000001', state: 'H' });
    await waitForState(companion, (s) => s.dialer.call?.state === 'held', 'held');
    sim.control.endCall({ callId: '2001000001' });
    await waitForState(companion, (s) => s.dialer.call === null, 'no call');
  });

  it('updates call data and marks for finishing on the active call by default', async () => {
    const { dispatch, sim } = await withCall();
    expect(expectOk(await dispatch('dialer.updateCallData', { callAttributes: { is_attr_Outcome: 'Renewed', is_attr_Note: 'Call back Friday' } }))).toBeNull();
    expect(expectOk(await dispatch('dialer.markForFinishing', { callAttributes: { is_attr_Reason: 'Upsell' } }))).toBeNull();
    const call = sim.control.state().calls.find((c) => c.callId === '2001000001')!;
    expect(call.callData).toMatchObject({ is_attr_Outcome: 'Renewed', is_attr_Note: 'Call back Friday' });
    expect(call.markedForFinishing).toMatchObject({ callAttributes: { is_attr_Reason: 'Upsell' } });
  });

  it("reads the call's contact from request-contact-data, keeps it current and marks the call once", async () => {
    const { companion, dispatch, sim } = await withCall();
    const loaded = await waitForState(companion, (s) => s.dialer.call?.contactData?.status === 'loaded', 'the contact data');
    expect(loaded.dialer.call?.contactData?.columns).toEqual({
      AccountNumber: 'RN-48213',
      PolicyType: 'Home',
      RenewalDate: '2026-12-15',
      Premium: '384.00',
      Notes: '',
    });
    expectOk(await dispatch('dialer.updateCallData', { callAttributes: { Premium: '412.00' } }));
    expect(companion.publicState.dialer.call?.contactData?.columns.Premium).toBe('412.00');
    // CIC holds it too: a fresh read brings the new value back.
    expect(expectOk(await companion.handlers['dialer.requestContactData']({})).columns).toMatchObject({ Premium: '412.00' });

    expect(companion.publicState.dialer.call?.markedForFinishing).toBeUndefined();
    expectOk(await dispatch('dialer.markForFinishing', {}));
    expect(companion.publicState.dialer.call?.markedForFinishing).toBe(true);
    const seen = await requestsDuring(sim, async () => {
      expect(expectError(await dispatch('dialer.markForFinishing', {})).message).toBe('This call is already marked for finishing.');
    });
    expect(seen).toEqual([]);
  });

  it('an agent without a Dialer licence is told once, and Dialer actions are refused without asking CIC again', async () => {
    const sim = await startSim();
    const { companion } = await createTestCompanion();
    await signInAgent(companion, sim, { userId: 'agent2' });
    await logInStation(companion, '7002');
    sim.control.placeCall({ userId: 'agent2', state: 'C', remoteName: 'Jo Park' });
    const state = await waitForState(companion, (s) => s.dialer.unavailable !== undefined, 'Dialer unavailable');
    expect(state.dialer.unavailable).toBe('Dialer actions are not available to you: your CIC account has no Dialer licence.');
    expect(state.dialer.call).toMatchObject({ remoteName: 'Jo Park' });
    expect(state.dialer.call?.contactData).toBeUndefined();
    const dispatch = createDispatcher(companion.handlers, silentLogger);
    const seen = await requestsDuring(sim, async () => {
      expect(expectError(await dispatch('dialer.markForFinishing', {}))).toMatchObject({ kind: 'forbidden', message: state.dialer.unavailable });
    });
    expect(seen).toEqual([]);
  });

  it('takes an explicit call, looking its campaign up when only the call id is given', async () => {
    const { companion, dispatch, sim } = await withCall();
    const { callId } = sim.control.placeCall({ userId: 'agent1', state: 'C' });
    // The newest connected call becomes the active one; the first stays known on the queue.
    await waitForState(companion, (s) => s.dialer.call?.callId === callId, 'the second call active');
    expectOk(await dispatch('dialer.updateCallData', { callId: '2001000001', callAttributes: { a: '1' } }));
    expect(sim.control.state().calls.find((c) => c.callId === '2001000001')?.callData).toEqual({ a: '1' });
    expect(sim.control.state().calls.find((c) => c.callId === callId)?.callData).toEqual({});
    const unknown = expectError(await dispatch('dialer.markForFinishing', { callId: 'no-such-call' }));
    expect(unknown.kind).toBe('invalidInput');
    expect(unknown.message).toMatch(/Give the campaign id too/);
  });

  it('with no active Dialer call: noDialerCall, no request', async () => {
    const { dispatch, sim } = await ready();
    const seen = await requestsDuring(sim, async () => {
      expect(expectError(await dispatch('dialer.updateCallData', { callAttributes: { a: 'b' } })).kind).toBe('noDialerCall');
      expect(expectError(await dispatch('dialer.markForFinishing', {})).kind).toBe('noDialerCall');
    });
    expect(seen).toEqual([]);
  });

  it('a 403 names the licence or the right', async () => {
    const sim = await startSim();
    const { companion } = await createTestCompanion();
    await signInAgent(companion, sim, { userId: 'agent2' });
    const error = expectError(
      await companion.handlers['dialer.updateCallData']({ callId: '2001000001', campaignId: RENEWALS_CAMPAIGN_ID, callAttributes: { a: 'b' } }),
    );
    expect(error).toMatchObject({ kind: 'forbidden', status: 403 });
    expect(error.message).toMatch(/^Dialer actions need a Dialer Add-on licence/);
    expect(error.message).toContain('Neither the agent nor the station the agent is logged in to has a Dialer Add-on License available.');
  });

  it('call data keys and values are validated before anything is sent', async () => {
    const { dispatch, sim } = await withCall();
    const seen = await requestsDuring(sim, async () => {
      expect(expectError(await dispatch('dialer.updateCallData', { callAttributes: { ' ': 'x' } })).kind).toBe('invalidInput');
      expect(expectError(await dispatch('dialer.updateCallData', { callAttributes: { a: 5 } })).kind).toBe('invalidInput');
      expect(expectError(await dispatch('dialer.updateCallData', { callAttributes: { a: 'x'.repeat(4001) } })).kind).toBe('invalidInput');
    });
    expect(seen).toEqual([]);
  });

  it("a server whose Dialer API cannot read contact data shows the call's own IS_ATTR_ columns, and says why", async () => {
    const { companion } = await ready({ features: { dialer: 2 } });
    await logInStation(companion);
    const state = await waitForState(companion, (s) => s.dialer.call !== null, 'the Dialer call');
    expect(state.dialer.call?.contactData).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/dialer version 3/) });
  });

  it('a server without dialer 7 cannot mark for finishing, but can update call data', async () => {
    const { companion, dispatch, sim } = await ready({ features: { dialer: 3 } });
    await logInStation(companion);
    await waitForState(companion, (s) => s.dialer.call !== null, 'the Dialer call');
    const seen = await requestsDuring(sim, async () => {
      expect(expectError(await dispatch('dialer.markForFinishing', {}))).toMatchObject({ kind: 'unsupported', feature: { id: 'dialer', needed: 7, available: 3 } });
    });
    expect(seen).toEqual([]);
    expectOk(await dispatch('dialer.updateCallData', { callAttributes: { a: 'b' } }));
  });
});

describe('not signed in', () => {
  it('every CIC action answers notSignedIn', async () => {
    const { companion } = await createTestCompanion();
    const dispatch = createDispatcher(companion.handlers, silentLogger);
    for (const [name, params] of [
      ['station.logIn', { kind: 'workstation', workstation: '7001' }],
      ['station.logOut', undefined],
      ['followMe.record', undefined],
      ['voicemail.play', { id: 'x' }],
      ['voicemail.stop', undefined],
      ['voicemail.markRead', { id: 'x', read: true }],
      ['dialer.updateCallData', { callAttributes: { a: 'b' } }],
      ['dialer.requestContactData', {}],
      ['dialer.markForFinishing', {}],
    ] as const) {
      const result = await dispatch(name, params);
      expect(result.ok ? null : result.error.kind, name).toBe('notSignedIn');
    }
  });
});
