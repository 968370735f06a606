#!/usr/bin/env node
// `npm test`: lint, typecheck, build the UI, then every vitest project (unit, simulator, integration, shell, components,
// end-to-end). The keychain tests need a Secret Service: when none is running (CI, a fresh Linux box), this script
// re-runs itself inside a private D-Bus session with an unlocked gnome-keyring whose files live in a temporary folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from './electron/electronBinary.mjs';

const root = new URL('..', import.meta.url).pathname;
const extra = process.argv.slice(2);
// npm and npx are .cmd scripts on Windows: they start only through a shell there.
const run = (command, args, options = {}) =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32', ...options }).status ?? 1;

if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.COMPANION_PRIVATE_KEYRING) {
  const which = spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], { encoding: 'utf8' });
  if (which.status !== 0) {
    console.error('npm test needs a Secret Service for the keychain tests: install dbus and gnome-keyring (see .ci/run).');
    process.exit(1);
  }
  const home = mkdtempSync(join(tmpdir(), 'companion-keyring-'));
  mkdirSync(join(home, 'run'), { mode: 0o700 });
  const script = 'echo -n companion-tests | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec node tests/run-all.mjs "$@"';
  const status = run('dbus-run-session', ['--', 'sh', '-c', script, 'run-all', ...extra], {
    env: { ...process.env, COMPANION_PRIVATE_KEYRING: '1', XDG_DATA_HOME: join(home, 'data'), XDG_RUNTIME_DIR: join(home, 'run') },
  });
  rmSync(home, { recursive: true, force: true });
  process.exit(status);
}
if (process.env.XDG_RUNTIME_DIR && !existsSync(process.env.XDG_RUNTIME_DIR)) mkdirSync(process.env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });

// Where an Electron binary must exist (CI's desktop workflow), its absence fails at once rather than after every test.
const electron = findElectronBinary(root);
if (!electron.ok && process.env.REQUIRE_ELECTRON === '1') {
  console.error(`REQUIRE_ELECTRON=1, but the Electron suite cannot run: ${electron.reason}.`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const steps = [
  ['lint', 'npx', ['eslint', '.']],
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['build the UI', 'npm', ['run', '--silent', 'build:renderer']],
];
for (const [name, command, args] of steps) {
  console.log(`\n── ${name} ──`);
  if (run(command, args) !== 0) {
    console.error(`\n${name} failed.`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// Packaging rebuilds out/, which the end-to-end tests serve the window from, so it runs after the others, on its own.
// It packages for Linux against a stub Electron, so it runs on Linux; on Windows and macOS the desktop workflow
// packages for real and checks the package (tests/electron/packaged.test.ts).
// The app in real Electron runs last, on that build, where an Electron binary exists (CI's desktop workflow): found
// without require('electron'), which would start a download.
const runs = [['tests', ['--project', 'node', '--project', 'components', '--project', 'e2e']]];
if (process.platform === 'linux') runs.push(['packaging', ['--project', 'packaging']]);
if (electron.ok) runs.push(['electron', ['--project', 'electron']]);
mkdirSync(join(root, 'tests', 'artifacts'), { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let status = 0;
for (const [name, projects] of runs) {
  console.log(`\n── ${name} ──`);
  const report = join(root, 'tests', 'artifacts', `vitest-${name}.json`);
  rmSync(report, { force: true });
  const code = run('npx', ['vitest', 'run', ...projects, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra], {
    env: { ...process.env, COMPANION_RENDERER_BUILT: '1' },
  });
  if (code !== 0) status = code;
  if (existsSync(report)) {
    const result = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += result.numPassedTests;
    totals.failed += result.numFailedTests;
    totals.skipped += result.numPendingTests + result.numTodoTests;
  } else if (code !== 0) {
    totals.failed += 1;
  }
}
if (process.platform !== 'linux') console.log('\nThe packaging test (a Linux package against a stub Electron) runs on Linux; here the desktop workflow packages for real.');
if (!electron.ok) console.log(`\nThe Electron suite (tests/electron) did not run: ${electron.reason}.`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
if (totals.skipped > 0) {
  console.error('Skipped tests are not allowed: a skipped test proves nothing.');
  process.exit(1);
}
process.exit(status);
