// `npm run host`: builds the UI and the host bundle only when a source is newer than what out/ holds, then runs the
// bundle in this same process (one Node start, not two). Plain JavaScript with Node's own modules: it must start fast,
// before anything is built.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** What the UI and the host bundle are built from. */
const SOURCES = ['main', 'preload', 'renderer', 'sim', 'package.json', 'package-lock.json', 'tsconfig.base.json'];
const OUTPUTS = ['out/renderer/index.html', 'out/host/cli.js'];

function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
}

function oldestOutput() {
  let oldest = Infinity;
  for (const output of OUTPUTS) {
    try {
      oldest = Math.min(oldest, statSync(join(root, output)).mtimeMs);
    } catch {
      return 0;
    }
  }
  return oldest;
}

function vite(args) {
  const result = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', ...args, '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.status !== 0) {
    console.error('The companion could not be built (see above).');
    process.exit(1);
  }
}

if (Math.max(...SOURCES.map((source) => newest(join(root, source)))) > oldestOutput()) {
  console.error('Building the UI and the host (sources changed since the last build)…');
  vite(['--config', 'renderer/vite.config.ts']);
  vite(['--ssr', 'main/host/cli.ts', '--outDir', 'out/host', '--emptyOutDir']);
}

await import(pathToFileURL(join(root, 'out', 'host', 'cli.js')).href);
