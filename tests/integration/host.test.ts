// Host mode's wiring: `createHostCompanion({ demo: true })` starts the embedded simulator and shows a working agent1,
// logged in to workstation 7001, with voicemails and a Dialer call; `stop()` closes all of it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHostCompanion } from '../../main/host/createHostCompanion';
import type { Companion } from '../../main/core/companion';
import { silentLogger } from '../../main/common/log';
import { expectError, expectOk, waitForState } from './helpers';

let companion: Companion | null = null;
let dataDir: string | null = null;

afterEach(async () => {
  await companion?.stop();
  companion = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

describe('createHostCompanion', () => {
  it('with demo, signs in to the embedded simulator as agent1 with station, voicemails and a Dialer call', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'icws-host-'));
    companion = await createHostCompanion({ dataDir, log: silentLogger, demo: true });
    const state = await waitForState(companion, (s) => s.dialer.call !== null && s.voicemail.messages.length === 3 && s.station !== null, 'the demo agent');
    expect(state.connection).toMatchObject({ status: 'connected', userId: 'agent1', displayName: 'Agent One', demo: true, messaging: 'sse' });
    expect(state.station).toMatchObject({ id: '7001', kind: 'workstation' });
    expect(state.dialer.call?.remoteName).toBe('Morgan Ellis');
    const info = expectOk(await companion.handlers['app.info'](undefined));
    expect(info).toMatchObject({ name: 'ICWS Companion', runtime: 'node', demoAvailable: true });
    // The demo never touches the agent's own settings.
    expect(companion.settings).toMatchObject({ server: null, userId: null });

    const server = state.connection.server!;
    await companion.stop();
    expect(companion.publicState.connection).toEqual({ status: 'signedOut' });
    const gone = await fetch(`${server}/icws/connection/version`).then(
      () => 'answered',
      () => 'closed',
    );
    expect(gone).toBe('closed');
  });

  it('refuses a CA file that holds no certificate, with a sentence', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'icws-host-'));
    await expect(createHostCompanion({ dataDir, log: silentLogger, demo: false, caFile: join(dataDir, 'missing.pem') })).rejects.toThrow(
      /The CA file .*missing\.pem could not be read/,
    );
  });

  it('without demo, starts signed out', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'icws-host-'));
    companion = await createHostCompanion({ dataDir, log: silentLogger, demo: false });
    expect(companion.publicState.connection).toEqual({ status: 'signedOut' });
    expect(expectError(await companion.handlers['followMe.record'](undefined)).kind).toBe('notSignedIn');
  });
});
