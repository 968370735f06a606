// TLS is never turned off: an untrusted certificate is refused with what the agent needs to pin it, a pin by SHA-256
// fingerprint makes exactly that certificate work, an extra CA works without a pin.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp, createTestCompanion, expectError, expectOk, signInAgent, startSim } from './helpers';

afterEach(cleanUp);

describe('TLS', () => {
  it('refuses a self-signed server with its fingerprint, then works once that fingerprint is pinned', async () => {
    const sim = await startSim({ tls: true });
    expect(sim.url).toMatch(/^https:/);
    const { companion } = await createTestCompanion();
    const refused = expectError(await companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1', password: '1234' }));
    expect(refused.kind).toBe('untrustedCertificate');
    expect(refused.certificate).toMatchObject({ host: `127.0.0.1:${sim.port}`, fingerprint256: sim.fingerprint256, subject: 'CN=127.0.0.1', issuer: 'CN=127.0.0.1' });
    expect(sim.control.state().sessions).toEqual([]);

    // A pin of another certificate changes nothing.
    expectOk(await companion.handlers['certificates.pin']({ host: `127.0.0.1:${sim.port}`, fingerprint256: 'AA:'.repeat(31) + 'AA' }));
    expect(expectError(await companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1', password: '1234' })).kind).toBe('untrustedCertificate');

    const settings = expectOk(await companion.handlers['certificates.pin']({ host: refused.certificate!.host, fingerprint256: refused.certificate!.fingerprint256 }));
    expect(settings.certificatePins).toEqual([{ host: `127.0.0.1:${sim.port}`, fingerprint256: sim.fingerprint256, addedAt: expect.any(String) }]);
    const connection = await signInAgent(companion, sim);
    expect(connection.status).toBe('connected');
    expect(companion.publicState.voicemail.messages).toHaveLength(3);

    // Unpinned again: refused again on the next connection.
    expectOk(await companion.handlers['session.signOut'](undefined));
    expectOk(await companion.handlers['certificates.unpin']({ host: `127.0.0.1:${sim.port}` }));
    expect(expectError(await companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1', password: '1234' })).kind).toBe('untrustedCertificate');
  });

  it('trusts a server whose certificate comes from an extra CA file', async () => {
    const sim = await startSim({ tls: true });
    const { companion } = await createTestCompanion({ extraCa: sim.certificatePem! });
    expect((await signInAgent(companion, sim)).status).toBe('connected');
  });
});
