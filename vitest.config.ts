import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { findElectronBinary } from './tests/electron/electronBinary.mjs';

// The app in real Electron (tests/electron) exists as a project only where an Electron binary does (tests/run-all.mjs
// says in one line when it does not); its packaged check only once CI has packaged the app (COMPANION_PACKAGED_APP).
const electronBinary = findElectronBinary(import.meta.dirname);
const electronProjects = [
  ...(electronBinary.ok
    ? [{ test: { name: 'electron', environment: 'node' as const, include: ['tests/electron/app.test.ts'], testTimeout: 120_000, hookTimeout: 180_000, fileParallelism: false } }]
    : []),
  ...(process.env.COMPANION_PACKAGED_APP
    ? [{ test: { name: 'electron-packaged', environment: 'node' as const, include: ['tests/electron/packaged.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } }]
    : []),
];

// Four kinds of test, one runner: Node-side code (unit, simulator, integration against the simulator over real HTTP),
// Svelte components in jsdom, and end-to-end runs that drive Debian's Chromium against `npm run host`, and packaging.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/sim/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/shell/**/*.test.ts'],
          exclude: ['tests/shell/packaging.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'components',
          environment: 'jsdom',
          include: ['tests/components/**/*.test.ts'],
          setupFiles: ['tests/components/setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts', 'tests/bench/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Packaging rebuilds out/, which the end-to-end tests serve the window from: `npm test` runs it on its own, after them.
        test: {
          name: 'packaging',
          environment: 'node',
          include: ['tests/shell/packaging.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      ...electronProjects,
    ],
  },
});
