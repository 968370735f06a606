// Packaging, offline: validates electron-builder.yml, then builds the app once (`npm run build`) and packages it with
// `electron-builder --dir --linux` against a stub Electron (a fake executable carrying a fuse wire, so the fuses are
// really flipped), and checks what the package holds. Slow by nature: one build and one package per run.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { commandNames, type PublicState, type Result } from '../../preload/contract';
import { EXPECTED_FUSES, readFuses } from '../electron/fuses';
import { FakeBrowserWindow, FakeNotification, FakeTray, flush, ipcEvent, type FakeElectron } from './fakes';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '../..');
const yaml = require('js-yaml') as { load(text: string): unknown };
const asar = require('@electron/asar') as {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  extractFile(archive: string, file: string): Buffer;
};

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse order of @electron/fuses V1: RunAsNode, CookieEncryption, NODE_OPTIONS, inspect args, asar integrity, only asar, V8 snapshot, file privileges. */
const EXPECTED_FUSE_WIRE = '01001100';

interface BuilderConfig {
  appId: string;
  productName: string;
  asar: boolean;
  npmRebuild: boolean;
  files: string[];
  extraResources: { from: string; to: string; filter?: string[] }[];
  electronFuses: Record<string, boolean>;
  beforePack: string;
  win: { target: { target: string }[] };
  mac: { target: { target: string }[] };
  linux: { target: string[]; executableName: string; syncDesktopName: boolean; desktop?: unknown };
  directories: { output: string };
}

const config = async () => yaml.load(await readFile(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('names the app, its icons and targets', async () => {
    const c = await config();
    expect(c.appId).toBe('com.icwscompanion.app');
    expect(c.productName).toBe('ICWS Companion');
    expect(c.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(c.mac.target.map((t) => t.target)).toEqual(['dmg']);
    // Ubuntu gets the .deb (its AppArmor profile keeps Chromium's sandbox working); no AppImage (see the yml).
    expect(c.linux.target).toEqual(['deb']);
    expect(c.asar).toBe(true);
    for (const resource of c.extraResources) expect(existsSync(join(root, resource.from)), resource.from).toBe(true);
    const icon = await readFile(join(root, 'assets/icon.png'));
    expect(icon.readUInt32BE(16)).toBe(512); // IHDR width
    expect(icon.readUInt32BE(20)).toBe(512);
  });

  it('sets the fuses of the security checklist', async () => {
    expect((await config()).electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
      resetAdHocDarwinSignature: true,
    });
  });

  it('needs no compiler nor network: keytar is not rebuilt, and each OS ships only its own prebuild', async () => {
    const c = await config();
    expect(c.npmRebuild).toBe(false);
    expect(c.files).toContain('!node_modules/@github/keytar/{build,src,script}{,/**}');
    expect(c.files).toContain('!node_modules/@github/keytar/prebuilds/!(${platform}-${arch}){,/**}');
    // keytar's loader looks for `prebuilds/<process.platform>-<process.arch>`: every target has one.
    const prebuilds = await readdir(join(root, 'node_modules/@github/keytar/prebuilds'));
    for (const target of ['win32-x64', 'darwin-x64', 'darwin-arm64', 'linux-x64']) expect(prebuilds).toContain(target);
    expect(JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).scripts.package).toMatch(/electron-builder --publish never$/);
  });

  it('refuses to package for another OS than the one it runs on (its keytar binary would be shipped)', async () => {
    const hook = require(join(root, (await config()).beforePack)) as { default(context: { electronPlatformName: string }): Promise<void> };
    await expect(hook.default({ electronPlatformName: process.platform })).resolves.toBeUndefined();
    const other = process.platform === 'win32' ? 'darwin' : 'win32';
    await expect(hook.default({ electronPlatformName: other })).rejects.toThrow(`packages for ${other} are built on ${other}`);
  });

  it('gives the Linux window, its Wayland app id and its .desktop file one name', async () => {
    const c = await config();
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { desktopName: string };
    expect(pkg.desktopName).toBe(`${c.linux.executableName}.desktop`);
    expect(c.linux.syncDesktopName).toBe(true);
    // electron-builder derives StartupWMClass from desktopName; an override would break the match again.
    expect(JSON.stringify(c.linux.desktop ?? {})).not.toContain('StartupWMClass');
  });

  it('ships an ICO tray icon for each state for Windows', async () => {
    const c = await config();
    expect(c.extraResources.find((r) => r.to === 'icons/tray')?.filter).toEqual(['*.png', '*.ico']);
    for (const state of ['signedOut', 'connecting', 'connected', 'station', 'voicemail']) {
      const ico = await readFile(join(root, 'assets/tray', `${state}.ico`));
      expect(ico.readUInt16LE(2), state).toBe(1); // an icon
      expect(ico.readUInt16LE(4), state).toBe(4); // 16, 20, 24 and 32 px
      expect(ico.subarray(ico.readUInt32LE(6 + 12), ico.readUInt32LE(6 + 12) + 4).toString('latin1'), state).toBe('\x89PNG');
    }
  });

  it('packages only the build output and package.json (plus production node_modules)', async () => {
    const files = (await config()).files;
    expect(files.filter((f) => !f.startsWith('!'))).toEqual(['out/**', 'package.json']);
  });
});

describe('package (electron-builder --dir --linux, stub Electron)', () => {
  let unpacked: string;
  let archive: string;
  let listing: string[];
  let packagedIn = 0;

  beforeAll(async () => {
    const started = performance.now();
    await run('npm', ['run', 'build', '--silent'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    const work = await mkdtemp(join(tmpdir(), 'icws-package-'));
    const dist = join(work, 'electron-dist');
    await mkdir(join(dist, 'resources'), { recursive: true });
    await writeFile(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('11111111')]), { mode: 0o755 });
    await writeFile(join(dist, 'LICENSE'), 'stub');
    await run(
      join(root, 'node_modules/.bin/electron-builder'),
      ['--dir', '--linux', '--x64', '--publish', 'never', `-c.electronDist=${dist}`, `-c.directories.output=${join(work, 'release')}`],
      { cwd: root, env: { ...process.env, CI: '1' }, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`electron-builder failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    unpacked = join(work, 'release', 'linux-unpacked');
    archive = join(unpacked, 'resources', 'app.asar');
    listing = asar.listPackage(archive, { isPack: false }).map((p) => p.replace(/\\/g, '/'));
    packagedIn = performance.now() - started;
    console.log(`build + package took ${Math.round(packagedIn)} ms`);
  }, 300_000);

  it('holds the three bundles and package.json, and no sources, tests or dev files', () => {
    for (const file of ['/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/package.json']) expect(listing).toContain(file);
    const own = listing.filter((p) => !p.startsWith('/node_modules'));
    expect(own.filter((p) => /\.(ts|map|svelte)$/.test(p))).toEqual([]);
    for (const folder of ['/tests', '/main', '/sim', '/renderer', '/preload', '/docs', '/assets', '/bench', '/.ci']) {
      expect(own.some((p) => p === folder || p.startsWith(`${folder}/`)), folder).toBe(false);
    }
    for (const devFile of ['/vitest.config.ts', '/electron.vite.config.ts', '/tsconfig.json', '/electron-builder.yml', '/package-lock.json']) {
      expect(listing).not.toContain(devFile);
    }
  });

  it('holds the production dependencies and none of the dev ones', () => {
    const modules = new Set(listing.filter((p) => p.startsWith('/node_modules/')).map((p) => p.split('/').slice(2, p.split('/')[2]!.startsWith('@') ? 4 : 3).join('/')));
    for (const dep of ['ws', 'zod', '@github/keytar']) expect(modules.has(dep), dep).toBe(true);
    for (const dev of ['electron', 'vitest', 'vite', 'svelte', 'typescript', 'electron-builder', 'electron-vite', 'playwright-core']) expect(modules.has(dev), dev).toBe(false);
  });

  it('ships keytar with the prebuild of the target alone, unpacked, and none of its sources', async () => {
    const keytar = join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules', '@github', 'keytar');
    expect(await readdir(join(keytar, 'prebuilds'))).toEqual(['linux-x64']);
    expect(existsSync(join(keytar, 'prebuilds', 'linux-x64', 'keytar.node'))).toBe(true);
    expect(existsSync(join(keytar, 'build'))).toBe(false);
    const packed = listing.filter((p) => p.startsWith('/node_modules/@github/keytar/'));
    expect(packed).toContain('/node_modules/@github/keytar/lib/keytar.js');
    expect(packed.filter((p) => /\/(src|build|script)(\/|$)|binding\.gyp$/.test(p))).toEqual([]);
    expect(packed).toContain('/node_modules/@github/keytar/prebuilds/linux-x64/keytar.node');
    expect(packed.filter((p) => p.includes('/prebuilds/') && !p.includes('/prebuilds/linux-x64'))).toEqual([]);
  });

  it('bundles the simulator into the main bundle for the demo, and the preload as one CJS file requiring only electron', () => {
    const main = asar.extractFile(archive, 'out/main/index.js').toString('utf8');
    expect(main).toMatch(/var SimulatorServer = class|class SimulatorServer/);
    expect(main).toContain('async function startSimulator(');
    expect(main).not.toMatch(/from ["']\.\.\/\.\.\/sim/);
    const preload = asar.extractFile(archive, 'out/preload/index.cjs').toString('utf8');
    expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld');
    // The contract's names reach the preload, its schemas do not: the main side validates every call.
    expect(preload).not.toContain('_zod');
    expect(preload).toContain('"dialer.markForFinishing"');
    expect(listing.filter((p) => p.startsWith('/out/preload/'))).toEqual(['/out/preload/index.cjs']);
  });

  it('ships the tray icons as resources', async () => {
    const tray = await readdir(join(unpacked, 'resources', 'icons', 'tray'));
    expect(tray).toHaveLength(25);
    expect(tray).toContain('station.ico');
    expect(tray).toContain('stationTemplate@2x.png');
    expect(existsSync(join(unpacked, 'resources', 'icons', 'icon.png'))).toBe(true);
  });

  it('flips the fuses in the packaged executable', async () => {
    const executable = await readFile(join(unpacked, 'icws-companion'));
    const at = executable.indexOf(SENTINEL) + SENTINEL.length;
    expect(executable[at]).toBe(1);
    expect(executable.subarray(at + 2, at + 10).toString('ascii')).toBe(EXPECTED_FUSE_WIRE);
    // The reading the packaged check in real Electron uses (tests/electron/packaged.test.ts), on the same wire.
    expect(await readFuses(join(unpacked, 'icws-companion'))).toEqual(EXPECTED_FUSES);
  });
});

// The built desktop app booted against stand-ins of Electron's modules: the composition root (main/index.ts), the
// bundling and the paths it computes are exercised, not only the shell's modules one by one. No Electron binary can
// run on this machine; this is the nearest thing to `npm start` that can. It uses the build made above.
const userData = mkdtempSync(join(tmpdir(), 'companion-desktop-bundle-'));
let electron: FakeElectron;

vi.mock('electron', async () => {
  const { fakeElectron: make } = await import('./fakes');
  electron = make(userData);
  const app = Object.assign(electron.app, { isPackaged: false, getLocale: () => 'en-US', getAppPath: () => root });
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: electron.ipcMain,
    protocol: electron.ports.protocol,
    session: electron.ports.session,
    globalShortcut: electron.globalShortcut,
    Notification: FakeNotification,
    Tray: class extends FakeTray {
      constructor(image: string) {
        super(image);
        electron.trays.push(this);
      }
    },
    Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: (menu: unknown) => electron.applicationMenus.push(menu) },
    nativeImage: { createFromPath: (path: string) => path },
    shell: { openExternal: async () => {} },
    dialog: { ...electron.ports.dialog, showErrorBox: (title: string, body: string) => electron.dialogs.push({ message: title, detail: body }) },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  };
});

describe('the built desktop app (out/main/index.js, as `npm start` runs it) against stand-ins of Electron', () => {
  beforeAll(async () => {
    if (!existsSync(join(root, 'out/main/index.js'))) {
      const { execFileSync } = await import('node:child_process');
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'ignore' });
    }
    await import(join(root, 'out/main/index.js'));
    await vi.waitUntil(() => FakeBrowserWindow.instances.length > 0 && electron.trays.length > 0, { timeout: 10_000 });
  }, 120_000);

  afterAll(() => {
    electron?.app.quit();
  });

  it('opens one secure window on the app protocol, with the preload next to the main bundle', () => {
    const [window] = FakeBrowserWindow.instances;
    const preferences = window!.options.webPreferences!;
    expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(preferences.preload).toBe(join(root, 'out/preload/index.cjs'));
    expect(existsSync(preferences.preload as string)).toBe(true);
    expect(window!.loaded).toEqual([expect.stringMatching(/^app:\/\/companion\//)]);
  });

  it('serves the built window through its protocol, with the Content Security Policy', async () => {
    const handler = electron.protocolHandlers.get('app')!;
    const response = await handler({ url: 'app://companion/index.html', method: 'GET' });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>ICWS Companion</title>');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers every command over IPC, and state.get says signed out', async () => {
    for (const name of commandNames) expect(electron.ipcMain.handlers.has(`companion:${name}`), name).toBe(true);
    const [window] = FakeBrowserWindow.instances;
    const invoke = electron.ipcMain.handlers.get('companion:state.get')!;
    const result = (await invoke(ipcEvent(window!.webContents.id, 'app://companion/index.html'), undefined)) as Result<PublicState>;
    expect(result).toMatchObject({ ok: true, value: { connection: { status: 'signedOut' } } });
  });

  it('runs unpackaged as the development app: its own name and user data folder, and no application menu', () => {
    expect(electron.app.name).toBe('ICWS Companion (development)');
    expect(electron.app.getPath('userData')).toBe(join(userData, 'ICWS Companion (development)'));
    expect(electron.applicationMenus).toEqual([null]);
  });

  it('keeps a log file in the (development) user data folder, readable by the user only', () => {
    const file = join(userData, 'ICWS Companion (development)', 'logs', 'companion.log');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('puts an icon in the tray with a menu that says the agent is signed out', async () => {
    await flush();
    const [tray] = electron.trays;
    expect(tray!.images.at(-1)).toContain(join(root, 'assets'));
    expect(existsSync(tray!.images.at(-1)!)).toBe(true);
    expect(tray!.tooltips.at(-1)).toMatch(/signed out/i);
    expect(tray!.item('status').label).toMatch(/signed out/i);
    expect(tray!.item('showWindow').label).toBe('Show window');
    expect(tray!.item('stopPlayback').enabled).toBe(false);
  });
});
