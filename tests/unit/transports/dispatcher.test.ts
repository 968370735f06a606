import { describe, expect, it } from 'vitest';
import { createLogger, type LogRecord } from '../../../main/common/log';
import { createDispatcher } from '../../../main/transports/dispatcher';
import { echoHandlers } from './fakeHandlers';

describe('the dispatcher', () => {
  const lines: LogRecord[] = [];
  const log = createLogger({ sink: (record) => lines.push(record) });

  it('refuses names that are not commands, whatever their type', async () => {
    const dispatch = createDispatcher(echoHandlers(), log);
    for (const name of ['nope', '__proto__', 'constructor', 42, null, { method: 'app.info' }]) {
      const result = await dispatch(name, undefined);
      expect(result).toMatchObject({ ok: false, error: { kind: 'invalidInput' } });
    }
  });

  it('validates parameters against the contract and hands over the parsed value', async () => {
    const dispatch = createDispatcher(echoHandlers(), log);
    expect(await dispatch('dialer.updateCallData', { callAttributes: { '': 'x' } })).toMatchObject({
      ok: false,
      error: { kind: 'invalidInput', message: 'A call data key cannot be empty.' },
    });
    expect(await dispatch('voicemail.play', { id: 'vm1', target: 'call me' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('phone number') },
    });
    expect(await dispatch('station.logIn', { kind: 'moon' })).toMatchObject({
      ok: false,
      error: { message: 'Choose a workstation, a remote workstation or a remote number.' },
    });
    expect(await dispatch('voicemail.stop', undefined)).toEqual({ ok: true, value: { command: 'voicemail.stop', params: null } });
    expect(await dispatch('certificates.pin', { host: 'cic1:8019', fingerprint256: 'ab'.repeat(32) })).toMatchObject({
      ok: true,
      value: { params: { fingerprint256: Array(32).fill('AB').join(':') } },
    });
  });

  it('turns a handler that throws into an internal error, and logs it without secrets', async () => {
    const dispatch = createDispatcher(
      echoHandlers({
        'state.get': async () => {
          throw new Error('boom');
        },
      }),
      log,
    );
    expect(await dispatch('state.get', undefined)).toEqual({
      ok: false,
      error: { kind: 'internal', message: 'Something went wrong in the companion. The details are in its log.' },
    });
    expect(lines.at(-1)).toMatchObject({ level: 'error', fields: { command: 'state.get', error: 'Error: boom' } });
  });
});
