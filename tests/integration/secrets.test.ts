// A full scenario with everything a transport and the log would carry captured: no password, sipPassword, CSRF token
// or cookie value may appear in any bridge message, any state, any setting or any log line. The secret values are read
// from the simulator's own scenario and responses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../main/transports/dispatcher';
import { createLogger } from '../../main/common/log';
import { SETTINGS_FILE } from '../../main/core/settings/settingsStore';
import { cleanUp, createTestCompanion, expectOk, startSim, waitFor, waitForState } from './helpers';

afterEach(cleanUp);

const PASSWORD = 'Pw-4gent1!correct-horse';
const SIP_PASSWORDS = ['Sip!7001-k3q9', 'Sip!7001-rotated-55x'];

describe('secrets', () => {
  it('never reach a bridge message, the state, the settings or a log line', async () => {
    const sim = await startSim({
      scenario: {
        users: [{ userId: 'agent1', password: PASSWORD, displayName: 'Agent One', logonCampaignRight: true, dialerLicence: true }],
        mailboxes: { agent1: [{ unifiedMessageId: 'vm-1', dateReceived: '20261120T091500Z', from: 'Dana', subject: 'Voice Mail from Dana' }] },
      },
    });
    const { companion, logs, transport, dataDir, secrets } = await createTestCompanion();
    const dispatch = createDispatcher(companion.handlers, createLogger({ sink: (record) => logs.push(record), level: 'debug', secrets }));
    const bridge: unknown[] = [];
    companion.events.on('state.changed', (state) => bridge.push({ event: 'state.changed', state }));
    companion.events.on('settings.changed', (settings) => bridge.push({ event: 'settings.changed', settings }));
    const call = async (name: string, params?: unknown) => {
      bridge.push({ call: name, params: name === 'session.signIn' ? '(the password is a parameter the caller gave)' : params });
      const result = await dispatch(name, params);
      bridge.push({ result });
      return result;
    };

    expectOk(await call('session.signIn', { server: sim.url, userId: 'agent1', password: PASSWORD, remember: true }));
    await waitForState(companion, (s) => s.voicemail.messages.length === 1, 'mailbox');
    expectOk(await call('station.logIn', { kind: 'workstation', workstation: '7001' }));
    await waitForState(companion, (s) => s.dialer.call !== null, 'Dialer call');
    sim.control.updateStation({ userId: 'agent1', changes: { sipPassword: SIP_PASSWORDS[1]!, ringAlways: true } });
    await waitForState(companion, (s) => s.station?.ringAlways === true, 'station delta');
    expectOk(await call('followMe.record'));
    expectOk(await call('followMe.cancel'));
    expectOk(await call('voicemail.play', { id: 'vm-1' }));
    expectOk(await call('voicemail.stop'));
    expectOk(await call('voicemail.markRead', { id: 'vm-1', read: false }));
    sim.control.expireSessions({});
    expectOk(await call('dialer.updateCallData', { callAttributes: { is_attr_Note: 'renewed' } }));
    // The expiry took the call off the old session's queue; the new session's subscription brings it back.
    await waitForState(companion, (s) => s.dialer.call !== null && s.connection.status === 'connected', 'the call on the new session');
    expectOk(await call('dialer.markForFinishing', {}));
    sim.control.cutStreams({});
    await call('state.get');
    await call('settings.get');
    expectOk(await call('session.signOut'));
    // A second sign-in with the password from the keychain.
    expectOk(await call('session.signIn', { server: sim.url, userId: 'agent1' }));
    expectOk(await call('session.signOut'));

    // The secrets of this run, as the server handed them out.
    const csrfTokens = transport.exchanges.map((e) => e.responseHeaders['inin-icws-csrf-token']).filter((t): t is string => Boolean(t));
    const cookieValues = transport.exchanges.flatMap((e) => e.setCookies).map((c) => c.split(';')[0]!.split('=').slice(1).join('='));
    expect(csrfTokens.length).toBeGreaterThanOrEqual(3);
    expect(cookieValues.length).toBe(csrfTokens.length);
    const values = [PASSWORD, ...SIP_PASSWORDS, ...csrfTokens, ...cookieValues, ...cookieValues.map((v) => v.split('|')[0]!)];

    await waitFor(() => logs.some((r) => r.message === 'signed in'), 'logs');
    const haystacks = {
      bridge: JSON.stringify(bridge),
      logs: JSON.stringify(logs),
      settings: readFileSync(join(dataDir, SETTINGS_FILE), 'utf8'),
    };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const secret of values) expect(text.includes(secret), `${where} contains a secret`).toBe(false);
    }
    expect(haystacks.bridge).not.toMatch(/sip(Password|User|Address)/);
    // The scenario did exercise what it claims: several sessions, a re-login, log lines at every level.
    expect(sim.control.state().sessions).toEqual([]);
    expect(logs.filter((r) => r.message === 'signing in again')).toHaveLength(1);
    expect(logs.length).toBeGreaterThan(20);
  });
});
