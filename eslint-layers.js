// @ts-check
/**
 * The README's "may import" table, as data the linter enforces (`layers/may-import`): every import of a file in one of
 * these folders must land in a folder its row allows, or name a package its row allows. Rows are matched by the longest
 * prefix; folders not listed (bench/, tests/, build scripts) may import anything.
 */
import { existsSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const CONTRACT = 'preload/contract/';
/** The contract's modules with no runtime dependency (no zod): the renderer and the protocol client may load these. */
const PLAIN_CONTRACT = ['state', 'stateChange', 'names', 'api', 'actions', 'guards'].map((name) => `${CONTRACT}${name}.ts`);

/**
 * @typedef {{ may: string[], packages?: string[], node?: boolean, why: string }} Layer
 * `may`: folders (ending in /) or files of this repository; `packages`: npm packages; `node`: Node's built-in modules.
 * @type {Record<string, Layer>}
 */
export const LAYERS = {
  'preload/contract/': { may: [CONTRACT], packages: ['zod'], why: 'The contract depends on nothing but zod.' },
  'preload/index.ts': { may: [CONTRACT], packages: ['electron'], why: 'The preload builds window.companion from the contract over IPC, nothing else.' },
  'main/common/': { may: ['main/common/', CONTRACT], node: true, why: 'Logging and the event hub serve every main-side layer and depend on none of them.' },
  'main/icws/': {
    may: ['main/icws/', `${CONTRACT}guards.ts`],
    node: true,
    why: 'main/icws/ speaks ICWS only: it knows nothing of the core, the shell or the transports.',
  },
  'main/core/': {
    may: ['main/core/', 'main/icws/', 'main/common/', CONTRACT],
    node: true,
    why: 'The core is the companion\u2019s state and actions: Electron-free, and it knows no transport.',
  },
  'main/transports/': { may: ['main/transports/', 'main/common/', CONTRACT], packages: ['zod'], why: 'The dispatcher knows the contract, not the core behind it.' },
  'main/bridge/': {
    may: ['main/bridge/', 'main/transports/', 'main/common/', CONTRACT],
    packages: ['ws'],
    node: true,
    why: 'The bridge is a transport: it reaches the core only through the dispatcher and the event hub.',
  },
  'main/host/': {
    may: ['main/host/', 'main/core/', 'main/icws/', 'main/transports/', 'main/bridge/', 'main/common/', CONTRACT, 'sim/', 'package.json'],
    node: true,
    why: 'The host wires the main side in plain Node: everything but the Electron shell.',
  },
  'main/shell/': {
    may: ['main/shell/', 'main/core/', 'main/icws/', 'main/transports/', 'main/bridge/', 'main/common/', CONTRACT],
    packages: ['electron'],
    node: true,
    why: 'The Electron shell drives the core through the dispatcher.',
  },
  'main/index.ts': {
    may: ['main/', CONTRACT, 'sim/', 'package.json'],
    packages: ['electron'],
    node: true,
    why: 'The Electron entry point wires the shell, the core and the bridge.',
  },
  'renderer/': {
    may: ['renderer/', `${CONTRACT}index.ts`, ...PLAIN_CONTRACT],
    packages: ['svelte', 'vite', '@sveltejs/vite-plugin-svelte'],
    why: 'The renderer is a browser page: the contract\u2019s types and plain modules, nothing of the main side.',
  },
  'sim/': {
    may: ['sim/'],
    packages: ['zod', 'selfsigned'],
    node: true,
    why: 'The simulator is a stand-alone CIC server: it imports nothing of the companion.',
  },
};

const ROOT = path.dirname(new URL(import.meta.url).pathname);
const EXTENSIONS = ['', '.ts', '.svelte', '.svelte.ts', '.js', '.mjs', '.json', '/index.ts'];
const BUILTINS = new Set(builtinModules);

/** @param {string} file */
function layerOf(file) {
  let best = null;
  for (const prefix of Object.keys(LAYERS)) if (file.startsWith(prefix) && (!best || prefix.length > best.length)) best = prefix;
  return best;
}

/** The repository path an import lands on (with its extension), or the unresolved path when no file matches. */
function resolveImport(/** @type {string} */ fromFile, /** @type {string} */ specifier) {
  const base = path.resolve(ROOT, path.dirname(fromFile), specifier);
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    if (existsSync(candidate) && statSync(candidate).isFile()) return path.relative(ROOT, candidate).split(path.sep).join('/');
  }
  return path.relative(ROOT, base).split(path.sep).join('/');
}

/** @param {string} specifier */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** @type {import('eslint').Rule.RuleModule} */
const mayImport = {
  meta: { type: 'problem', docs: { description: 'Each folder imports only what the README\u2019s "may import" table allows.' }, schema: [] },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const prefix = layerOf(file);
    if (prefix === null) return {};
    const layer = LAYERS[prefix];
    /** @param {any} node @param {unknown} source */
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      let allowed;
      let what;
      if (source.startsWith('.')) {
        what = resolveImport(file, source);
        allowed = layer.may.some((may) => (may.endsWith('/') ? what.startsWith(may) : what === may));
      } else if (source.startsWith('node:') || BUILTINS.has(source)) {
        what = source;
        allowed = layer.node === true;
      } else {
        what = packageOf(source);
        allowed = (layer.packages ?? []).includes(what);
      }
      if (!allowed) {
        const may = [...layer.may, ...(layer.packages ?? []), ...(layer.node ? ['node:*'] : [])].join(', ');
        context.report({ node, message: `${layer.why} ${prefix} may import ${may}; not ${what}.` });
      }
    };
    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

export const layersPlugin = { rules: { 'may-import': mayImport } };
