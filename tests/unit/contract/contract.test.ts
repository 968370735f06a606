import { describe, expect, it } from 'vitest';
import {
  applySettingsPatch,
  buildCompanionApi,
  callAttributesSchema,
  commandNames,
  commands,
  defaultSettings,
  settingsPatchSchema,
  stationLogInSchema,
  validateAccelerator,
  type CompanionTransport,
} from '../../../preload/contract';

describe('the contract', () => {
  it('defines every command the product needs, once', () => {
    expect(commandNames).toEqual(
      expect.arrayContaining([
        'app.info', 'state.get', 'settings.get', 'settings.update',
        'session.signIn', 'session.signOut', 'session.forgetPassword',
        'station.logIn', 'station.logOut',
        'followMe.record', 'followMe.preview', 'followMe.commit', 'followMe.cancel',
        'voicemail.play', 'voicemail.stop', 'voicemail.markRead',
        'dialer.updateCallData', 'dialer.markForFinishing',
      ]),
    );
    expect(new Set(commandNames).size).toBe(commandNames.length);
    expect(Object.keys(commands)).toEqual([...commandNames]);
    for (const name of commandNames) expect(commands[name].summary.length).toBeGreaterThan(10);
  });

  it('accepts the three station kinds and nothing else', () => {
    expect(stationLogInSchema.parse({ kind: 'workstation', workstation: '7001' })).toEqual({ kind: 'workstation', workstation: '7001' });
    expect(stationLogInSchema.parse({ kind: 'remoteNumber', remoteNumber: '+1 (317) 555-1234', persistent: true })).toMatchObject({
      kind: 'remoteNumber',
    });
    expect(stationLogInSchema.safeParse({ kind: 'remoteNumber' }).success).toBe(false);
    expect(stationLogInSchema.safeParse({ kind: 'workstation', workstation: '   ' }).success).toBe(false);
    expect(stationLogInSchema.safeParse({ kind: 'workstation', workstation: '7001', sipPassword: 'x' }).success).toBe(false);
  });

  it('bounds Dialer call data: non-empty keys, text values, at most 100 entries', () => {
    expect(callAttributesSchema.safeParse({ Notes: 'renewed' }).success).toBe(true);
    expect(callAttributesSchema.safeParse({ '  ': 'x' }).success).toBe(false);
    expect(callAttributesSchema.safeParse({ count: 3 }).success).toBe(false);
    const reserved = callAttributesSchema.safeParse(JSON.parse('{"__proto__":"x"}'));
    expect(reserved.success).toBe(false);
    expect(reserved.error?.issues[0]?.message).toBe('That call data key is reserved; choose another name.');
    expect(callAttributesSchema.safeParse({ constructor: 'x' }).success).toBe(false);
    expect(callAttributesSchema.safeParse({ k: 'x'.repeat(4001) }).success).toBe(false);
    const many = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v']));
    expect(callAttributesSchema.safeParse(many).success).toBe(false);
  });

  it('lets settings.update change only what an agent may change there', () => {
    expect(settingsPatchSchema.safeParse({ server: 'https://evil' }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ certificatePins: [] }).success).toBe(false);
    const next = applySettingsPatch(defaultSettings(), { hotkeys: { recordFollowMe: null }, bridge: { enabled: true } });
    expect(next.hotkeys).toEqual({ stopPlayback: 'CommandOrControl+Shift+F9', recordFollowMe: null });
    expect(next.bridge).toEqual({ enabled: true, port: 0 });
  });

  it('normalises certificate fingerprints to colon-separated upper-case hex', () => {
    const parsed = commands['certificates.pin'].params.parse({ host: 'cic1:8019', fingerprint256: 'ab'.repeat(32) });
    expect(parsed.fingerprint256).toBe(Array(32).fill('AB').join(':'));
    expect(commands['certificates.pin'].params.safeParse({ host: 'cic1:8019', fingerprint256: 'AB:CD' }).success).toBe(false);
  });

  it('builds the namespaced API over any transport', async () => {
    const calls: unknown[] = [];
    const transport: CompanionTransport = {
      call: async (name, params) => {
        calls.push([name, params]);
        return { ok: true, value: null as never };
      },
      on: () => () => {},
    };
    const api = buildCompanionApi(commandNames, transport);
    await api.station.logIn({ kind: 'workstation', workstation: '7001' });
    await api.voicemail.stop();
    expect(calls).toEqual([
      ['station.logIn', { kind: 'workstation', workstation: '7001' }],
      ['voicemail.stop', undefined],
    ]);
    expect(typeof api.on).toBe('function');
  });
});

describe('odd input the contract refuses', () => {
  it('a voicemail id that would climb out of its path segment', () => {
    for (const name of ['voicemail.play', 'voicemail.markRead'] as const) {
      for (const id of ['..', '.', ' .. ']) {
        const parsed = commands[name].params.safeParse({ id, read: true });
        expect(parsed.success, `${name} ${JSON.stringify(id)}`).toBe(false);
      }
    }
    expect(commands['voicemail.stop'].params.safeParse({ id: '..' }).success).toBe(false);
    expect(commands['voicemail.play'].params.safeParse({ id: 'vm..1' }).success).toBe(true);
  });

  it('hotkeys named after what every JavaScript object has', () => {
    for (const hotkey of ['constructor+K', '__proto__+K', 'toString+K', 'hasOwnProperty+Alt+K', 'Control+valueOf']) {
      expect(validateAccelerator(hotkey, 'linux').ok, hotkey).toBe(false);
    }
    expect(validateAccelerator('Control+Alt+K', 'constructor').ok).toBe(true);
  });
});
