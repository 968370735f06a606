import { describe, expect, it } from 'vitest';
import { SUBSEQUENT_LOGON_REASON } from '../../sim';
import { byType, login, simulatorsPerTest } from './helpers';

const STATION_MESSAGE = 'urn:inin.com:connection:stationConnectionStateChangeMessage';

const sim = simulatorsPerTest();

/** "No station" at connection 15: every property the seed page marks Required, empty, with stationSetting none. */
const NO_STATION = { id: '', extension: '', stationSetting: 0, managedIPPhone: '', emergencyResponderLocationID: '' };

const workstation = (id: string) => ({ __type: 'urn:inin.com:connection:workstationSettings', workstation: id, supportedMediaTypes: [1], readyForInteractions: true });

describe('PUT/GET/DELETE connection/station', () => {
  it('logs on to a workstation and returns the full station information, sipPassword included', async () => {
    const s = await sim();
    const client = await login(s);
    expect((await client.call('PUT', 'connection/station', workstation('7001'))).status).toBe(200);
    const answer = await client.call('GET', 'connection/station');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      id: '7001',
      extension: '7001',
      stationSetting: 1,
      allowedMediaTypes: [1],
      canBeDialed: true,
      ringAlways: false,
      sipAddress: 'sip:7001@cicsim.example.com',
      sipUser: '7001',
      sipPassword: 'Sip!7001-k3q9',
      managedIPPhone: '',
      emergencyResponderLocationID: '',
    });
  });

  it('logs on as a remote workstation and as a remote number', async () => {
    const s = await sim();
    const client = await login(s);
    const remoteWs = await client.call('PUT', 'connection/station', {
      __type: 'urn:inin.com:connection:remoteWorkstationSettings',
      workstation: '7002',
      remoteNumber: '+13175550111',
    });
    expect(remoteWs.status).toBe(200);
    expect((await client.call('GET', 'connection/station')).json).toMatchObject({ id: '7002', stationSetting: 2, remoteNumber: '+13175550111' });
    const remoteNumber = await client.call('PUT', 'connection/station', {
      __type: 'urn:inin.com:connection:remoteNumberSettings',
      remoteNumber: '+13175550122',
      persistentConnection: true,
    });
    expect(remoteNumber.status).toBe(200);
    expect((await client.call('GET', 'connection/station')).json).toMatchObject({ stationSetting: 3, remoteNumber: '+13175550122' });
    expect(s.control.state().stations[0]).toMatchObject({ persistentConnection: true, workstationId: null });
  });

  it('refuses an unknown workstation, a missing or unknown __type and a missing remote number with 400', async () => {
    const s = await sim();
    const client = await login(s);
    const unknown = await client.call('PUT', 'connection/station', workstation('9999'));
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({ errorId: 'error.request.invalidRepresentation.invalidProperty', propertyName: 'workstation' });
    const noType = await client.call('PUT', 'connection/station', { workstation: '7001' });
    expect(noType.json).toMatchObject({ __type: 'urn:inin.com:common:missingPropertyError', propertyName: '__type' });
    const badType = await client.call('PUT', 'connection/station', { __type: 'urn:inin.com:connection:somethingElse' });
    expect(badType.json).toMatchObject({ __type: 'urn:inin.com:common:invalidPropertyError', propertyName: '__type' });
    const noNumber = await client.call('PUT', 'connection/station', { __type: 'urn:inin.com:connection:remoteNumberSettings' });
    expect(noNumber.json).toMatchObject({ propertyName: 'remoteNumber' });
    const badMedia = await client.call('PUT', 'connection/station', { ...workstation('7001'), supportedMediaTypes: ['call'] });
    expect(badMedia.json).toMatchObject({ propertyName: 'supportedMediaTypes' });
    expect(s.control.state().stations).toEqual([]);
  });

  it('answers 403 to a user without the Logon Stations right', async () => {
    const s = await sim({
      scenario: { users: [{ userId: 'kiosk', password: 'k', displayName: 'Kiosk', logonStationsRight: false }], mailboxes: {}, dialerCalls: [] },
    });
    const client = await login(s, 'kiosk', 'k');
    const answer = await client.call('PUT', 'connection/station', workstation('7001'));
    expect(answer.status).toBe(403);
    expect((answer.json as { message: string }).message).toContain('Logon Stations');
  });

  it('refuses a workstation another user is logged on to', async () => {
    const s = await sim();
    await (await login(s, 'agent1')).stationLogon('7001');
    const other = await login(s, 'agent2');
    const answer = await other.call('PUT', 'connection/station', workstation('7001'));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ errorId: 'error.request.connection.stationInUse' });
  });

  it('answers GET without a station with noStation, and DELETE with 200 in both cases', async () => {
    const s = await sim();
    const client = await login(s);
    expect((await client.call('GET', 'connection/station')).json).toMatchObject({ errorId: 'error.request.noStation' });
    expect((await client.call('DELETE', 'connection/station')).status).toBe(200);
    await client.stationLogon();
    expect((await client.call('DELETE', 'connection/station')).status).toBe(200);
    expect(s.control.state().stations).toEqual([]);
  });

  it('leaves the connection-15 fields and social conversations out for older servers', async () => {
    const s = await sim({ features: { connection: 12 } });
    const client = await login(s);
    await client.call('PUT', 'connection/station', { ...workstation('7001'), supportedMediaTypes: [1, 2, 9] });
    const info = (await client.call('GET', 'connection/station')).json as Record<string, unknown>;
    expect(info.allowedMediaTypes).toEqual([1, 2]);
    expect(info).not.toHaveProperty('managedIPPhone');
    expect(info).not.toHaveProperty('emergencyResponderLocationID');
  });

  it('leaves direct messages (8) out below connection 13 as well: the seed marks 8 and 9 "connection 13"', async () => {
    const old = await sim({ features: { connection: 12 } });
    const oldClient = await login(old);
    await oldClient.call('PUT', 'connection/station', { ...workstation('7001'), supportedMediaTypes: [1, 7, 8, 9] });
    expect(((await oldClient.call('GET', 'connection/station')).json as { allowedMediaTypes: number[] }).allowedMediaTypes).toEqual([1, 7]);
    const current = await sim({ features: { connection: 13 } });
    const client = await login(current);
    await client.call('PUT', 'connection/station', { ...workstation('7001'), supportedMediaTypes: [1, 7, 8, 9] });
    expect(((await client.call('GET', 'connection/station')).json as { allowedMediaTypes: number[] }).allowedMediaTypes).toEqual([1, 7, 8, 9]);
  });
});

describe('station subscription', () => {
  it('PUT answers 200 and an isDelta:false message even without a station; DELETE answers 204', async () => {
    const s = await sim();
    const client = await login(s);
    expect((await client.call('PUT', 'messaging/subscriptions/connection/station')).status).toBe(200);
    expect(await client.poll()).toEqual([{ __type: STATION_MESSAGE, isDelta: false, newStationInfo: NO_STATION }]);
    await client.stationLogon('7001');
    const [logon] = await client.poll();
    expect(logon).toMatchObject({ __type: STATION_MESSAGE, isDelta: true, newStationInfo: { id: '7001', stationSetting: 1, sipPassword: 'Sip!7001-k3q9' } });
    expect((await client.call('DELETE', 'messaging/subscriptions/connection/station')).status).toBe(204);
    await client.call('DELETE', 'connection/station');
    expect(await client.poll()).toEqual([]);
  });

  it('writes "no station" with the connection-15 required fields only when the server has connection 15', async () => {
    for (const shape of ['nested', 'flat'] as const) {
      const s = await sim({ stationMessageShape: shape, features: { connection: 14 } });
      const client = await login(s);
      await client.call('PUT', 'messaging/subscriptions/connection/station');
      const [first] = await client.poll();
      const info = (shape === 'nested' ? (first as { newStationInfo: unknown }).newStationInfo : first) as Record<string, unknown>;
      expect(info, shape).toMatchObject({ id: '', extension: '', stationSetting: 0 });
      expect(info, shape).not.toHaveProperty('managedIPPhone');
      expect(info, shape).not.toHaveProperty('emergencyResponderLocationID');
    }
  });

  it('never sends a delta that leaves out a property which changed: removing one takes isDelta:false (both shapes)', async () => {
    // The seed: with isDelta:true "no change should be made for the properties not included", so a cache that applies
    // the messages by that rule must end equal to the station the server holds, after every message.
    for (const shape of ['nested', 'flat'] as const) {
      const s = await sim({ stationMessageShape: shape });
      const client = await login(s);
      await client.call('PUT', 'messaging/subscriptions/connection/station');
      let cache: Record<string, unknown> = {};
      const applyAll = async (): Promise<void> => {
        for (const message of byType(await client.poll(), STATION_MESSAGE)) {
          const { __type: _type, isDelta, reason: _reason, previousStationInfo: _previous, newStationInfo, ...flat } = message;
          const info = (shape === 'nested' ? newStationInfo : flat) as Record<string, unknown>;
          cache = isDelta === true ? { ...cache, ...info } : { ...info };
        }
      };
      const expectCacheToBe = async (want: Record<string, unknown>): Promise<void> => {
        await applyAll();
        expect(cache, shape).toEqual(want);
      };
      await client.call('PUT', 'connection/station', { __type: 'urn:inin.com:connection:remoteWorkstationSettings', workstation: '7002', remoteNumber: '+13175550111' });
      await expectCacheToBe((await client.call('GET', 'connection/station')).json as Record<string, unknown>);
      await client.stationLogon('7001');
      await expectCacheToBe((await client.call('GET', 'connection/station')).json as Record<string, unknown>);
      await client.call('DELETE', 'connection/station');
      await expectCacheToBe(NO_STATION);
    }
  });

  it('re-subscribing starts again with isDelta:false and the current station', async () => {
    const s = await sim();
    const client = await login(s);
    await client.stationLogon('7002');
    await client.call('PUT', 'messaging/subscriptions/connection/station');
    const [first] = await client.poll();
    expect(first).toMatchObject({ isDelta: false, newStationInfo: { id: '7002' } });
    expect(first).not.toHaveProperty('previousStationInfo');
  });

  it('drops the first session’s station on a subsequent logon elsewhere, with the reason (nested shape)', async () => {
    const s = await sim();
    const first = await login(s);
    await first.call('PUT', 'messaging/subscriptions/connection/station');
    await first.stationLogon('7001');
    await first.poll();
    const second = await login(s);
    await second.stationLogon('7002');
    const [dropped] = await first.poll();
    // The drop removes sipPassword and the other station properties, which a delta cannot say: isDelta:false.
    expect(dropped).toEqual({
      __type: STATION_MESSAGE,
      isDelta: false,
      previousStationInfo: expect.objectContaining({ id: '7001' }) as unknown,
      newStationInfo: NO_STATION,
      reason: 'Your connection has been dropped due to a subsequent logon to a different station.',
    });
    expect(SUBSEQUENT_LOGON_REASON).toBe('Your connection has been dropped due to a subsequent logon to a different station.');
    expect(s.control.state().stations.map((st) => [st.sessionId, st.info.id])).toEqual([[second.sessionId, '7002']]);
  });

  it('sends the same drop with the station fields at top level in the flat shape', async () => {
    const s = await sim({ stationMessageShape: 'flat' });
    const first = await login(s);
    await first.call('PUT', 'messaging/subscriptions/connection/station');
    expect(await first.poll()).toEqual([{ __type: STATION_MESSAGE, isDelta: false, ...NO_STATION }]);
    await first.stationLogon('7001');
    expect(await first.poll()).toEqual([expect.objectContaining({ isDelta: true, id: '7001', extension: '7001', stationSetting: 1, sipUser: '7001' })]);
    const second = await login(s);
    await second.stationLogon('7002');
    const [dropped] = await first.poll();
    expect(dropped).toEqual({ __type: STATION_MESSAGE, isDelta: false, ...NO_STATION, reason: SUBSEQUENT_LOGON_REASON });
    expect(dropped).not.toHaveProperty('newStationInfo');
  });

  it('reports a control-API drop with its reason, and station updates as deltas', async () => {
    const s = await sim();
    const client = await login(s);
    await client.call('PUT', 'messaging/subscriptions/connection/station');
    await client.stationLogon('7001');
    s.control.updateStation({ userId: 'agent1', changes: { ringAlways: true } });
    expect(s.control.dropStation({ userId: 'agent1', reason: 'Station removed by an administrator.' })).toEqual({ dropped: true });
    const messages = byType(await client.poll(), STATION_MESSAGE);
    expect(messages.map((m) => (m.newStationInfo as { ringAlways?: boolean; id: string }).id)).toEqual(['', '7001', '7001', '']);
    expect((messages[2]?.newStationInfo as { ringAlways: boolean }).ringAlways).toBe(true);
    expect(messages[3]).toMatchObject({ reason: 'Station removed by an administrator.' });
  });
});
