/**
 * The local runtime's route table. Features add routes as data
 * (`{ method, path, summary, handle }`) in their own module and register the
 * module in `routes/index.ts`; the server, the banner and the 404/405 answers
 * all read the same table, matched by the router the approvals app uses too.
 */
import type { IncomingMessage } from 'node:http';
import { HttpRouter } from '../adapters/web/http-router';
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

export class Router {
  private readonly table: HttpRouter<Route>;

  constructor(readonly routes: readonly Route[]) {
    this.table = new HttpRouter(routes);
  }

  /**
   * Finds the route for a request. Throws 404 when no route has the path and
   * 405 (with the allowed methods) when the path exists for other methods.
   */
  resolve(method: string, pathname: string): { route: Route; params: Record<string, string> } {
    const match = this.table.match(method, pathname);
    if (match.status === 'found') return match;
    if (match.status === 'method-not-allowed') {
      throw new HttpError(405, `${method} is not supported on ${pathname}; use ${match.allow.join(' or ')}`, { allow: match.allow });
    }
    throw new HttpError(404, `no route for ${method} ${pathname}`, {
      routes: this.routes.map((r) => `${r.method} ${r.path}`),
    });
  }
}
