// What of the Electron suite can be checked without an Electron binary: how npm test finds the binary (without
// require('electron'), which would start a download), and that REQUIRE_ELECTRON=1 fails at once when there is none.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../electron/electronBinary.mjs';

const root = join(import.meta.dirname, '../..');

async function fakeProject(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'electron-binary-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('finding the Electron binary', () => {
  it('finds it where electron\'s own path.txt says, in dist/ or ELECTRON_OVERRIDE_DIST_PATH', async () => {
    const dir = await fakeProject({ 'node_modules/electron/package.json': '{}', 'node_modules/electron/path.txt': 'electron', 'node_modules/electron/dist/electron': '' });
    expect(findElectronBinary(dir, {})).toEqual({ ok: true, path: join(dir, 'node_modules/electron/dist/electron') });
    const mac = await fakeProject({
      'node_modules/electron/package.json': '{}',
      'node_modules/electron/path.txt': 'Electron.app/Contents/MacOS/Electron',
      'other/Electron.app/Contents/MacOS/Electron': '',
    });
    expect(findElectronBinary(mac, { ELECTRON_OVERRIDE_DIST_PATH: join(mac, 'other') })).toEqual({ ok: true, path: join(mac, 'other/Electron.app/Contents/MacOS/Electron') });
  });

  it('says why when there is none', async () => {
    expect(findElectronBinary(await fakeProject({}), {})).toEqual({ ok: false, reason: 'the electron package is not installed' });
    const skipped = await fakeProject({ 'node_modules/electron/package.json': '{}' });
    expect(findElectronBinary(skipped, {})).toMatchObject({ ok: false, reason: expect.stringContaining('path.txt is missing') });
    const gone = await fakeProject({ 'node_modules/electron/package.json': '{}', 'node_modules/electron/path.txt': 'electron' });
    expect(findElectronBinary(gone, {})).toMatchObject({ ok: false, reason: expect.stringContaining('is not there') });
  });

  it('npm test with REQUIRE_ELECTRON=1 fails at once when there is no binary', () => {
    // No binary, on any machine: the dist folder is moved to where nothing is.
    const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: join(root, 'tests', 'no-electron-here') };
    const here = findElectronBinary(root, env);
    expect(here.ok).toBe(false);
    const run = spawnSync(process.execPath, ['tests/run-all.mjs'], {
      cwd: root,
      encoding: 'utf8',
      // Already inside a keyring session as far as run-all is concerned: only its first decision is under test.
      env: { ...env, REQUIRE_ELECTRON: '1', COMPANION_PRIVATE_KEYRING: '1', DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS ?? 'unix:path=/nonexistent' },
      timeout: 60_000,
    });
    if (here.ok) throw new Error('unreachable');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`REQUIRE_ELECTRON=1, but the Electron suite cannot run: ${here.reason}.`);
    expect(run.stdout).not.toContain('── lint ──');
  });
});
