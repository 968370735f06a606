// Resilience: what an agent or an IT admin would hit when servers, proxies, disks and people misbehave.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator } from '../../sim/index';
import { cleanUp, createTestCompanion, signInAgent, startSim, waitForState } from './helpers';

afterEach(cleanUp);

describe('switchover when the primary dies', () => {
  it('signs in on the remembered alternate instead of probing the dead primary forever', async () => {
    const primary = await startSimulator({ port: 0, quiet: true, scenario: { server: { alternateHostList: ['127.0.0.2'] } } });
    const backup = await startSim({ host: '127.0.0.2', port: primary.port });
    const { companion } = await createTestCompanion();
    await signInAgent(companion, primary);
    await primary.close();
    await waitForState(companion, (s) => s.connection.status === 'reconnecting', 'reconnecting');
    const state = await waitForState(companion, (s) => s.connection.status === 'connected' && s.voicemail.messages.length === 3, 'connected on the backup');
    expect(state.connection.server).toBe(`http://127.0.0.2:${primary.port}`);
    expect(backup.control.state().sessions.map((s) => s.userId)).toEqual(['agent1']);
  });
});

describe('a settings folder that cannot be written', () => {
  it('does not leave the sign-in "connecting" forever: connected, with a warning that the settings were not saved', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'icws-companion-review-'));
    mkdirSync(join(dataDir, 'settings.json', 'blocker'), { recursive: true });
    try {
      const sim = await startSim();
      const { companion } = await createTestCompanion({ dataDir });
      const result = await companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1', password: '1234' });
      expect(result.ok).toBe(true);
      const state = await waitForState(companion, (s) => s.connection.status === 'connected', 'connected');
      expect(state.warnings.some((w) => /settings/i.test(w) && /not (be )?saved/i.test(w))).toBe(true);
      const update = await companion.handlers['settings.update']({ startHidden: true });
      expect(update).toMatchObject({ ok: false, error: { kind: 'unavailable', message: expect.stringMatching(/could not be saved \(EISDIR/) } });
      expect(companion.settings.startHidden).toBe(true);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('error sentences from odd server answers', () => {
  it('a proxy HTML error page is described by its title, not quoted as markup', async () => {
    const sim = await startSim();
    const { companion } = await createTestCompanion();
    await signInAgent(companion, sim);
    sim.control.failNext({
      status: 502,
      pattern: 'voicemail-message/play/start$',
      body: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title><style>body{color:red}</style></head><body><h1>Bad Gateway</h1><p>nginx</p></body></html>',
    });
    const result = await companion.handlers['voicemail.play']({ id: 'vm-agent1-0001', target: '+13175550100' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.kind).toBe('server');
    expect(result.error.message).toContain('502 Bad Gateway');
    expect(result.error.message).not.toMatch(/[<>]|DOCTYPE|color:red/);
  });

  it('a server or proxy that echoes the CSRF token or the cookie never puts it in the agent-facing sentence', async () => {
    const sim = await startSim();
    const { companion, transport } = await createTestCompanion();
    await signInAgent(companion, sim);
    const signIn = transport.exchanges.find((e) => e.url.includes('/icws/connection') && e.method === 'POST')!;
    const csrf = signIn.responseHeaders['inin-icws-csrf-token']!;
    const cookie = signIn.setCookies[0]!.split(';')[0]!;
    expect(csrf.length).toBeGreaterThan(8);
    sim.control.failNext({
      status: 400,
      pattern: 'voicemail-message/play/start$',
      body: { errorId: 'error.request.badHeaders', message: `Rejected request with ININ-ICWS-CSRF-Token: ${csrf} and Cookie: ${cookie}` },
    });
    const result = await companion.handlers['voicemail.play']({ id: 'vm-agent1-0001', target: '+13175550100' });
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    expect(text).not.toContain(csrf);
    expect(text).not.toContain(cookie.split('=').slice(1).join('=').split('|')[0]!);
    expect(text).toContain('[redacted]');
  });
});

describe('an error body with fields of the wrong type', () => {
  it('still answers with a sentence (no crash, no [object Object])', async () => {
    const sim = await startSim();
    const { companion } = await createTestCompanion();
    await signInAgent(companion, sim);
    sim.control.failNext({ status: 400, pattern: 'voicemail-message/play/start$', body: { errorId: 42, message: { text: 'odd' }, propertyName: ['x'] } });
    const result = await companion.handlers['voicemail.play']({ id: 'vm-agent1-0001', target: '+13175550100' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'refused', message: 'CIC refused to play the voicemail.', status: 400 } });
    if (!result.ok) expect(result.error.errorId).toBeUndefined();
  });
});

describe('a connection state message without its state', () => {
  it('is skipped: the working session is not thrown away', async () => {
    const sim = await startSim();
    const { companion, logs, states } = await createTestCompanion();
    await signInAgent(companion, sim);
    const session = sim.control.state().sessions[0]!.sessionId;
    const before = states.length;
    sim.control.sendMalformed({ kind: 'connectionStateWithoutState' });
    const { unifiedMessageId } = sim.control.deliverVoicemail({ userId: 'agent1', from: 'Still here' });
    await waitForState(companion, (s) => s.voicemail.messages.some((m) => m.id === unifiedMessageId), 'the voicemail after it');
    expect(logs.some((record) => record.message === 'malformed message skipped (newConnectionState missing)')).toBe(true);
    expect(states.slice(before).some((s) => s.connection.status !== 'connected')).toBe(false);
    expect(sim.control.state().sessions.map((s) => s.sessionId)).toEqual([session]);
  });
});

describe('polls answered by something that is not CIC', () => {
  it('a proxy page answering every poll is not shown as "connected" forever: reconnecting, saying why, then back', async () => {
    const sim = await startSim({ features: { messaging: 1 } });
    const { companion } = await createTestCompanion();
    await signInAgent(companion, sim);
    sim.control.failNext({ count: 1000, status: 200, pattern: 'messaging/messages$', body: '<html><title>Proxy sign-in</title></html>' });
    const lost = await waitForState(companion, (s) => s.connection.status === 'reconnecting', 'reconnecting');
    expect(lost.connection.error?.kind).toBe('server');
    expect(lost.connection.error?.message).toMatch(/did not answer like a CIC server/);
    sim.control.clearFaults();
    const { unifiedMessageId } = sim.control.deliverVoicemail({ userId: 'agent1', from: 'After the proxy' });
    await waitForState(companion, (s) => s.connection.status === 'connected' && s.voicemail.messages.some((m) => m.id === unifiedMessageId), 'connected again');
  });
});

describe('signing out while a sign-in is under way', () => {
  it('ends the sign-in with a sentence that says so, and stays signed out', async () => {
    const sim = await startSim();
    sim.control.setLatency({ ms: 400, pathPrefix: '/icws/connection' });
    const { companion } = await createTestCompanion();
    const signingIn = companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1', password: '1234' });
    await waitForState(companion, (s) => s.connection.status === 'connecting', 'connecting');
    expect(await companion.handlers['session.signOut'](undefined)).toEqual({ ok: true, value: null });
    expect(await signingIn).toEqual({ ok: false, error: { kind: 'notSignedIn', message: 'You signed out before this sign-in finished.' } });
    expect(companion.publicState.connection.status).toBe('signedOut');
    // Nothing keeps running: no session of the companion's is left on the server, streaming or not.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(sim.control.state().sessions).toEqual([]);
  });
});
