/**
 * The companion's own cookie jar, for transports that do not keep cookies (Node's http). CIC's session cookie is
 * path-scoped (`Set-Cookie: icws_29113001=...; Path=/icws/29113001; HttpOnly`), so paths are honoured. Behind a web
 * proxy (`https://host/api/cic1`) the server still says `Path=/icws/...` unless the proxy rewrites it, so a cookie also
 * matches when its path matches the request path taken below the configured base path.
 *
 * Every value stored is handed to `onSecret` first: a cookie value is a credential and must never reach a log.
 */
interface StoredCookie {
  host: string;
  name: string;
  value: string;
  path: string;
}

export class CookieJar {
  private cookies: StoredCookie[] = [];

  constructor(
    private readonly onSecret: (value: string) => void = () => {},
    private readonly onForgotten: (value: string) => void = () => {},
  ) {}

  /** Records the `Set-Cookie` headers of a response to `url`. */
  store(url: URL, setCookieHeaders: readonly string[]): void {
    for (const header of setCookieHeaders) {
      const parsed = parseSetCookie(header, url);
      if (!parsed) continue;
      this.cookies = this.cookies.filter((c) => !(c.host === parsed.cookie.host && c.name === parsed.cookie.name && c.path === parsed.cookie.path));
      if (parsed.expired) continue;
      this.onSecret(parsed.cookie.value);
      // The part before `|` is the token itself (the rest is `languageId=`); register it too, it may be logged alone.
      const token = parsed.cookie.value.split('|')[0];
      if (token && token !== parsed.cookie.value) this.onSecret(token);
      this.cookies.push(parsed.cookie);
    }
  }

  /** The Cookie header for a request to `url`, or undefined; `basePath` is the configured server's path (web proxy). */
  header(url: URL, basePath = ''): string | undefined {
    const host = url.host.toLowerCase();
    const path = url.pathname;
    const below = basePath && path.startsWith(basePath) ? path.slice(basePath.length) || '/' : null;
    const matching = this.cookies
      .filter((c) => c.host === host && (pathMatches(path, c.path) || (below !== null && pathMatches(below, c.path))))
      .sort((a, b) => b.path.length - a.path.length);
    if (matching.length === 0) return undefined;
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  clear(): void {
    for (const cookie of this.cookies) {
      this.onForgotten(cookie.value);
      this.onForgotten(cookie.value.split('|')[0]!);
    }
    this.cookies = [];
  }

  get size(): number {
    return this.cookies.length;
  }
}

function parseSetCookie(header: string, url: URL): { cookie: StoredCookie; expired: boolean } | null {
  const [pair, ...attributes] = header.split(';');
  if (!pair) return null;
  const eq = pair.indexOf('=');
  if (eq <= 0) return null;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  let path: string | null = null;
  let expired = false;
  for (const attribute of attributes) {
    const [rawKey = '', ...rest] = attribute.split('=');
    const key = rawKey.trim().toLowerCase();
    const attributeValue = rest.join('=').trim();
    if (key === 'path' && attributeValue.startsWith('/')) path = attributeValue;
    if (key === 'max-age' && /^-?\d+$/.test(attributeValue) && Number(attributeValue) <= 0) expired = true;
    if (key === 'expires') {
      const when = Date.parse(attributeValue);
      if (!Number.isNaN(when) && when <= Date.now()) expired = true;
    }
  }
  return { cookie: { host: url.host.toLowerCase(), name, value, path: path ?? defaultPath(url.pathname) }, expired };
}

/** RFC 6265 5.1.4: the directory of the request path. */
function defaultPath(requestPath: string): string {
  if (!requestPath.startsWith('/')) return '/';
  const slash = requestPath.lastIndexOf('/');
  return slash <= 0 ? '/' : requestPath.slice(0, slash);
}

/** RFC 6265 5.1.4 path-match. */
function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/';
}
