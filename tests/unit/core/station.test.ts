import { describe, expect, it } from 'vitest';
import { StationWatch, stationInfoOf, toStationState } from '../../../main/core/station/stationWatch';

const TYPE = 'urn:inin.com:connection:stationConnectionStateChangeMessage';
const info = {
  id: '7001',
  extension: '7001',
  stationSetting: 1,
  allowedMediaTypes: [1, 2, 9, 42],
  canBeDialed: true,
  ringAlways: false,
  sipAddress: 'sip:7001@example.com',
  sipUser: '7001',
  sipPassword: 'Sip!secret-7001',
};

describe('station mapping', () => {
  it('reads the nested shape and the flat shape alike', () => {
    const nested = new StationWatch().apply({ __type: TYPE, isDelta: false, newStationInfo: info });
    const flat = new StationWatch().apply({ __type: TYPE, isDelta: false, ...info });
    expect(nested).toEqual({ id: '7001', extension: '7001', kind: 'workstation', mediaTypes: ['call', 'chat', 'socialConversation'], canBeDialed: true, ringAlways: false });
    expect(flat).toEqual(nested);
  });

  it('maps every stationSetting and keeps the remote number', () => {
    expect(toStationState({ id: 'r', extension: 'r', stationSetting: 2, remoteNumber: '+1317' })).toMatchObject({ kind: 'remoteWorkstation', remoteNumber: '+1317' });
    expect(toStationState({ id: '+1317', extension: '+1317', stationSetting: 3 })?.kind).toBe('remoteNumber');
    expect(toStationState({ id: '', extension: '', stationSetting: 0 })).toBeNull();
    expect(toStationState({ id: '7001', extension: '7001', stationSetting: 0 })).toBeNull();
  });

  it('never puts SIP credentials in the public station', () => {
    const watch = new StationWatch();
    const station = watch.apply({ __type: TYPE, isDelta: false, newStationInfo: info });
    expect(JSON.stringify(station)).not.toContain('Sip!secret-7001');
    expect(JSON.stringify(station)).not.toContain('sip');
    expect(watch.sipPassword).toBe('Sip!secret-7001');
  });

  it('honours isDelta: a delta merges, a replace clears, an empty station is none', () => {
    const watch = new StationWatch();
    watch.apply({ __type: TYPE, isDelta: false, newStationInfo: info });
    expect(watch.apply({ __type: TYPE, isDelta: true, newStationInfo: { id: '7001', extension: '7001', stationSetting: 1, ringAlways: true } })?.ringAlways).toBe(true);
    expect(watch.apply({ __type: TYPE, isDelta: true, ringAlways: false })?.mediaTypes).toEqual(['call', 'chat', 'socialConversation']);
    expect(watch.apply({ __type: TYPE, isDelta: false, id: '7002', extension: '7002', stationSetting: 1 })).toEqual({
      id: '7002',
      extension: '7002',
      kind: 'workstation',
      mediaTypes: [],
    });
    expect(watch.apply({ __type: TYPE, isDelta: true, previousStationInfo: info, newStationInfo: { id: '', extension: '', stationSetting: 0 } })).toBeNull();
  });

  it('a "no station" delta ends the station: nothing of it lingers into the next one', () => {
    const watch = new StationWatch();
    watch.apply({ __type: TYPE, isDelta: false, newStationInfo: { ...info, stationSetting: 3, remoteNumber: '+13175550111' } });
    expect(watch.sipPassword).toBe('Sip!secret-7001');
    expect(watch.apply({ __type: TYPE, isDelta: true, id: '', extension: '', stationSetting: 0 })).toBeNull();
    expect(watch.sipPassword).toBeUndefined();
    expect(watch.apply({ __type: TYPE, isDelta: true, id: '7002', extension: '7002', stationSetting: 1, allowedMediaTypes: [1] })).toEqual({
      id: '7002',
      extension: '7002',
      kind: 'workstation',
      mediaTypes: ['call'],
    });
  });

  it('a nested message without newStationInfo means no station', () => {
    expect(stationInfoOf({ __type: TYPE, isDelta: true, previousStationInfo: info })).toBeNull();
  });
});
