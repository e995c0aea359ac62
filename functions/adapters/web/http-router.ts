/**
 * The one router behind the approvers' web app (Lambda and `npm start`) and
 * the local runtime's server: a route table (`{ method, path, … }`, paths
 * like `/requests/:id`) matched by find-my-way, Fastify's radix-tree router.
 * Chosen because it is small, CommonJS (no ESM workaround in jest), actively
 * maintained, and usable without an HTTP server (`find(method, path)`), so
 * the same table serves an API Gateway event and a node:http request;
 * rou3 is ESM only and trouter is a middleware chain, not a table.
 *
 * On top of matching it answers what find-my-way leaves to its caller: HEAD
 * served by the GET route, and 405 with the methods the path allows (in the
 * order the table lists their routes).
 */
import FindMyWay from 'find-my-way';

export interface RouteSpec {
  /** An HTTP method in upper case (`GET`, `POST`, …). */
  readonly method: string;
  /** Literal segments and `:name` parameters: `/decide`, `/requests/:id`. */
  readonly path: string;
}

export type RouteMatch<R> =
  { status: 'found'; route: R; params: Record<string, string> } | { status: 'method-not-allowed'; allow: string[] } | { status: 'not-found' };

const NOOP = () => undefined;

export class HttpRouter<R extends RouteSpec> {
  private readonly router = FindMyWay({
    // `/decide/` and `//decide` are `/decide`, as they were before the router.
    ignoreTrailingSlash: true,
    ignoreDuplicateSlashes: true,
    // Record ids reach 256 characters, more once percent-encoded; the default (100) would turn them into 404s.
    maxParamLength: 2048,
  });
  /** The methods the table uses. */
  private readonly methods: string[] = [];

  constructor(readonly routes: readonly R[]) {
    const seen = new Set<string>();
    for (const route of routes) {
      const key = `${route.method} ${route.path}`;
      // Two modules claiming one route is a wiring mistake: fail at start, not on the first request.
      if (seen.has(key)) throw new Error(`route ${key} is registered twice`);
      seen.add(key);
      this.router.on(route.method as FindMyWay.HTTPMethod, route.path, NOOP, { route });
      if (!this.methods.includes(route.method)) this.methods.push(route.method);
    }
  }

  /**
   * The route for a method and a path (no query string). A path that exists
   * only for other methods is `method-not-allowed` with those methods; a
   * path with a malformed percent-encoding in a parameter matches nothing.
   */
  match(method: string, path: string): RouteMatch<R> {
    const wanted = method.toUpperCase();
    const found = this.find(wanted, path) ?? (wanted === 'HEAD' ? this.find('GET', path) : undefined);
    if (found) return { status: 'found', ...found };
    // The methods whose route matches the path, in the order the table lists those routes.
    const allow = this.methods
      .map((m) => this.find(m, path)?.route)
      .filter((route): route is R => route !== undefined)
      .sort((a, b) => this.routes.indexOf(a) - this.routes.indexOf(b))
      .map((route) => route.method);
    return allow.length > 0 ? { status: 'method-not-allowed', allow } : { status: 'not-found' };
  }

  private find(method: string, path: string): { route: R; params: Record<string, string> } | undefined {
    const hit = this.router.find(method as FindMyWay.HTTPMethod, path);
    if (!hit) return undefined;
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(hit.params)) if (value !== undefined) params[name] = value;
    return { route: (hit.store as { route: R }).route, params };
  }
}
