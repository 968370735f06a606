import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyStartAtLogin, AUTOSTART_FILE, autostartDir, desktopExec } from '../../main/shell/startup';
import { parseLaunchArgs } from '../../main/shell/desktopApp';
import { FakeApp, recordingLogger } from './fakes';

describe('start at login', () => {
  it('uses login items on macOS and Windows', async () => {
    const app = new FakeApp('/tmp');
    const log = recordingLogger().log;
    await applyStartAtLogin(true, { platform: 'darwin', app, executable: '/Applications/ICWS Companion.app/Contents/MacOS/ICWS Companion', env: {}, log });
    await applyStartAtLogin(false, { platform: 'win32', app, executable: 'C:\\Program Files\\ICWS Companion\\ICWS Companion.exe', env: {}, log });
    expect(app.loginItems).toEqual([
      { openAtLogin: true },
      { openAtLogin: false, path: 'C:\\Program Files\\ICWS Companion\\ICWS Companion.exe', args: [] },
    ]);
  });

  it('writes and removes an XDG autostart entry on Linux', async () => {
    const home = await mkdtemp(join(tmpdir(), 'home-'));
    const app = new FakeApp('/tmp');
    const options = { platform: 'linux', app, executable: '/opt/ICWS Companion/icws-companion', env: {}, home, log: recordingLogger().log };
    await applyStartAtLogin(true, options);
    const file = join(home, '.config', 'autostart', AUTOSTART_FILE);
    const entry = await readFile(file, 'utf8');
    expect(entry).toMatch(/^\[Desktop Entry\]\nType=Application\n/);
    expect(entry).toContain('Exec="/opt/ICWS Companion/icws-companion"\n');
    expect(entry).toContain('Name=ICWS Companion\n');
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect(app.loginItems).toEqual([]);
    await applyStartAtLogin(false, options);
    await expect(stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await applyStartAtLogin(false, options); // already gone: fine
  });

  it('honours XDG_CONFIG_HOME and quotes Exec', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/cfg' }, '/home/a')).toBe('/cfg/autostart');
    expect(autostartDir({}, '/home/a')).toBe('/home/a/.config/autostart');
    expect(desktopExec('/opt/a "b" $c `d` \\e')).toBe('"/opt/a \\"b\\" \\$c \\`d\\` \\\\e"');
  });

  it('reads --hidden from the command line', () => {
    expect(parseLaunchArgs(['/opt/x', '--hidden'])).toEqual({ hidden: true, action: null });
    expect(parseLaunchArgs(['/opt/x'])).toEqual({ hidden: false, action: null });
    expect(parseLaunchArgs(['/opt/x', '--hidden', '--stop-playback'])).toEqual({ hidden: true, action: 'stopPlayback' });
  });
});
