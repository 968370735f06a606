import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../sim';
import { CAMPAIGN, login, simulatorsPerTest } from './helpers';
import type { Client } from './helpers';

const QUEUE = 'urn:inin.com:queues:queueContentsMessage';
const CALL = '2001000001';
const ATTRIBUTES = ['EIC_STATE', 'eic_remotename', 'Eic_RemoteAddress', 'Eic_CallDirection', 'IS_ATTR_CAMPAIGNID', 'is_attr_callid'];

const sim = simulatorsPerTest();

async function agentWithCall(s: Simulator): Promise<Client> {
  const client = await login(s);
  await client.stationLogon('7001');
  return client;
}

function subscribeQueue(client: Client, attributeNames = ATTRIBUTES, subscriptionId = 'my-queue') {
  return client.call('PUT', `messaging/subscriptions/queues/${subscriptionId}`, {
    queueIds: [{ queueType: 1, queueName: 'agent1' }],
    attributeNames,
  });
}

describe('queue subscription', () => {
  it('shows the Dialer call with only the requested attributes, under the names asked, case-insensitively', async () => {
    const s = await sim();
    const client = await agentWithCall(s);
    expect((await subscribeQueue(client, [...ATTRIBUTES, 'Eic_NotThere'])).status).toBe(200);
    expect(await client.poll()).toEqual([
      {
        __type: QUEUE,
        isDelta: false,
        subscriptionId: 'my-queue',
        interactionsAdded: [
          {
            interactionId: CALL,
            attributes: {
              EIC_STATE: 'C',
              eic_remotename: 'Morgan Ellis',
              Eic_RemoteAddress: '+13175550123',
              Eic_CallDirection: 'O',
              IS_ATTR_CAMPAIGNID: CAMPAIGN,
              is_attr_callid: CALL,
            },
          },
        ],
      },
    ]);
    expect((await client.call('DELETE', 'messaging/subscriptions/queues/my-queue')).status).toBe(204);
    expect(s.control.state().sessions[0]?.subscriptions.queues).toEqual([]);
  });

  it('has no call before a station, adds it on logon and removes it (after a disconnect) on logoff', async () => {
    const s = await sim();
    const client = await login(s);
    await subscribeQueue(client, ['Eic_State']);
    expect(await client.poll()).toEqual([{ __type: QUEUE, isDelta: false, subscriptionId: 'my-queue', interactionsAdded: [] }]);
    await client.stationLogon();
    expect(await client.poll()).toEqual([
      { __type: QUEUE, isDelta: true, subscriptionId: 'my-queue', interactionsAdded: [{ interactionId: CALL, attributes: { Eic_State: 'C' } }] },
    ]);
    await client.call('DELETE', 'connection/station');
    expect(await client.poll()).toEqual([
      { __type: QUEUE, isDelta: true, subscriptionId: 'my-queue', interactionsChanged: [{ interactionId: CALL, attributes: { Eic_State: 'I' } }] },
      { __type: QUEUE, isDelta: true, subscriptionId: 'my-queue', interactionsRemoved: [CALL] },
    ]);
    expect(s.control.state().calls).toEqual([]);
  });

  it('validates the subscription body', async () => {
    const s = await sim();
    const client = await login(s);
    const noQueues = await client.call('PUT', 'messaging/subscriptions/queues/q', { attributeNames: [] });
    expect(noQueues.json).toMatchObject({ __type: 'urn:inin.com:common:missingPropertyError', propertyName: 'queueIds' });
    const noNames = await client.call('PUT', 'messaging/subscriptions/queues/q', { queueIds: [] });
    expect(noNames.json).toMatchObject({ propertyName: 'attributeNames' });
    const bad = await client.call('PUT', 'messaging/subscriptions/queues/q', { queueIds: [{ queueName: 'agent1' }], attributeNames: [] });
    expect(bad.json).toMatchObject({ __type: 'urn:inin.com:common:invalidPropertyError', propertyName: 'queueIds' });
  });
});

describe('dialer/update-call-data', () => {
  it('answers 202, stores the call data and mirrors it as is_attr_ attributes', async () => {
    const s = await sim();
    const client = await agentWithCall(s);
    await subscribeQueue(client, ['is_attr_Outcome', 'Eic_State']);
    await client.poll();
    const answer = await client.call('POST', 'dialer/update-call-data', { callId: CALL, campaignId: CAMPAIGN, callAttributes: { Outcome: 'Renewed' } });
    expect(answer.status).toBe(202);
    expect(s.control.state().calls[0]?.callData).toEqual({ Outcome: 'Renewed' });
    expect(s.control.state().calls[0]?.attributes).toMatchObject({ is_attr_Outcome: 'Renewed' });
    expect(await client.poll()).toEqual([
      { __type: QUEUE, isDelta: true, subscriptionId: 'my-queue', interactionsChanged: [{ interactionId: CALL, attributes: { is_attr_Outcome: 'Renewed' } }] },
    ]);
  });

  it('answers 400 missingPropertyError naming callId, campaignId or callAttributes', async () => {
    const s = await sim();
    const client = await agentWithCall(s);
    const full = { callId: CALL, campaignId: CAMPAIGN, callAttributes: { a: 'b' } };
    for (const missing of ['callId', 'campaignId', 'callAttributes'] as const) {
      const body: Record<string, unknown> = { ...full };
      delete body[missing];
      const answer = await client.call('POST', 'dialer/update-call-data', body);
      expect(answer.status, missing).toBe(400);
      expect(answer.json).toMatchObject({
        __type: 'urn:inin.com:common:missingPropertyError',
        errorId: 'error.request.invalidRepresentation.missingRequiredParameter',
        propertyName: missing,
      });
    }
    const notStrings = await client.call('POST', 'dialer/update-call-data', { ...full, callAttributes: { a: 1 } });
    expect(notStrings.json).toMatchObject({ __type: 'urn:inin.com:common:invalidPropertyError', propertyName: 'callAttributes' });
  });

  it('answers 400 invalidPropertyError for an unknown call or the wrong campaign', async () => {
    const s = await sim();
    const client = await agentWithCall(s);
    const unknown = await client.call('POST', 'dialer/update-call-data', { callId: '999', campaignId: CAMPAIGN, callAttributes: {} });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ __type: 'urn:inin.com:common:invalidPropertyError', propertyName: 'callId' });
    const wrongCampaign = await client.call('POST', 'dialer/update-call-data', { callId: CALL, campaignId: 'OTHER', callAttributes: {} });
    expect(wrongCampaign.json).toMatchObject({ propertyName: 'campaignId' });
  });

  it('answers 403 without the Dialer licence, saying so', async () => {
    const s = await sim();
    const client = await login(s, 'agent2');
    const answer = await client.call('POST', 'dialer/update-call-data', { callId: CALL, campaignId: CAMPAIGN, callAttributes: {} });
    expect(answer.status).toBe(403);
    expect((answer.json as { message: string }).message).toContain('Dialer Add-on License');
  });

  it('answers 403 without the Logon Campaign right, saying so', async () => {
    const s = await sim({
      scenario: {
        users: [{ userId: 'agent3', password: 'x', displayName: 'Agent Three', dialerLicence: true, logonCampaignRight: false }],
        mailboxes: {},
        dialerCalls: [],
      },
    });
    const client = await login(s, 'agent3', 'x');
    for (const op of ['update-call-data', 'mark-call-for-finishing']) {
      const answer = await client.call('POST', `dialer/${op}`, { callId: CALL, campaignId: CAMPAIGN, callAttributes: {} });
      expect(answer.status).toBe(403);
      expect((answer.json as { message: string }).message).toContain('"Logon Campaign"');
    }
  });
});

describe('dialer/mark-call-for-finishing', () => {
  it('answers 200 and records the mark (callAttributes optional)', async () => {
    const s = await sim();
    const client = await agentWithCall(s);
    const answer = await client.call('POST', 'dialer/mark-call-for-finishing', { callId: CALL, campaignId: CAMPAIGN });
    expect(answer.status).toBe(200);
    expect(s.control.state().calls[0]?.markedForFinishing).toMatchObject({ callAttributes: {} });
    await client.call('POST', 'dialer/mark-call-for-finishing', { callId: CALL, campaignId: CAMPAIGN, callAttributes: { Note: 'Call back' } });
    expect(s.control.state().calls[0]?.markedForFinishing?.callAttributes).toEqual({ Note: 'Call back' });
    expect(s.control.state().calls[0]?.callData).toEqual({ Note: 'Call back' });
  });

  it('answers 400 for missing properties and unknown calls, 403 without licence', async () => {
    const s = await sim();
    const client = await agentWithCall(s);
    expect((await client.call('POST', 'dialer/mark-call-for-finishing', { campaignId: CAMPAIGN })).json).toMatchObject({ propertyName: 'callId' });
    expect((await client.call('POST', 'dialer/mark-call-for-finishing', { callId: CALL })).json).toMatchObject({ propertyName: 'campaignId' });
    expect((await client.call('POST', 'dialer/mark-call-for-finishing', { callId: 'x', campaignId: CAMPAIGN })).status).toBe(400);
    const agent2 = await login(s, 'agent2');
    expect((await agent2.call('POST', 'dialer/mark-call-for-finishing', { callId: CALL, campaignId: CAMPAIGN })).status).toBe(403);
  });
});

describe('request-contact-data', () => {
  it("returns the contact's columns (the call's IS_ATTR_ attributes, with call data written since) and the campaign name as an attribute", async () => {
    const s = await sim();
    const client = await agentWithCall(s);
    const read = () => client.call('POST', 'dialer/request-contact-data', { callId: CALL, campaignId: CAMPAIGN });
    expect((await read()).json).toEqual({
      contacts: [{ contactdata: { AccountNumber: 'RN-48213', PolicyType: 'Home', RenewalDate: '2026-12-15', Premium: '384.00', Notes: '' } }],
    });
    expect((await client.call('POST', 'dialer/update-call-data', { callId: CALL, campaignId: CAMPAIGN, callAttributes: { premium: '412.00', Outcome: 'Renewed' } })).status).toBe(202);
    expect((await read()).json).toMatchObject({ contacts: [{ contactdata: { Premium: '412.00', Outcome: 'Renewed' } }] });

    await subscribeQueue(client, ['is_attr_campaignname']);
    expect(await client.poll()).toContainEqual(
      expect.objectContaining({ interactionsAdded: [{ interactionId: CALL, attributes: { is_attr_campaignname: 'Renewals' } }] }),
    );
  });

  it('checks the call, the campaign and the licence like the other Dialer requests', async () => {
    const s = await sim();
    const client = await agentWithCall(s);
    const missing = await client.call('POST', 'dialer/request-contact-data', { callId: CALL });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ propertyName: 'campaignId' });
    expect((await client.call('POST', 'dialer/request-contact-data', { callId: 'nope', campaignId: CAMPAIGN })).status).toBe(400);
    const agent2 = await login(s, 'agent2');
    const refused = await agent2.call('POST', 'dialer/request-contact-data', { callId: CALL, campaignId: CAMPAIGN });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.json)).toMatch(/Dialer Add-on License/);
  });
});
