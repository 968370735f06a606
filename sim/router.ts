// Path templates to routes. Literal segments match case-insensitively (real servers answer /ICWS/connection too) and
// win over `{param}` segments; a path that exists with other methods gives the list for a 405's Allow header.

interface Routable {
  method: string;
  path: string;
}

interface Entry<R> {
  segments: string[];
  literals: number;
  route: R;
}

export type Match<R> =
  | { kind: 'found'; route: R; params: Record<string, string> }
  | { kind: 'wrongMethod'; allowed: string[] }
  | { kind: 'notFound' };

function split(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function isParam(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

export class Router<R extends Routable> {
  private readonly entries: Entry<R>[];

  constructor(routes: readonly R[]) {
    this.entries = routes.map((route) => {
      const segments = split(route.path);
      return { segments, literals: segments.filter((s) => !isParam(s)).length, route };
    });
  }

  match(method: string, pathname: string): Match<R> {
    const parts = split(pathname);
    const candidates: { entry: Entry<R>; params: Record<string, string> }[] = [];
    for (const entry of this.entries) {
      const params = matchSegments(entry.segments, parts);
      if (params) candidates.push({ entry, params });
    }
    if (candidates.length === 0) return { kind: 'notFound' };
    const best = Math.max(...candidates.map((c) => c.entry.literals));
    const specific = candidates.filter((c) => c.entry.literals === best);
    const hit = specific.find((c) => c.entry.route.method === method);
    if (hit) return { kind: 'found', route: hit.entry.route, params: hit.params };
    return { kind: 'wrongMethod', allowed: [...new Set(specific.map((c) => c.entry.route.method))] };
  }
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | null {
  if (template.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const want = template[i] as string;
    const got = parts[i] as string;
    if (isParam(want)) {
      try {
        params[want.slice(1, -1)] = decodeURIComponent(got);
      } catch {
        return null;
      }
    } else if (want.toLowerCase() !== got.toLowerCase()) {
      return null;
    }
  }
  return params;
}
