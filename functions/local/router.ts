/**
 * A table-driven router for the local runtime. Features add routes as data
 * (`{ method, path, summary, handle }`) in their own module and register the
 * module in `routes.ts`; the server, the banner and the 404/405 answers all
 * read the same table, so a new route needs no change here.
 */
import type { IncomingMessage } from 'node:http';
import { HttpError, type RouteResponse } from './http';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteRequest {
  req: IncomingMessage;
  url: URL;
  /** Values of `:name` segments, already URI-decoded. */
  params: Record<string, string>;
}

export interface Route {
  method: HttpMethod;
  /** `/requests/:id`, `/ingest/:source`: literal segments and `:name` parameters. */
  path: string;
  /** One line for the startup banner. */
  summary: string;
  handle(request: RouteRequest): Promise<RouteResponse> | RouteResponse;
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(readonly routes: readonly Route[]) {
    const seen = new Set<string>();
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      // Two modules claiming one route is a wiring mistake: fail at start, not on the first request.
      if (seen.has(key)) throw new Error(`route ${key} is registered twice`);
      seen.add(key);
    }
    this.compiled = routes.map((route) => ({ route, segments: splitPath(route.path) }));
  }

  /**
   * Finds the route for a request. Throws 404 when no route has the path and
   * 405 (with the allowed methods) when the path exists for other methods.
   */
  resolve(method: string, pathname: string): { route: Route; params: Record<string, string> } {
    const requestSegments = splitPath(pathname);
    const allowed: string[] = [];
    for (const { route, segments } of this.compiled) {
      const params = matchSegments(segments, requestSegments);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
      allowed.push(route.method);
    }
    if (allowed.length > 0) {
      throw new HttpError(405, `${method} is not supported on ${pathname}; use ${allowed.join(' or ')}`, { allow: allowed });
    }
    throw new HttpError(404, `no route for ${method} ${pathname}`, {
      routes: this.routes.map((r) => `${r.method} ${r.path}`),
    });
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  if (pattern.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (p.startsWith(':')) {
      let value: string;
      try {
        value = decodeURIComponent(actual[i]);
      } catch {
        return undefined;
      }
      params[p.slice(1)] = value;
    } else if (p !== actual[i]) {
      return undefined;
    }
  }
  return params;
}
