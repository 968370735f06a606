import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { MessageQueue } from '../../sim/messageQueue';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../sim';
import { CAMPAIGN, eventually, login, request, simulatorsPerTest, SseReader } from './helpers';

const sim = simulatorsPerTest();
let readers: SseReader[] = [];
// Registered after the simulators' hook, so it runs before it: streams end before their servers close.
afterEach(() => {
  for (const reader of readers) reader.close();
  readers = [];
});

function control(s: Simulator, method: string, path: string, body?: unknown) {
  return request(`${s.url}/sim/${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

type State = ReturnType<Simulator['control']['state']>;
async function state(s: Simulator): Promise<State> {
  return (await control(s, 'GET', 'state')).json as State;
}

describe('control API: state and reset', () => {
  it('shows sessions without passwords or tokens, stations, calls and mailboxes', async () => {
    const s = await sim();
    const client = await login(s);
    await client.stationLogon();
    const answer = await control(s, 'GET', 'state');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    const text = answer.text;
    expect(text).not.toContain('"password"');
    expect(text).not.toContain(client.csrfToken);
    expect(text).not.toContain(client.cookie.split('=')[1]?.split('|')[0] ?? 'no-cookie');
    const st = answer.json as State;
    expect(st.sessions).toEqual([expect.objectContaining({ sessionId: client.sessionId, userId: 'agent1', stationId: '7001' })]);
    expect(st.stations[0]?.info.id).toBe('7001');
    expect(st.calls[0]).toMatchObject({ callId: '2001000001', campaignId: CAMPAIGN, state: 'C', userId: 'agent1' });
    expect(st.messagesWaiting).toEqual({ agent1: 1, agent2: 0 });
  });

  it('resets to the scenario, ending every session', async () => {
    const s = await sim();
    const client = await login(s);
    await control(s, 'POST', 'voicemail/deliver', { userId: 'agent1' });
    expect((await control(s, 'POST', 'reset')).status).toBe(200);
    const st = await state(s);
    expect(st.sessions).toEqual([]);
    expect(st.mailboxes.agent1).toHaveLength(3);
    expect((await client.call('GET', 'connection')).status).toBe(401);
  });

  it('answers unknown endpoints with 404, wrong methods with 405, bad bodies with 400 and a clear message', async () => {
    const s = await sim();
    expect((await control(s, 'GET', 'nothing')).status).toBe(404);
    const wrong = await control(s, 'GET', 'reset');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const invalid = await control(s, 'POST', 'messages/burst', { userId: 'agent1', count: 'many' });
    expect(invalid.status).toBe(400);
    expect((invalid.json as { error: string }).error).toMatch(/count/);
    const malformed = await request(`${s.url}/sim/reset`, { method: 'POST', body: '{' });
    expect(malformed.status).toBe(400);
    expect((malformed.json as { error: string }).error).toMatch(/malformed JSON/);
    const unknownUser = await control(s, 'POST', 'voicemail/deliver', { userId: 'ghost' });
    expect(unknownUser.status).toBe(404);
  });
});

describe('control API: voicemail', () => {
  it('delivers a voicemail as a delta to subscribers', async () => {
    const s = await sim();
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages');
    await client.poll();
    const answer = await control(s, 'POST', 'voicemail/deliver', { userId: 'agent1', from: 'Sam Roe (3175550177)', subject: 'Call me back' });
    const { unifiedMessageId } = answer.json as { unifiedMessageId: string };
    const [delta] = await client.poll();
    expect(delta).toMatchObject({ isDelta: true, voicemailMessagesAdded: [{ unifiedMessageId, state: 0, from: 'Sam Roe (3175550177)', subject: 'Call me back' }] });
    const added = (delta as { voicemailMessagesAdded: { dateReceived: string }[] }).voicemailMessagesAdded[0];
    expect(added?.dateReceived).toMatch(/^\d{8}T\d{6}Z$/);
  });

  it('sets a whole mailbox in bulk (10,000 entries)', async () => {
    const s = await sim();
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages');
    await client.poll();
    expect((await control(s, 'PUT', 'voicemail/mailbox', { userId: 'agent1', generate: 10_000 })).json).toEqual({ count: 10_000 });
    const [removed, added] = await client.poll();
    expect(removed).toMatchObject({ voicemailMessagesRemoved: ['vm-agent1-0003', 'vm-agent1-0002', 'vm-agent1-0001'] });
    expect((added as { voicemailMessagesAdded: unknown[] }).voicemailMessagesAdded).toHaveLength(10_000);
    expect((await state(s)).messagesWaiting.agent1).toBe(3334);
    const explicit = await control(s, 'PUT', 'voicemail/mailbox', {
      userId: 'agent2',
      messages: [{ unifiedMessageId: 'vm-x', dateReceived: '20261120T091500Z', from: 'A', subject: 'S' }],
    });
    expect(explicit.json).toEqual({ count: 1 });
    expect((await control(s, 'PUT', 'voicemail/mailbox', { userId: 'agent2' })).status).toBe(400);
  });

  it('sets the play status', async () => {
    const s = await sim();
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages');
    await client.poll();
    await control(s, 'POST', 'voicemail/play-status', { userId: 'agent1', unifiedMessageId: 'vm-agent1-0002', playStatus: 0 });
    await control(s, 'POST', 'voicemail/play-status', { userId: 'agent1', unifiedMessageId: 'vm-agent1-0002', playStatus: 1 });
    expect((await client.poll()).map((m) => m.playStatus)).toEqual([0, 1]);
    expect((await control(s, 'POST', 'voicemail/play-status', { userId: 'agent1', unifiedMessageId: 'nope', playStatus: 0 })).status).toBe(404);
  });
});

describe('control API: Dialer calls and stations', () => {
  it('places, updates and ends a call', async () => {
    const s = await sim();
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/queues/q', { queueIds: [{ queueType: 1, queueName: 'AGENT1' }], attributeNames: ['Eic_State', 'is_attr_Priority'] });
    await client.poll();
    const placed = await control(s, 'POST', 'dialer/calls', { userId: 'agent1', callId: '3000', state: 'A', attributes: { is_attr_Priority: 'high' } });
    expect(placed.json).toEqual({ callId: '3000' });
    expect((await control(s, 'POST', 'dialer/calls', { callId: '3000' })).status).toBe(409);
    expect((await control(s, 'PATCH', 'dialer/calls/3000', { state: 'C' })).status).toBe(200);
    expect((await control(s, 'DELETE', 'dialer/calls/3000')).status).toBe(200);
    expect((await control(s, 'DELETE', 'dialer/calls/3000')).status).toBe(404);
    const messages = await client.poll();
    expect(messages.map((m) => m.interactionsAdded ?? m.interactionsChanged ?? m.interactionsRemoved)).toEqual([
      [{ interactionId: '3000', attributes: { Eic_State: 'A', is_attr_Priority: 'high' } }],
      [{ interactionId: '3000', attributes: { Eic_State: 'C' } }],
      [{ interactionId: '3000', attributes: { Eic_State: 'I' } }],
      ['3000'],
    ]);
  });

  it('drops a user’s station with a reason and updates station fields', async () => {
    const s = await sim();
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/connection/station');
    await client.stationLogon();
    await client.poll();
    expect((await control(s, 'POST', 'station/update', { userId: 'agent1', changes: { sipPassword: 'rotated' } })).status).toBe(200);
    expect((await control(s, 'POST', 'station/drop', { userId: 'agent1', reason: 'Maintenance' })).json).toEqual({ dropped: true });
    expect((await control(s, 'POST', 'station/drop', { userId: 'agent1' })).json).toEqual({ dropped: false });
    expect((await control(s, 'POST', 'station/update', { userId: 'agent1', changes: {} })).status).toBe(409);
    const [updated, dropped] = await client.poll();
    expect(updated).toMatchObject({ newStationInfo: { sipPassword: 'rotated' } });
    expect(dropped).toMatchObject({ newStationInfo: { stationSetting: 0 }, reason: 'Maintenance' });
  });
});

describe('control API: faults', () => {
  it('expires sessions: the next calls get 401 and open streams end', async () => {
    const s = await sim();
    const client = await login(s);
    const reader = await SseReader.open(client);
    readers.push(reader);
    expect((await control(s, 'POST', 'sessions/expire', {})).json).toEqual({ expired: 1 });
    await reader.untilEnded();
    expect((await client.call('GET', 'connection')).status).toBe(401);
  });

  it('stops and resumes accepting connections', async () => {
    const s = await sim();
    await control(s, 'POST', 'faults/not-accepting', { alternateHostList: ['backup.example.com'] });
    const refused = await request(`${s.url}/icws/connection`, {
      method: 'POST',
      headers: { 'Accept-Language': 'en-US', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ alternateHostList: ['backup.example.com'] });
    expect((await state(s)).accepting).toBe(false);
    await control(s, 'POST', 'faults/accepting');
    await login(s);
  });

  it('fails the next N calls of a path prefix or pattern with the given status and body', async () => {
    const s = await sim();
    const client = await login(s);
    await control(s, 'POST', 'faults/fail-next', { count: 2, status: 500, pathPrefix: `/icws/${client.sessionId}/connection` });
    await control(s, 'POST', 'faults/fail-next', { status: 502, pattern: 'messaging/messages$', body: '<html>Bad gateway</html>' });
    expect((await state(s)).faults.failRules).toHaveLength(2);
    const first = await client.call('GET', 'connection');
    expect(first.status).toBe(500);
    expect(first.json).toMatchObject({ errorId: 'error.server.injectedFault' });
    expect((await client.call('GET', 'connection')).status).toBe(500);
    expect((await client.call('GET', 'connection')).status).toBe(200);
    const gateway = await request(client.url('messaging/messages'), { headers: { Cookie: client.cookie } });
    expect(gateway.status).toBe(502);
    expect(gateway.text).toBe('<html>Bad gateway</html>');
    expect((await client.poll())).toEqual([]);
    expect((await control(s, 'POST', 'faults/fail-next', { status: 500, pattern: '([' })).status).toBe(400);
  });

  it('gives an injected 401 the WWW-Authenticate challenge every 401 carries, unless the rule sets its own', async () => {
    const s = await sim();
    const client = await login(s);
    await control(s, 'POST', 'faults/fail-next', { status: 401, pattern: 'connection/station$' });
    const injected = await client.call('GET', 'connection/station');
    expect(injected.status).toBe(401);
    expect(injected.headers.get('www-authenticate')).toBe('ICWS realm="ICWS" location="/ICWS/connection"');
    await control(s, 'POST', 'faults/fail-next', { status: 401, pattern: 'connection/station$', headers: { 'www-authenticate': 'Basic realm="proxy"' } });
    expect((await client.call('GET', 'connection/station')).headers.get('www-authenticate')).toBe('Basic realm="proxy"');
    await control(s, 'POST', 'faults/fail-next', { status: 500, pattern: 'connection/station$' });
    expect((await client.call('GET', 'connection/station')).headers.get('www-authenticate')).toBeNull();
  });

  it('adds latency to matching paths only, and clears it', async () => {
    const s = await sim();
    const client = await login(s);
    await control(s, 'POST', 'faults/latency', { ms: 60_000, pathPrefix: `/icws/${client.sessionId}/connection` });
    expect((await state(s)).faults.latency).toEqual({ ms: 60_000, pathPrefix: `/icws/${client.sessionId}/connection` });
    const abort = new AbortController();
    let settled = false;
    const slow = fetch(client.url('connection'), { headers: client.headers(), signal: abort.signal }).then(
      () => (settled = true),
      () => (settled = true),
    );
    expect(await client.poll()).toEqual([]);
    expect(settled).toBe(false);
    abort.abort();
    await slow;
    expect((await control(s, 'DELETE', 'faults')).status).toBe(200);
    expect((await state(s)).faults).toEqual({ failRules: [], latency: null });
    expect((await client.call('GET', 'connection')).status).toBe(200);
  });

  it('cuts SSE streams without a clean end', async () => {
    const s = await sim();
    const client = await login(s);
    const reader = await SseReader.open(client);
    readers.push(reader);
    await eventually(() => s.control.state().sessions[0]?.streaming === true);
    expect((await control(s, 'POST', 'faults/cut-streams', { userId: 'agent1' })).json).toEqual({ cut: 1 });
    await reader.untilEnded();
    expect((await client.call('GET', 'connection')).status).toBe(200);
  });

  it('sends malformed messages: invalid JSON, no __type, unknown __type', async () => {
    const s = await sim();
    const client = await login(s);
    const reader = await SseReader.open(client);
    readers.push(reader);
    for (const kind of ['invalidJson', 'missingType', 'unknownType']) {
      expect((await control(s, 'POST', 'faults/malformed', { kind, sessionId: client.sessionId })).json).toEqual({ sent: 1 });
    }
    await reader.until(() => reader.messages.length === 3);
    expect(reader.messages[0]).toHaveProperty('unparsable');
    expect(reader.messages[1]).not.toHaveProperty('__type');
    expect(reader.messages[2]).toMatchObject({ __type: 'urn:inin.com:simulator:unknownMessage' });
    expect((await control(s, 'POST', 'faults/malformed', { kind: 'other' })).status).toBe(400);
  });

  it('sends a connectionStateChangeMessage with shouldReconnect, optionally ending the session', async () => {
    const s = await sim();
    const client = await login(s);
    const other = await login(s, 'agent2');
    const answer = await control(s, 'POST', 'messages/connection-state', { userId: 'agent1', reason: 'Switchover', shouldReconnect: true, endSession: true });
    expect(answer.json).toEqual({ sent: 1 });
    expect((await client.call('GET', 'connection')).status).toBe(401);
    expect(await other.poll()).toEqual([]);
  });

  it('sends a burst of deltas', async () => {
    const s = await sim();
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages');
    await client.poll();
    expect((await control(s, 'POST', 'messages/burst', { userId: 'agent1', count: 5 })).json).toEqual({ sent: 5 });
    expect(await client.poll()).toHaveLength(5);
  });

  it('floods new voicemails, one delta each, and keeps them in the mailbox', async () => {
    const s = await sim();
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages');
    await client.poll();
    expect((await control(s, 'POST', 'messages/burst', { userId: 'agent1', count: 4, kind: 'voicemailAdded' })).json).toEqual({ sent: 4 });
    const messages = (await client.poll()) as { voicemailMessagesAdded?: { unifiedMessageId: string }[]; messagesWaiting?: number }[];
    const added = messages.filter((m) => m.voicemailMessagesAdded).map((m) => m.voicemailMessagesAdded!.map((e) => e.unifiedMessageId));
    expect(added).toHaveLength(4);
    expect(added.every((ids) => ids.length === 1)).toBe(true);
    const mailbox = s.control.state().mailboxes.agent1!.map((e) => e.unifiedMessageId);
    expect(mailbox.slice(0, 4)).toEqual(added.map((ids) => ids[0]).reverse());
  });
});

describe('one event per write', () => {
  it('writes each SSE message on its own, as CIC does; by default a tick’s messages in one write', () => {
    for (const [writes, expected] of [['perEvent', 3], ['perTick', 1]] as const) {
      const queue = new MessageQueue(writes);
      const chunks: string[] = [];
      const stream = Object.assign(new EventEmitter(), { writableEnded: false, destroyed: false, write: (chunk: string) => chunks.push(chunk), end: () => {} });
      queue.attach(stream as unknown as ServerResponse);
      for (const n of [1, 2, 3]) queue.push(`{"n":${n}}`);
      queue.close();
      expect(chunks).toHaveLength(expected);
      expect(chunks.join('')).toBe('id: 1\ndata: {"n":1}\n\nid: 2\ndata: {"n":2}\n\nid: 3\ndata: {"n":3}\n\n');
    }
  });
});

describe('onRequest', () => {
  it('reports every request with method, path and a performance.now() timestamp; unsubscribe stops it', async () => {
    const s = await sim();
    const seen: { method: string; path: string; receivedAt: number }[] = [];
    const stop = s.onRequest((r) => seen.push(r));
    await request(`${s.url}/icws/connection/version`);
    stop();
    await request(`${s.url}/icws/connection/features`);
    expect(seen).toEqual([{ method: 'GET', path: '/icws/connection/version', receivedAt: expect.any(Number) as number }]);
  });
});
