// Faults injected through the control API: failing the next calls of a path, added latency. (Session expiry, 503,
// stream cuts and odd messages act on the world directly, see control.ts.)
import { WWW_AUTHENTICATE } from './errors';

export interface FailRuleInput {
  count: number;
  status: number;
  /** Matches paths starting with this (case-insensitive), e.g. `/icws/connection` or `/icws/` for everything. */
  pathPrefix?: string;
  /** Or a regular expression tested against the path, e.g. `/messaging/messages$`. */
  pattern?: string;
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

interface FailRule {
  remaining: number;
  status: number;
  pathPrefix?: string;
  pattern?: RegExp;
  method?: string;
  body: unknown;
  headers: Record<string, string>;
}

export interface InjectedFailure {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface LatencyInput {
  ms: number;
  pathPrefix?: string;
}

/**
 * Every 401 carries the challenge the reference pages mark Required, injected ones too (unless the rule sets its own
 * WWW-Authenticate, in any case).
 */
function withChallenge(status: number, headers: Record<string, string>): Record<string, string> {
  if (status !== 401 || Object.keys(headers).some((name) => name.toLowerCase() === 'www-authenticate')) return headers;
  return { ...headers, 'WWW-Authenticate': WWW_AUTHENTICATE };
}

export class Faults {
  private rules: FailRule[] = [];
  private latency: LatencyInput | null = null;

  failNext(input: FailRuleInput): void {
    this.rules.push({
      remaining: input.count,
      status: input.status,
      ...(input.pathPrefix !== undefined ? { pathPrefix: input.pathPrefix.toLowerCase() } : {}),
      ...(input.pattern !== undefined ? { pattern: new RegExp(input.pattern) } : {}),
      ...(input.method !== undefined ? { method: input.method.toUpperCase() } : {}),
      body: input.body ?? { errorId: 'error.server.injectedFault', message: `Injected failure (HTTP ${input.status}).` },
      headers: withChallenge(input.status, input.headers ?? {}),
    });
  }

  /** The failure for this request if a rule matches; using it counts down the rule. */
  take(method: string, path: string): InjectedFailure | undefined {
    const lower = path.toLowerCase();
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.method === undefined || r.method === method) &&
        (r.pathPrefix === undefined || lower.startsWith(r.pathPrefix)) &&
        (r.pattern === undefined || r.pattern.test(path)),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { status: rule.status, body: rule.body, headers: rule.headers };
  }

  setLatency(input: LatencyInput): void {
    this.latency = input.ms > 0 ? input : null;
  }

  latencyFor(path: string): number {
    if (!this.latency) return 0;
    const prefix = this.latency.pathPrefix?.toLowerCase();
    return prefix === undefined || path.toLowerCase().startsWith(prefix) ? this.latency.ms : 0;
  }

  clear(): void {
    this.rules = [];
    this.latency = null;
  }

  snapshot(): { failRules: { remaining: number; status: number; pathPrefix?: string; pattern?: string; method?: string }[]; latency: LatencyInput | null } {
    return {
      failRules: this.rules.map((r) => ({
        remaining: r.remaining,
        status: r.status,
        ...(r.pathPrefix !== undefined ? { pathPrefix: r.pathPrefix } : {}),
        ...(r.pattern !== undefined ? { pattern: r.pattern.source } : {}),
        ...(r.method !== undefined ? { method: r.method } : {}),
      })),
      latency: this.latency,
    };
  }
}
