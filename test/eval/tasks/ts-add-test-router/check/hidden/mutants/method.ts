// mutant: the method is ignored
/**
 * A small path router: routes are a method and a pattern such as `/rooms/:id/availability`, where
 * `:name` segments capture one path segment each.
 */

/** Values captured by `:name` segments, already URL-decoded. */
export type RouteParams = Record<string, string>;

/** What {@link Router.match} found. */
export type RouteMatch<H> =
  | { kind: 'found'; handler: H; params: RouteParams; pattern: string }
  /** The path exists but not for this method; `allowed` lists the methods it does accept. */
  | { kind: 'method-not-allowed'; allowed: string[] }
  | { kind: 'not-found' };

interface Route<H> {
  method: string;
  pattern: string;
  segments: string[];
  handler: H;
}

/**
 * Routes requests to handlers of type `H`. Routes are tried in the order they were added; the first
 * whose method and pattern both match wins. A trailing slash is ignored, and `HEAD` requests are
 * served by `GET` routes.
 */
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  /**
   * Adds a route.
   *
   * @param method An HTTP method, e.g. `GET` (case-insensitive).
   * @param pattern A path starting with `/`; `:name` segments capture.
   * @throws {Error} when the pattern is malformed or names the same parameter twice.
   */
  add(method: string, pattern: string, handler: H): this {
    if (!pattern.startsWith('/')) throw new Error(`route pattern must start with "/": ${pattern}`);
    const segments = splitPath(pattern);
    const names = segments.filter((s) => s.startsWith(':')).map((s) => s.slice(1));
    if (names.some((n) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))) throw new Error(`bad parameter name in route pattern: ${pattern}`);
    if (new Set(names).size !== names.length) throw new Error(`route pattern repeats a parameter: ${pattern}`);
    this.routes.push({ method: method.toUpperCase(), pattern, segments, handler });
    return this;
  }

  /**
   * Finds the route for a request.
   *
   * @param pathname The path part of the URL, without the query string.
   */
  match(method: string, pathname: string): RouteMatch<H> {
    const wanted = method.toUpperCase();
    const segments = splitPath(pathname);
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      if (route.method === wanted || wanted.length > 0) {
        return { kind: 'found', handler: route.handler, params, pattern: route.pattern };
      }
      allowed.add(route.method);
    }
    if (allowed.size > 0) return { kind: 'method-not-allowed', allowed: [...allowed].sort() };
    return { kind: 'not-found' };
  }

  /** Every route as `METHOD pattern`, in the order they were added (for help pages and tests). */
  describe(): string[] {
    return this.routes.map((r) => `${r.method} ${r.pattern}`);
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment.length > 0);
}

function matchSegments(pattern: string[], actual: string[]): RouteParams | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: RouteParams = {};
  for (let i = 0; i < pattern.length; i++) {
    const expected = pattern[i];
    if (expected.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(actual[i]);
      } catch {
        return undefined;
      }
      params[expected.slice(1)] = value;
    } else if (expected !== actual[i]) {
      return undefined;
    }
  }
  return params;
}
