import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import svelteConfig from './svelte.config.js';

/**
 * The renderer: one page served from files only (the CSP allows no inline script or style), used by
 * `npm run build:renderer`, by the end-to-end tests' setup, and imported by the electron-vite config.
 * Paths are relative to this folder (`root`), so the config works from any working directory.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [svelte({ ...svelteConfig, configFile: false })],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be injected as code we do not need; Chromium and Electron support modulepreload.
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: true,
  },
});
