// Where the Electron binary of node_modules/electron is, found without `require('electron')`: that require starts a
// download when the binary is missing, which is exactly the case this must report. Shared by tests/run-all.mjs and the
// Electron suite. Mirrors electron's own index.js: `path.txt` names the executable inside `dist/`, and
// ELECTRON_OVERRIDE_DIST_PATH replaces `dist/`.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {string} root the project folder
 * @param {Record<string, string | undefined>} [env]
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function findElectronBinary(root, env = process.env) {
  const packageDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(packageDir, 'package.json'))) return { ok: false, reason: 'the electron package is not installed' };
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { ok: false, reason: 'the Electron binary was not downloaded (node_modules/electron/path.txt is missing: installed with ELECTRON_SKIP_BINARY_DOWNLOAD or offline)' };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH || join(packageDir, 'dist');
  const path = join(dist, relative);
  if (!relative || !existsSync(path)) return { ok: false, reason: `the Electron binary named by node_modules/electron/path.txt is not there (${path})` };
  return { ok: true, path };
}
