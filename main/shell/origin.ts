/**
 * Where the renderer comes from. In a packaged or previewed app: the privileged custom scheme `app://companion/`
 * (never `file://`); under `electron-vite dev`: the dev server named by `ELECTRON_RENDERER_URL`.
 * No Electron here: these are plain functions every other shell module and the tests share.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'companion';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * `scheme://host[:port]` of a URL, or null. Node's WHATWG `URL.origin` is `"null"` for non-special schemes such as
 * `app:`, so the origin is rebuilt from protocol and host, which works the same for `app:`, `http:` and `https:`.
 */
export function originOf(url: string | undefined | null): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!parsed.host) return null;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

export interface RendererLocation {
  /** What the window loads. */
  url: string;
  /** The only origin whose main frame may use IPC and navigate within the app. */
  origin: string;
  dev: boolean;
}

/**
 * The renderer's location: the dev server when electron-vite dev set `ELECTRON_RENDERER_URL` (loopback http only, and
 * only in an unpackaged app), the custom protocol otherwise.
 */
export function rendererLocation(env: Record<string, string | undefined>, packaged: boolean): RendererLocation {
  const devUrl = env.ELECTRON_RENDERER_URL;
  if (!packaged && devUrl) {
    const origin = originOf(devUrl);
    let host = '';
    try {
      host = new URL(devUrl).hostname;
    } catch {
      // not a URL: fall through to the custom protocol
    }
    if (origin && origin.startsWith('http://') && ['localhost', '127.0.0.1', '[::1]'].includes(host)) {
      return { url: devUrl, origin, dev: true };
    }
  }
  return { url: APP_ENTRY_URL, origin: APP_ORIGIN, dev: false };
}

export function isSameOrigin(url: string, origin: string): boolean {
  return originOf(url) === origin.toLowerCase();
}
