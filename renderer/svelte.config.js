import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** TypeScript in components; runes everywhere. */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
};
