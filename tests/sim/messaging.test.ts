import { afterEach, describe, expect, it } from 'vitest';
import { byType, eventually, ICWS_JSON, login, simulatorsPerTest, SseReader } from './helpers';

const VOICEMAIL = 'urn:inin.com:unifiedMessaging:voicemailMessagesMessage';
const CONNECTION_STATE = 'urn:inin.com:connection:connectionStateChangeMessage';

const sim = simulatorsPerTest();
let readers: SseReader[] = [];
function track(reader: SseReader): SseReader {
  readers.push(reader);
  return reader;
}
// Registered after the simulators' hook, so it runs before it: streams end before their servers close.
afterEach(() => {
  for (const reader of readers) reader.close();
  readers = [];
});

describe('short poll', () => {
  it('answers a JSON array, isDelta:false first after a subscription, deltas after, and empties the queue', async () => {
    const s = await sim();
    const client = await login(s);
    expect(await client.poll()).toEqual([]);
    expect((await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages')).status).toBe(200);
    s.control.deliverVoicemail({ userId: 'agent1', from: 'Pat Doe (3175550100)' });
    const answer = await fetch(client.url('messaging/messages'), { headers: { Cookie: client.cookie } });
    expect(answer.headers.get('content-type')).toBe(ICWS_JSON);
    const messages = (await answer.json()) as Record<string, unknown>[];
    expect(messages.map((m) => [m.__type, m.isDelta])).toEqual([
      [VOICEMAIL, false],
      [VOICEMAIL, true],
    ]);
    expect(await client.poll()).toEqual([]);
  });

  it('delivers a connectionStateChangeMessage without any subscription', async () => {
    const s = await sim();
    const client = await login(s);
    s.control.sendConnectionState({ reason: 'Switchover in progress', shouldReconnect: true });
    const [message] = await client.poll();
    expect(message).toEqual({
      __type: CONNECTION_STATE,
      isDelta: false,
      previousConnectionState: 1,
      newConnectionState: 2,
      reason: 'Switchover in progress',
      shouldReconnect: true,
    });
  });

  it('answers heartbeat with 204', async () => {
    const s = await sim();
    const client = await login(s);
    expect((await client.call('POST', 'messaging/heartbeat')).status).toBe(204);
  });
});

describe('Server-Sent Events', () => {
  it('streams one message per data line with ids, isDelta:false first, and :ping comments', async () => {
    const s = await sim({ pingIntervalMs: 50 });
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages');
    const reader = track(await SseReader.open(client));
    expect(reader.status).toBe(200);
    expect(reader.headers['content-type']).toMatch(/^text\/event-stream/);
    await reader.until(() => reader.messages.length >= 1);
    s.control.deliverVoicemail({ userId: 'agent1' });
    await reader.until(() => reader.messages.length >= 2 && reader.lines.includes(':ping'));
    expect(reader.messages.map((m) => m.isDelta)).toEqual([false, true]);
    expect(reader.messages[0]).toMatchObject({ __type: VOICEMAIL });
    const dataLines = reader.lines.filter((line) => line.startsWith('data: '));
    for (const line of dataLines) expect(() => JSON.parse(line.slice(6)) as unknown).not.toThrow();
    expect(reader.lines.filter((line) => line.startsWith('id: '))).toEqual(['id: 1', 'id: 2']);
    // Each event is `id:`, one `data:` line, blank line: never two messages in one data line.
    const first = reader.lines.indexOf('id: 1');
    expect(reader.lines.slice(first, first + 3)).toEqual(['id: 1', dataLines[0], '']);
  });

  it('keeps messages queued while no stream is attached, so switching between polling and SSE loses and duplicates nothing', async () => {
    const s = await sim();
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages');
    const received: Record<string, unknown>[] = [];
    received.push(...(await client.poll())); // the initial full mailbox
    const ids: string[] = [];
    ids.push(s.control.deliverVoicemail({ userId: 'agent1', unifiedMessageId: 'vm-a' }).unifiedMessageId);

    const first = track(await SseReader.open(client));
    await first.until(() => first.messages.length === 1);
    ids.push(s.control.deliverVoicemail({ userId: 'agent1', unifiedMessageId: 'vm-b' }).unifiedMessageId);
    await first.until(() => first.messages.length === 2);
    first.close();
    await eventually(() => !s.control.state().sessions[0]?.streaming);

    ids.push(s.control.deliverVoicemail({ userId: 'agent1', unifiedMessageId: 'vm-c' }).unifiedMessageId);
    received.push(...first.messages, ...(await client.poll()));
    ids.push(s.control.deliverVoicemail({ userId: 'agent1', unifiedMessageId: 'vm-d' }).unifiedMessageId);
    const second = track(await SseReader.open(client));
    await second.until(() => second.messages.length === 1);
    received.push(...second.messages);

    const added = received
      .filter((m) => m.isDelta === true)
      .flatMap((m) => (m.voicemailMessagesAdded as { unifiedMessageId: string }[]).map((v) => v.unifiedMessageId));
    expect(added).toEqual(['vm-a', 'vm-b', 'vm-c', 'vm-d']);
    expect(ids).toEqual(added);
  });

  it('lets a new stream replace the old one (one consumer per session)', async () => {
    const s = await sim();
    const client = await login(s);
    const first = track(await SseReader.open(client));
    await eventually(() => s.control.state().sessions[0]?.streaming === true);
    const second = track(await SseReader.open(client));
    await first.untilEnded();
    s.control.sendConnectionState({ reason: 'x' });
    await second.until(() => second.messages.length === 1);
    expect(first.messages).toEqual([]);
  });

  it('answers the poll array instead of a stream when messaging is below 2', async () => {
    const s = await sim({ features: { messaging: 1 } });
    const client = await login(s);
    s.control.sendConnectionState({ reason: 'x' });
    const answer = await fetch(client.url('messaging/messages'), { headers: { Cookie: client.cookie, Accept: 'text/event-stream' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe(ICWS_JSON);
    const body = (await answer.json()) as Record<string, unknown>[];
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({ __type: CONNECTION_STATE });
  });

  it('fans a change out to 200 sessions with open streams', async () => {
    const s = await sim();
    const clients = await Promise.all(Array.from({ length: 200 }, () => login(s)));
    const streams = await Promise.all(clients.map((client) => SseReader.open(client)));
    streams.forEach(track);
    await eventually(() => s.control.state().sessions.filter((session) => session.streaming).length === 200);
    expect(s.control.sendConnectionState({ reason: 'fan out', shouldReconnect: false })).toEqual({ sent: 200 });
    await Promise.all(streams.map((stream) => stream.until(() => stream.messages.length === 1)));
    for (const stream of streams) expect(stream.messages[0]).toMatchObject({ __type: CONNECTION_STATE, reason: 'fan out' });
  });

  it('carries a burst of 10,000 deltas and ends in the state the simulator reports', async () => {
    const s = await sim();
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages');
    await client.call('PUT', 'messaging/subscriptions/unified-messaging/messages-waiting-indicator');
    const reader = track(await SseReader.open(client));
    await reader.until(() => reader.messages.length === 2);
    expect(s.control.burst({ userId: 'agent1', count: 10_000 })).toEqual({ sent: 10_000 });
    await reader.until(() => byType(reader.messages, VOICEMAIL).length === 10_001, 20_000);
    const cache = new Map<string, number>();
    for (const message of byType(reader.messages, VOICEMAIL)) {
      for (const v of (message.voicemailMessagesAdded ?? message.voicemailMessagesChanged) as { unifiedMessageId: string; state: number }[]) {
        cache.set(v.unifiedMessageId, v.state);
      }
    }
    const mailbox = s.control.state().mailboxes.agent1 ?? [];
    expect(Object.fromEntries(cache)).toEqual(Object.fromEntries(mailbox.map((v) => [v.unifiedMessageId, v.state])));
    // 10,000 flips over three messages: the first message flipped 3,334 times, the others 3,333 times.
    expect(Object.fromEntries(cache)).toEqual({ 'vm-agent1-0003': 0, 'vm-agent1-0002': 0, 'vm-agent1-0001': 0 });
  });
});
