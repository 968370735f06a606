import { describe, expect, it } from 'vitest';
import { parseHostArgs } from '../../../main/host/args';
import { defaultDataDir } from '../../../main/host/dataDir';

describe('npm run host arguments', () => {
  it('accept the documented options', () => {
    expect(parseHostArgs(['--demo', '--port', '8123', '--data-dir', '/tmp/x'])).toEqual({
      ok: true,
      args: { demo: true, server: null, port: 8123, dataDir: '/tmp/x', caFile: null, policy: null, verbose: false },
    });
    expect(parseHostArgs(['--server', 'https://cic1:8019'])).toMatchObject({ ok: true, args: { server: 'https://cic1:8019', port: 0 } });
    expect(parseHostArgs(['--policy', '/etc/icws-companion/policy.json'])).toMatchObject({ ok: true, args: { policy: '/etc/icws-companion/policy.json' } });
    expect(parseHostArgs(['--policy'])).toEqual({ ok: false, message: '--policy needs a value.' });
  });

  it('refuse bad input with a clear message', () => {
    expect(parseHostArgs(['--port', 'eighty'])).toEqual({ ok: false, message: '--port must be a number from 0 to 65535, not "eighty".' });
    expect(parseHostArgs(['--port', '70000'])).toMatchObject({ ok: false });
    expect(parseHostArgs(['--server'])).toEqual({ ok: false, message: '--server needs a value.' });
    expect(parseHostArgs(['--frobnicate'])).toMatchObject({ ok: false, message: expect.stringContaining('Unknown option "--frobnicate"') });
    expect(parseHostArgs(['--demo', '--server', 'https://x'])).toMatchObject({ ok: false, message: expect.stringContaining('not both') });
  });

  it('keep settings where the desktop app keeps them', () => {
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/home/a/.config' }, 'linux')).toBe('/home/a/.config/ICWS Companion');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain('ICWS Companion');
  });
});
