// Sessions against the simulator over real HTTP: sign-in, both messaging modes, sign-out leaving nothing behind, 503
// switchover, expiry in the middle of an action, server-side closes, network loss and recovery.
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../sim/index';
import { MemoryCredentialStore } from '../../main/core/session/credentials';
import {
  cleanUp,
  createTestCompanion,
  expectError,
  expectOk,
  logInStation,
  signInAgent,
  startSim,
  waitFor,
  waitForState,
} from './helpers';

afterEach(cleanUp);

describe('sign-in and sign-out', () => {
  it('signs in over Server-Sent Events and fills the state from the subscriptions', async () => {
    const sim = await startSim();
    const { companion, transport } = await createTestCompanion({ locale: 'fr-CA' });
    const connection = await signInAgent(companion, sim);
    expect(connection).toMatchObject({ status: 'connected', server: sim.url, userId: 'agent1', displayName: 'Agent One', messaging: 'sse' });
    const state = companion.publicState;
    expect(state.features).toMatchObject({ connection: 15, messaging: 2, 'voice-prompts': 2, 'unified-messaging': 2, dialer: 7, queues: 2 });
    expect(state.voicemail.messages.map((m) => m.id)).toEqual(['vm-agent1-0003', 'vm-agent1-0002', 'vm-agent1-0001']);
    expect(state.voicemail.waiting).toBe(1);
    const signIn = transport.exchanges[0]!;
    expect(signIn.url).toBe(`${sim.url}/icws/connection?include=features,version`);
    expect(signIn.requestHeaders['Accept-Language']).toBe('fr-CA');
    const [session] = sim.control.state().sessions;
    expect(session).toMatchObject({
      userId: 'agent1',
      applicationName: 'ICWS Companion',
      languageId: 'fr-ca',
      streaming: true,
      subscriptions: { station: true, voicemail: true, mwi: true },
    });
    expect(session!.subscriptions.queues).toEqual([
      {
        subscriptionId: 'icws-companion-dialer',
        queueIds: [{ queueType: 1, queueName: 'agent1' }],
        attributeNames: ['Eic_State', 'Eic_RemoteName', 'Eic_RemoteAddress', 'Eic_CallDirection', 'is_attr_campaignid', 'is_attr_callid', 'IS_Attr_CampaignName'],
      },
    ]);
  });

  it('signs out: subscriptions and connection deleted, no timer, no stream, no request left', async () => {
    const sim = await startSim();
    const { companion, clock, transport } = await createTestCompanion();
    await signInAgent(companion, sim);
    await logInStation(companion);
    const deletes: string[] = [];
    sim.onRequest((record) => {
      if (record.method === 'DELETE') deletes.push(record.path);
    });
    expectOk(await companion.handlers['session.signOut'](undefined));
    expect(deletes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/messaging\/subscriptions\/connection\/station$/),
        expect.stringMatching(/voicemail-messages$/),
        expect.stringMatching(/messages-waiting-indicator$/),
        expect.stringMatching(/queues\/icws-companion-dialer$/),
      ]),
    );
    expect(deletes.at(-1)).toMatch(/^\/icws\/\d+\/connection$/);
    expect(sim.control.state().sessions).toEqual([]);
    expect(sim.control.state().stations).toEqual([]);
    expect(clock.pending).toBe(0);
    expect(transport.openBodies).toBe(0);
    expect(companion.publicState.connection).toEqual({ status: 'signedOut' });
    expect(companion.publicState.station).toBeNull();
    expect(companion.publicState.voicemail.messages).toEqual([]);
  });

  it('bad credentials fail for good and say so', async () => {
    const sim = await startSim();
    const { companion, clock } = await createTestCompanion();
    const error = expectError(await companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1', password: 'wrong' }));
    expect(error).toMatchObject({ kind: 'authenticationFailed', status: 400, errorId: 'error.request.connection.authenticationFailure' });
    expect(companion.publicState.connection).toMatchObject({ status: 'failed', error: { kind: 'authenticationFailed' } });
    expect(sim.control.state().sessions).toEqual([]);
    expect(clock.pending).toBe(0);
  });

  it('refuses a server address that is not one, before any request', async () => {
    const { companion, transport } = await createTestCompanion();
    const error = expectError(await companion.handlers['session.signIn']({ server: 'ftp://cic1', userId: 'agent1', password: 'x' }));
    expect(error).toEqual({ kind: 'invalidInput', message: 'The server address must start with https:// (or http:// for an unencrypted server).' });
    expect(transport.exchanges).toEqual([]);
  });

  it('a server that does not answer is a network error naming it', async () => {
    const sim = await startSimulator({ port: 0, quiet: true });
    const url = sim.url;
    await sim.close();
    const { companion } = await createTestCompanion();
    const error = expectError(await companion.handlers['session.signIn']({ server: url, userId: 'agent1', password: '1234' }));
    expect(error.kind).toBe('network');
    expect(error.message).toContain(url.replace('http://', ''));
    expect(companion.publicState.connection.status).toBe('failed');
  });

  it('without a password and nothing saved, asks for the password', async () => {
    const sim = await startSim();
    const { companion } = await createTestCompanion();
    const error = expectError(await companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1' }));
    expect(error.kind).toBe('invalidInput');
    expect(error.message).toMatch(/^Enter your password: none is saved for agent1/);
  });

  it('a keychain that refuses never blocks sign-in: the password is kept for this run and the state says why', async () => {
    const sim = await startSim();
    const { companion } = await createTestCompanion({ credentials: new MemoryCredentialStore('The system keychain is locked.') });
    const connection = await signInAgent(companion, sim, { remember: true });
    expect(connection).toMatchObject({ status: 'connected', passwordSaved: false });
    expect(connection.passwordNotSavedReason).toMatch(/^The system keychain is locked\. The password is kept only until you quit\.$/);
    // The run-only copy still renews an expired session.
    sim.control.expireSessions({});
    expectOk(await companion.handlers['voicemail.markRead']({ id: 'vm-agent1-0001', read: false }));
  });
  it('remember me: the saved password signs in, forgetting it removes it and the setting', async () => {
    const sim = await startSim();
    const credentials = new MemoryCredentialStore();
    const { companion, states } = await createTestCompanion({ credentials });
    await signInAgent(companion, sim, { remember: true });
    expect(credentials.entries.get(`agent1@${sim.url}`)).toBe('1234');
    // The connected state is published once, complete with the keychain outcome.
    expect(states.find((s) => s.connection.status === 'connected')?.connection.passwordSaved).toBe(true);
    expectOk(await companion.handlers['session.signOut'](undefined));
    expect(expectOk(await companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1' }))).toMatchObject({ status: 'connected', passwordSaved: true });
    expectOk(await companion.handlers['session.forgetPassword'](undefined));
    expect(credentials.entries.size).toBe(0);
    expect(companion.publicState.connection.passwordSaved).toBe(false);
    expect(companion.settings.rememberPassword).toBe(false);
    // Signing in without "remember me" removes what an earlier sign-in saved.
    await credentials.set(`agent1@${sim.url}`, 'stale');
    expect(expectOk(await companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1', password: '1234', remember: false })).passwordSaved).toBe(false);
    expect(credentials.entries.size).toBe(0);
  });
});

describe('messaging modes', () => {
  it('short-polls when the server has messaging 1, and messages still arrive', async () => {
    const sim = await startSim({ features: { messaging: 1 } });
    const { companion } = await createTestCompanion();
    const connection = await signInAgent(companion, sim);
    expect(connection.messaging).toBe('poll');
    const { unifiedMessageId } = sim.control.deliverVoicemail({ userId: 'agent1', from: 'Poll Caller', subject: 'Voice Mail from Poll Caller' });
    const state = await waitForState(companion, (s) => s.voicemail.messages.some((m) => m.id === unifiedMessageId), 'the polled voicemail');
    expect(state.voicemail.waiting).toBe(2);
    expect(sim.control.state().sessions[0]?.streaming).toBe(false);
  });

  it('falls back to polling when the stream is refused, losing and duplicating nothing', async () => {
    const sim = await startSim();
    const { companion, transport } = await createTestCompanion();
    await signInAgent(companion, sim);
    // The next stream request is refused; messages delivered meanwhile wait on the server for the poll.
    sim.control.failNext({ count: 1, status: 406, pattern: 'messaging/messages$' });
    sim.control.cutStreams({});
    const delivered = [
      sim.control.deliverVoicemail({ userId: 'agent1', from: 'A' }).unifiedMessageId,
      sim.control.deliverVoicemail({ userId: 'agent1', from: 'B' }).unifiedMessageId,
    ];
    await waitForState(companion, (s) => s.connection.messaging === 'poll', 'polling mode');
    const third = sim.control.deliverVoicemail({ userId: 'agent1', from: 'C' }).unifiedMessageId;
    const state = await waitForState(
      companion,
      (s) => [...delivered, third].every((id) => s.voicemail.messages.some((m) => m.id === id)),
      'all voicemails after the switch',
    );
    const world = sim.control.state();
    expect(state.voicemail.messages.map((m) => m.id).sort()).toEqual(world.mailboxes.agent1!.map((m) => m.unifiedMessageId).sort());
    expect(state.voicemail.waiting).toBe(world.messagesWaiting.agent1);
    // One consumer: never two requests for messages at once.
    expect(transport.maxConcurrentMessageRequests).toBe(1);
  });
});

describe('switchover and recovery', () => {
  it('walks to the alternate host a 503 names (same port) and signs in there', async () => {
    const first = await startSim({ host: '127.0.0.1' });
    const second = await startSim({ host: '127.0.0.2', port: first.port });
    first.control.stopAccepting({ alternateHostList: ['127.0.0.2'] });
    const { companion } = await createTestCompanion();
    const connection = await signInAgent(companion, first);
    expect(connection.server).toBe(`http://127.0.0.2:${first.port}`);
    expect(first.control.state().sessions).toEqual([]);
    expect(second.control.state().sessions.map((s) => s.userId)).toEqual(['agent1']);
  });

  it('an action whose session expired completes after one shared re-login, station restored', async () => {
    const sim = await startSim();
    const { companion } = await createTestCompanion();
    await signInAgent(companion, sim);
    await logInStation(companion);
    const before = sim.control.state().sessions[0]!.sessionId;
    sim.control.expireSessions({});
    const [record, update] = await Promise.all([
      companion.handlers['followMe.record'](undefined),
      companion.handlers['voicemail.markRead']({ id: 'vm-agent1-0002', read: false }),
    ]);
    expect(expectOk(record)).toEqual({ status: 'recording' });
    expectOk(update);
    const world = sim.control.state();
    expect(world.sessions).toHaveLength(1);
    expect(world.sessions[0]!.sessionId).not.toBe(before);
    expect(world.stations.map((s) => s.info.id)).toEqual(['7001']);
    expect(world.prompts.agent1?.followme?.pending).toBe('recorded');
    expect(world.mailboxes.agent1!.find((m) => m.unifiedMessageId === 'vm-agent1-0002')?.state).toBe(0);
    const state = await waitForState(companion, (s) => s.station?.id === '7001' && s.dialer.call !== null, 'station and call after re-login');
    expect(state.connection.status).toBe('connected');
  });

  it('a re-login the server refuses fails the action clearly and stops (sign-in shown again)', async () => {
    const sim = await startSim();
    const { companion, credentials, clock } = await createTestCompanion();
    await signInAgent(companion, sim, { remember: true });
    // The keychain now holds a password CIC does not take (changed elsewhere).
    await credentials.set(`agent1@${sim.url}`, 'no-longer-valid');
    sim.control.expireSessions({});
    const error = expectError(await companion.handlers['voicemail.markRead']({ id: 'vm-agent1-0001', read: false }));
    expect(error.kind).toBe('authenticationFailed');
    const state = await waitForState(companion, (s) => s.connection.status === 'failed', 'failed');
    expect(state.connection.error?.kind).toBe('authenticationFailed');
    await waitFor(() => clock.pending === 0, 'no timer left');
  });

  it('reconnects when CIC closes the session and says to reconnect', async () => {
    const sim = await startSim();
    const { companion, states } = await createTestCompanion();
    await signInAgent(companion, sim);
    const first = sim.control.state().sessions[0]!.sessionId;
    sim.control.sendConnectionState({ reason: 'The server is switching over.', shouldReconnect: true, endSession: true });
    await waitForState(companion, (s) => s.connection.status === 'reconnecting', 'reconnecting');
    const state = await waitForState(companion, (s) => s.connection.status === 'connected', 'connected again');
    expect(state.voicemail.messages).toHaveLength(3);
    expect(sim.control.state().sessions.map((s) => s.sessionId)).not.toContain(first);
    const reconnecting = states.find((s) => s.connection.status === 'reconnecting')!;
    expect(reconnecting.connection.nextAttemptAt).toEqual(expect.any(Number));
    expect(reconnecting.connection.error?.message).toMatch(/switching over/);
  });

  it('stops when CIC closes the session and says not to reconnect', async () => {
    const sim = await startSim();
    const { companion, clock } = await createTestCompanion();
    await signInAgent(companion, sim);
    sim.control.sendConnectionState({ reason: 'An administrator logged you off.', shouldReconnect: false, endSession: true });
    const state = await waitForState(companion, (s) => s.connection.status === 'failed', 'failed');
    expect(state.connection.error).toMatchObject({ kind: 'sessionExpired', message: expect.stringContaining('An administrator logged you off.') });
    expect(state.voicemail.messages).toEqual([]);
    // The stream's reader winds down right after; then nothing of the companion is left scheduled.
    await waitFor(() => clock.pending === 0, 'no timer left');
  });

  it('rides out a server that goes away: reconnecting with backoff, then connected on its return', async () => {
    const sim = await startSimulator({ port: 0, quiet: true });
    const port = sim.port;
    const { companion } = await createTestCompanion();
    await signInAgent(companion, sim);
    await sim.close();
    const reconnecting = await waitForState(companion, (s) => s.connection.status === 'reconnecting', 'reconnecting');
    expect(reconnecting.connection.error?.kind).toBe('network');
    const back = await startSim({ port });
    const state = await waitForState(companion, (s) => s.connection.status === 'connected' && s.voicemail.messages.length === 3, 'connected again');
    expect(state.connection.messaging).toBe('sse');
    expect(back.control.state().sessions.map((s) => s.userId)).toEqual(['agent1']);
  });

  it('the SSE stream cut by the network is reopened and nothing is missed', async () => {
    const sim = await startSim();
    const { companion } = await createTestCompanion();
    await signInAgent(companion, sim);
    expect(sim.control.cutStreams({}).cut).toBe(1);
    const { unifiedMessageId } = sim.control.deliverVoicemail({ userId: 'agent1', from: 'After the cut' });
    await waitForState(companion, (s) => s.voicemail.messages.some((m) => m.id === unifiedMessageId), 'the voicemail after the cut');
    await waitFor(() => sim.control.state().sessions[0]?.streaming, 'the stream to be open again');
    expect(companion.publicState.connection.status).toBe('connected');
    expect(sim.control.state().sessions).toHaveLength(1);
  });

  it('a stream silent past the deadline is treated as dead and reopened', async () => {
    const sim = await startSim({ pingIntervalMs: 600_000 });
    const { companion, transport } = await createTestCompanion({ timing: { pollIntervalMs: 100, sseSilenceMs: 300, backoff: { baseMs: 50, capMs: 400 } } });
    await signInAgent(companion, sim);
    const streams = () => transport.exchanges.filter((e) => e.url.endsWith('/messaging/messages')).length;
    await waitFor(() => streams() >= 3, 'the silent stream to be reopened twice');
    const { unifiedMessageId } = sim.control.deliverVoicemail({ userId: 'agent1', from: 'Quiet line' });
    await waitForState(companion, (s) => s.voicemail.messages.some((m) => m.id === unifiedMessageId), 'the voicemail on the reopened stream');
    expect(companion.publicState.connection.status).toBe('connected');
  });
});
