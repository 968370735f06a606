/**
 * The HTTP port the ICWS client speaks through. It is fetch-shaped so that each runtime supplies its own network stack:
 * host mode and tests use `createNodeHttpTransport` (Node's http/https, the companion's TLS options), the Electron shell
 * supplies Chromium's `net.fetch` bound to a dedicated session, which keeps its own cookies. The client sends and stores
 * cookies itself only when the transport says it does not manage them.
 *
 * A transport reports an untrusted server certificate by rejecting with `IcwsCertificateError` (with the certificate's
 * fingerprint, so the agent can pin it); any other rejection is treated as a network failure.
 */
export interface HttpRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** Resolves with a standard `Response` once the status and headers arrived; the body may still be streaming. */
type FetchLike = (url: string, init: HttpRequest) => Promise<Response>;

export interface HttpTransport {
  fetch: FetchLike;
  /** True when the transport keeps cookies itself (Chromium's session); the client then never sets a Cookie header. */
  readonly managesCookies: boolean;
  /** Drops pooled connections; the transport stays usable. Called on sign-out so no socket outlives the session. */
  closeIdle?(): void;
}
