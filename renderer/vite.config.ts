import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The renderer: one page served from files only (the CSP allows no inline script or style), used by
 * `npm run build:renderer`, by the end-to-end tests' setup, and imported by the electron-vite config.
 */
export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) })],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
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
