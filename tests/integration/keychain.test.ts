// "Remember me" against a real Secret Service (gnome-keyring on D-Bus): the password goes to the OS keychain and
// nowhere else, a restarted core signs in without being given it, and forgetting removes it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keytarCredentialStore } from '../../main/core/session/credentials';
import { SETTINGS_FILE } from '../../main/core/settings/settingsStore';
import { cleanUp, createTestCompanion, expectError, expectOk, signInAgent, startSim } from './helpers';

afterEach(cleanUp);

/** Each test fails (never skips) without a session bus: a keychain test that did not run proves nothing. */
function requireSecretService(): void {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error(
      'No D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set), so there is no Secret Service to test against. ' +
        'Run the tests through `npm test`, which starts dbus-run-session and an unlocked gnome-keyring.',
    );
  }
}

describe('OS keychain (Secret Service)', () => {
  it('remembers the password, signs in again after a restart without it, and forgets it', async () => {
    requireSecretService();
    const sim = await startSim();
    const first = await createTestCompanion({ credentials: keytarCredentialStore() });
    const connection = await signInAgent(first.companion, sim, { remember: true });
    expect(connection).toMatchObject({ status: 'connected', passwordSaved: true });
    expect(connection.passwordNotSavedReason).toBeUndefined();
    const account = `agent1@${sim.url}`;
    expect(await keytarCredentialStore().get(account)).toBe('1234');
    expect(readFileSync(join(first.dataDir, SETTINGS_FILE), 'utf8')).not.toContain('1234');
    await first.companion.stop();

    // A new core on the same data folder: settings remember the user, the keychain the password.
    const second = await createTestCompanion({ credentials: keytarCredentialStore(), dataDir: first.dataDir });
    expect(second.companion.settings).toMatchObject({ server: sim.url, userId: 'agent1', rememberPassword: true });
    const again = expectOk(await second.companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1' }));
    expect(again).toMatchObject({ status: 'connected', passwordSaved: true });

    expectOk(await second.companion.handlers['session.forgetPassword'](undefined));
    expect(await keytarCredentialStore().get(account)).toBeNull();
    expect(second.companion.publicState.connection.passwordSaved).toBe(false);
    expectOk(await second.companion.handlers['session.signOut'](undefined));
    const asked = expectError(await second.companion.handlers['session.signIn']({ server: sim.url, userId: 'agent1' }));
    expect(asked.message).toMatch(/^Enter your password/);
  });
});
