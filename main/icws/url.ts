/**
 * The server setting is a base URL, not a host: `https://cic1:8019`, or a web-proxy base such as `https://host/api/cic1`
 * (Genesys' proxy serves ICWS under `<base>/api/<icServerHost>/icws/...`). Agents type all sorts of things, so:
 *
 * - a bare host (`cic1`, `cic1.example.com`, `10.0.0.5`) becomes `https://<host>:8019`, the ICWS HTTPS port;
 * - a host with a port but no scheme gets https, except port 8018 (the ICWS plain-HTTP port), which gets http;
 * - a host with a path but no scheme or port (`host/api/cic1`) is a web-proxy base: https on its default port;
 * - with a scheme, the URL is taken as typed (so `https://host/api/cic1` keeps the proxy's default port 443);
 * - a trailing `/`, `/icws` or `/icws/connection` (pasted from documentation) is dropped;
 * - anything else (another scheme, a user name or password inside the address, a query or fragment) is refused with a
 *   sentence the agent can act on.
 */
const ICWS_HTTPS_PORT = 8019;
const ICWS_HTTP_PORT = 8018;

export type ServerUrlResult = { ok: true; base: string } | { ok: false; message: string };

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export function normalizeServerUrl(input: string): ServerUrlResult {
  const typed = input.trim();
  if (typed === '') return invalid('Enter the address of your CIC server, for example cic1 or https://cic1:8019.');
  if (/\s/.test(typed)) return invalid('The server address cannot contain spaces.');

  let candidate = typed;
  if (!SCHEME.test(typed)) {
    // `host:port` without a scheme would otherwise parse as a URL whose scheme is the host name, so split it by hand.
    const parts = /^(\[[^\]]+\]|[^/:?#]+)(?::(\d+))?(.*)$/.exec(typed);
    if (!parts) return invalid(`"${typed.slice(0, 100)}" is not a server address. Enter something like cic1 or https://cic1:8019.`);
    const [, host, port, rest = ''] = parts;
    const scheme = port === String(ICWS_HTTP_PORT) ? 'http' : 'https';
    // A bare host is a CIC server (8019); a host with a path is a web-proxy base, served on the scheme's own port.
    const effectivePort = port ?? (rest === '' || rest === '/' ? String(ICWS_HTTPS_PORT) : '');
    candidate = `${scheme}://${host}${effectivePort ? `:${effectivePort}` : ''}${rest}`;
  }

  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return invalid(`"${typed.slice(0, 100)}" is not a server address. Enter something like cic1 or https://cic1:8019.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return invalid('The server address must start with https:// (or http:// for an unencrypted server).');
  }
  if (url.username || url.password) return invalid('Leave the user name and password out of the server address.');
  if (url.search || url.hash) return invalid('The server address cannot contain ? or #: enter only the server and, for a web proxy, its path.');
  if (!url.hostname) return invalid('The server address needs a host name.');

  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/icws(\/connection)?$/i, '');
  return { ok: true, base: `${url.protocol}//${url.host}${path}` };
}

function invalid(message: string): ServerUrlResult {
  return { ok: false, message };
}

/** `host:port` of a base URL, with the scheme's default port made explicit: the key certificate pins use. */
export function hostPortOf(base: string): string {
  const url = new URL(base);
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

/** Host name shown to agents in messages ("cic1:8019"). */
export function displayHost(base: string): string {
  try {
    const url = new URL(base);
    return url.host;
  } catch {
    return base;
  }
}

/** The same base on another host: alternates of a switchover pair share scheme, port and path. */
export function withHost(base: string, host: string): string {
  const url = new URL(base);
  url.hostname = host;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

export function hostnameOf(base: string): string {
  return new URL(base).hostname;
}
