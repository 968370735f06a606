/**
 * The renderer's Content Security Policy: the one source of it, sent as a header by the Electron protocol handler (the
 * package and `npm start`), by the host's HTTP server (host mode) and by the Vite dev server (`npm run dev`, with
 * `DEV_SERVER_CONTENT_SECURITY_POLICY`). The page carries no `<meta>` policy, which would apply on top of the header.
 * Nothing inline, nothing remote: the page talks only to its own origin (the bridge WebSocket is same-origin in host mode).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Under `electron-vite dev` only (loopback, unpackaged): Vite injects the CSS of each module as a `<style>` element and
 * its hot-reload client opens a WebSocket back to the dev server. Everything else is the shipped policy.
 */
export const DEV_SERVER_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
  "connect-src 'self'",
  "connect-src 'self' ws://localhost:* ws://127.0.0.1:*",
);

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};
