import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../sim';
import { byType, login, simulatorsPerTest } from './helpers';
import type { Client } from './helpers';

const VOICEMAIL = 'urn:inin.com:unifiedMessaging:voicemailMessagesMessage';
const PLAY_STATUS = 'urn:inin.com:unifiedMessaging:voicemailPlayStatusMessage';
const MWI = 'urn:inin.com:unifiedMessaging:mwiMessage';
const UNREAD = 'vm-agent1-0003';
const READ = 'vm-agent1-0002';

const sim = simulatorsPerTest();

async function subscribed(s: Simulator): Promise<Client> {
  const client = await login(s);
  await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages');
  await client.call('PUT', 'messaging/subscriptions/unified-messaging/messages-waiting-indicator');
  await client.poll();
  return client;
}

const playAtStation = { state: 1, playTarget: { __type: 'urn:inin.com:unifiedMessaging:currentStation' } };

describe('voicemail subscriptions', () => {
  it('starts with the whole mailbox in voicemailMessagesAdded and the unread count', async () => {
    const s = await sim();
    const client = await login(s);
    expect((await client.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages')).status).toBe(200);
    expect((await client.call('PUT', 'messaging/subscriptions/unified-messaging/messages-waiting-indicator')).status).toBe(200);
    const [mailbox, mwi] = await client.poll();
    expect(mailbox).toMatchObject({ __type: VOICEMAIL, isDelta: false });
    const added = (mailbox as { voicemailMessagesAdded: Record<string, unknown>[] }).voicemailMessagesAdded;
    expect(added.map((v) => [v.unifiedMessageId, v.state])).toEqual([
      [UNREAD, 0],
      [READ, 1],
      ['vm-agent1-0001', 1],
    ]);
    expect(added[0]).toMatchObject({ dateReceived: '20261120T091500Z', from: 'Dana Whitfield (3175550142)' });
    expect(added[0]?.attachments).toEqual([expect.objectContaining({ fileName: `${UNREAD}.wav`, mimeType: 'audio/wav' })]);
    expect(mwi).toEqual({ __type: MWI, isDelta: false, messagesWaiting: 1 });
    expect((await client.call('DELETE', 'messaging/subscriptions/unified-messaging/voicemail-messages')).status).toBe(204);
    expect((await client.call('DELETE', 'messaging/subscriptions/unified-messaging/messages-waiting-indicator')).status).toBe(204);
    s.control.deliverVoicemail({ userId: 'agent1' });
    expect(await client.poll()).toEqual([]);
  });

  it('refreshes the mwi count on request', async () => {
    const s = await sim();
    const client = await subscribed(s);
    expect((await client.call('PUT', 'unified-messaging/messages-waiting-indicator/count-refresh')).status).toBe(204);
    expect(await client.poll()).toEqual([{ __type: MWI, isDelta: true, messagesWaiting: 1 }]);
  });
});

describe('mark read and delete', () => {
  it('marks a message read with 204, a changed delta and an mwi delta', async () => {
    const s = await sim();
    const client = await subscribed(s);
    expect((await client.call('PUT', `unified-messaging/${UNREAD}`, { state: 1 })).status).toBe(204);
    expect(await client.poll()).toEqual([
      { __type: VOICEMAIL, isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: UNREAD, state: 1 }] },
      { __type: MWI, isDelta: true, messagesWaiting: 0 },
    ]);
    expect(s.control.state().mailboxes.agent1?.[0]?.state).toBe(1);
  });

  it('validates the state and the id', async () => {
    const s = await sim();
    const client = await subscribed(s);
    expect((await client.call('PUT', `unified-messaging/${UNREAD}`, {})).json).toMatchObject({ __type: 'urn:inin.com:common:missingPropertyError', propertyName: 'state' });
    expect((await client.call('PUT', `unified-messaging/${UNREAD}`, { state: 7 })).json).toMatchObject({ __type: 'urn:inin.com:common:invalidPropertyError', propertyName: 'state' });
    const unknown = await client.call('PUT', 'unified-messaging/vm-nope', { state: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ propertyName: 'unifiedMessageId' });
  });

  it('deletes a message with 204, a removed delta and an mwi delta', async () => {
    const s = await sim();
    const client = await subscribed(s);
    expect((await client.call('DELETE', `unified-messaging/${UNREAD}`)).status).toBe(204);
    expect(await client.poll()).toEqual([
      { __type: VOICEMAIL, isDelta: true, voicemailMessagesRemoved: [UNREAD] },
      { __type: MWI, isDelta: true, messagesWaiting: 0 },
    ]);
    expect(s.control.state().mailboxes.agent1?.map((v) => v.unifiedMessageId)).toEqual([READ, 'vm-agent1-0001']);
  });
});

describe('play/start and play/stop', () => {
  it('needs a station to play at the current station', async () => {
    const s = await sim();
    const client = await subscribed(s);
    const answer = await client.call('POST', `unified-messaging/${UNREAD}/voicemail-message/play/start`, playAtStation);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ errorId: 'error.request.noStation' });
  });

  it('plays, marks read, then stops with 204, a stopped status and a new voicemail message', async () => {
    const s = await sim();
    const client = await subscribed(s);
    await client.stationLogon();
    expect((await client.call('POST', `unified-messaging/${UNREAD}/voicemail-message/play/start`, playAtStation)).status).toBe(204);
    expect(await client.poll()).toEqual([
      { __type: PLAY_STATUS, isDelta: true, unifiedMessageId: UNREAD, playStatus: 0 },
      { __type: VOICEMAIL, isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: UNREAD, state: 1 }] },
      { __type: MWI, isDelta: true, messagesWaiting: 0 },
    ]);
    expect(s.control.state().playStatus.agent1).toMatchObject({ unifiedMessageId: UNREAD, playStatus: 0, target: 'station' });

    expect((await client.call('POST', `unified-messaging/${UNREAD}/voicemail-message/play/stop`)).status).toBe(204);
    expect(await client.poll()).toEqual([
      { __type: PLAY_STATUS, isDelta: true, unifiedMessageId: UNREAD, playStatus: 1 },
      { __type: VOICEMAIL, isDelta: true, voicemailMessagesChanged: [{ unifiedMessageId: UNREAD, state: 1 }] },
    ]);
    expect(s.control.state().playStatus.agent1?.playStatus).toBe(1);
  });

  it('plays to a number without a station, and requires the target', async () => {
    const s = await sim();
    const client = await subscribed(s);
    const target = { __type: 'urn:inin.com:unifiedMessaging:voicemailPlayTarget', target: '+13175551234' };
    expect((await client.call('POST', `unified-messaging/${READ}/voicemail-message/play/start`, { state: 1, playTarget: target })).status).toBe(204);
    expect(s.control.state().playStatus.agent1).toMatchObject({ unifiedMessageId: READ, playStatus: 0, target: '+13175551234' });
    const noTarget = await client.call('POST', `unified-messaging/${READ}/voicemail-message/play/start`, {
      state: 1,
      playTarget: { __type: 'urn:inin.com:unifiedMessaging:voicemailPlayTarget' },
    });
    expect(noTarget.json).toMatchObject({ __type: 'urn:inin.com:common:missingPropertyError', propertyName: 'target' });
  });

  it('answers stop with the three documented 400 errorIds', async () => {
    const s = await sim({
      scenario: {
        mailboxes: {
          agent1: [
            { unifiedMessageId: 'vm-1', dateReceived: '20261120T091500Z', from: 'A', subject: 'S' },
            { unifiedMessageId: 'fax-1', kind: 'fax', dateReceived: '20261120T091500Z', from: 'B', subject: 'Fax' },
          ],
        },
      },
    });
    const client = await subscribed(s);
    const blank = await client.call('POST', 'unified-messaging/%20/voicemail-message/play/stop');
    expect(blank.status).toBe(400);
    expect(blank.json).toMatchObject({
      __type: 'urn:inin.com:common:missingPropertyError',
      errorId: 'error.request.invalidRepresentation.missingRequiredParameter',
      propertyName: 'unifiedMessageId',
    });
    for (const id of ['fax-1', 'vm-unknown']) {
      const notVoicemail = await client.call('POST', `unified-messaging/${id}/voicemail-message/play/stop`);
      expect(notVoicemail.status).toBe(400);
      expect(notVoicemail.json).toMatchObject({
        __type: 'urn:inin.com:common:invalidPropertyError',
        errorId: 'error.request.invalidRepresentation.invalidProperty',
        propertyName: 'unifiedMessageId',
      });
    }
    const notPlaying = await client.call('POST', 'unified-messaging/vm-1/voicemail-message/play/stop');
    expect(notPlaying.status).toBe(400);
    expect(notPlaying.json).toMatchObject({ __type: 'urn:inin.com:common:error', errorId: 'error.request.invalidRepresentation.malformed' });
    // The fax is in the mailbox but never on the voicemail subscription.
    s.control.reset();
    const fresh = await login(s);
    await fresh.call('PUT', 'messaging/subscriptions/unified-messaging/voicemail-messages');
    const [first] = await fresh.poll();
    expect((first as { voicemailMessagesAdded: { unifiedMessageId: string }[] }).voicemailMessagesAdded.map((v) => v.unifiedMessageId)).toEqual(['vm-1']);
  });

  it('stops on its own after the message duration with a stopped status', async () => {
    const s = await sim({
      scenario: { mailboxes: { agent1: [{ unifiedMessageId: 'vm-short', durationSeconds: 0.05, dateReceived: '20261120T091500Z', from: 'A', subject: 'S' }] } },
    });
    const client = await subscribed(s);
    await client.stationLogon();
    await client.call('POST', 'unified-messaging/vm-short/voicemail-message/play/start', playAtStation);
    const seen = await client.pollUntil(PLAY_STATUS);
    const statuses: Record<string, unknown>[] = byType(seen, PLAY_STATUS);
    while (!statuses.some((m) => m.playStatus === 1)) statuses.push(...byType(await client.pollUntil(PLAY_STATUS), PLAY_STATUS));
    expect(statuses.map((m) => m.playStatus)).toEqual([0, 1]);
    expect(s.control.state().playStatus.agent1?.playStatus).toBe(1);
  });

  it('stops playback at the station when the station goes', async () => {
    const s = await sim();
    const client = await subscribed(s);
    await client.stationLogon();
    await client.call('POST', `unified-messaging/${READ}/voicemail-message/play/start`, playAtStation);
    await client.poll();
    await client.call('DELETE', 'connection/station');
    expect(await client.poll()).toEqual([{ __type: PLAY_STATUS, isDelta: true, unifiedMessageId: READ, playStatus: 1 }]);
  });
});
