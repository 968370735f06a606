import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import { DEV_SERVER_CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from './main/bridge/contentSecurityPolicy';
import rendererConfig from './renderer/vite.config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * `npm run build` (electron-vite build) → out/main/index.js (ESM, dependencies external, the simulator bundled in for the
 * demo), out/preload/index.cjs (one CommonJS file for the sandbox, only `electron` external: it takes the contract's plain
 * modules, not its schemas) and
 * out/renderer (the renderer engineer's Vite settings, reused as they are).
 */
export default defineConfig({
  main: {
    build: {
      outDir: here('./out/main'),
      // node_modules stay require()d at run time (keytar is native); our own sources, sim/ included, are bundled.
      externalizeDeps: true,
      sourcemap: false,
      rolldownOptions: {
        input: { index: here('./main/index.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: here('./out/preload'),
      // A sandboxed preload cannot require anything but `electron` (and a few polyfills): bundle every dependency.
      externalizeDeps: false,
      sourcemap: false,
      rolldownOptions: {
        input: { index: here('./preload/index.ts') },
        external: ['electron'],
        output: {
          format: 'cjs',
          entryFileNames: '[name].cjs',
          codeSplitting: false,
        },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    root: here('./renderer'),
    // `npm run dev`: the dev server sends the same headers as the app's protocol, with the policy Vite's injected
    // styles and hot reload need (the shipped policy forbids both; see contentSecurityPolicy.ts).
    server: {
      ...rendererConfig.server,
      headers: { ...SECURITY_HEADERS, 'Content-Security-Policy': DEV_SERVER_CONTENT_SECURITY_POLICY },
    },
    build: {
      ...rendererConfig.build,
      // electron-vite leaves minification off by default; the window's bundle is shipped minified as in host mode.
      minify: true,
      outDir: here('./out/renderer'),
      rolldownOptions: {
        input: { index: here('./renderer/index.html') },
      },
    },
  },
});
