import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/svelte';

// No jest-dom matchers here: tests use plain expects on the DOM.
afterEach(() => cleanup());

// jsdom has no layout and no ResizeObserver (Svelte's bind:clientHeight uses one). Sizes stay 0, which the voicemail
// list treats as "not measured yet" and draws a fixed number of rows.
if (!('ResizeObserver' in globalThis)) {
  class ResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  Object.assign(globalThis, { ResizeObserver });
}
