import { SECURITY_HEADERS } from '../bridge/contentSecurityPolicy';
import { readStaticFile } from '../bridge/staticFiles';
import { APP_HOST, APP_SCHEME } from './origin';

/**
 * `app://companion/` serves the built renderer (`out/renderer`) with the same CSP and security headers as the host's HTTP
 * server. Registered as a standard, secure scheme before `ready` so the page gets a real origin, `fetch`, and a secure
 * context, but no CSP bypass and no CORS privileges. Nothing outside the renderer folder is reachable.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

export interface ProtocolRequest {
  url: string;
  method: string;
}

export function createAppProtocolHandler(rendererDir: string): (request: ProtocolRequest) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return plain(400, 'Bad request.');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return plain(404, 'Not found.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed.');
    const file = await readStaticFile(rendererDir, url.pathname);
    if (file.status === 404) return plain(404, 'Not found.');
    const html = url.pathname === '/' || url.pathname.endsWith('.html');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': file.type, 'Cache-Control': html ? 'no-store' : 'max-age=3600' },
    });
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}
