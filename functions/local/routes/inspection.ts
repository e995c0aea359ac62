/**
 * Read-only routes for seeing what the guardrail did: stored records, the
 * notifications IT would have received, dead letters, decision events.
 */
import type { LocalBusEvent } from '../../adapters/eventbridge/decision-publisher';
import { OUTBOX_AUDIENCES, type OutboxAudience } from '../../adapters/notifier/outbox-notifier';
import { consoleNav, localOverviewJson } from '../../adapters/web/console-routes';
import { renderOutboxPage } from '../../adapters/web/outbox-page';
import { SECURITY_HEADERS } from '../../adapters/web/security-headers';
import type { DecisionEvent } from '../../domain/decision-event';
import { OUTCOMES } from '../../domain/decision';
import { INSTANT_FORMS, parseInstant } from '../../domain/instants';
import { HttpError, json } from '../http';
import type { RouteGroup } from '../context';
import { assertKnownParams, listParam, textParam } from '../query';
import { serveApprovalPage } from './approvals';

/** A browser (its Accept names text/html) gets the page; tools get JSON. */
const wantsPage = (accept: string | undefined) => /\btext\/html\b/i.test(accept ?? '');

const KINDS = ['purchase-request', 'app-connected'] as const;

/** `?outcome=` (one or several), `?kind=`, and `?since=`/`?until=` on when it was decided (a date until includes that day). */
function decisionFilterOf(url: URL): (event: LocalBusEvent<DecisionEvent>) => boolean {
  const outcomes = listParam(url, 'outcome', OUTCOMES);
  const kinds = listParam(url, 'kind', KINDS);
  const bound = (name: 'since' | 'until') => {
    const text = textParam(url, name);
    if (text === undefined) return undefined;
    const at = parseInstant(text, name === 'since' ? 'start' : 'end');
    if (!at) throw new HttpError(400, `${name}: "${text}" is not ${INSTANT_FORMS}`);
    return at.getTime();
  };
  const since = bound('since');
  const until = bound('until');
  if (since !== undefined && until !== undefined && since > until) throw new HttpError(400, 'since is after until: nothing could match');
  return ({ detail, time }) => {
    if (outcomes && !outcomes.includes(detail.outcome)) return false;
    if (kinds && !kinds.includes(detail.kind)) return false;
    const decided = Date.parse(detail.decidedAt ?? time);
    return (since === undefined || decided >= since) && (until === undefined || decided <= until);
  };
}

export const inspectionRoutes: RouteGroup = (context) => [
  {
    method: 'GET',
    path: '/',
    summary: "this index and the console's figures as JSON; in a browser, the IT console (sign in first)",
    async handle(request) {
      if (wantsPage(request.req.headers.accept)) return serveApprovalPage(context, request);
      return json(200, {
        service: 'procurement-guardrail (local runtime)',
        dataDir: context.dataDir ?? '(in memory)',
        routes: context.routes().map((r) => ({ route: `${r.method} ${r.path}`, summary: r.summary })),
        // The console's figures; the index still answers when they cannot be computed (no policy yet).
        overview: await localOverviewJson(context.approvals.app).catch((error: unknown) => ({ unavailable: (error as Error).message })),
      });
    },
  },
  {
    method: 'GET',
    path: '/health',
    summary: 'liveness, current policy version',
    async handle() {
      const pointer = await context.policies.currentPointer();
      return json(200, {
        status: 'ok',
        policyVersion: pointer?.version ?? null,
        startedAt: context.startedAt.toISOString(),
        dataDir: context.dataDir ?? '(in memory)',
      });
    },
  },
  {
    method: 'GET',
    path: '/outbox',
    summary: 'notifications sent (?audience=it, requester or department); a readable page with clickable links in a browser',
    async handle({ req, url }) {
      assertKnownParams(url, ['audience']);
      const audience = url.searchParams.get('audience');
      if (audience !== null && !(OUTBOX_AUDIENCES as readonly string[]).includes(audience)) {
        throw new HttpError(400, `audience: "${audience}" is not one of ${OUTBOX_AUDIENCES.join(', ')}`);
      }
      const notifications = audience ? await context.outbox.listFor(audience as OutboxAudience) : await context.outbox.list();
      if (!wantsPage(req.headers.accept)) return json(200, { count: notifications.length, notifications });
      const app = context.approvals.app;
      const { 'Content-Type': contentType, ...headers } = SECURITY_HEADERS;
      const text = renderOutboxPage({
        entries: notifications.map((n) => ({ ...n, audience: n.audience ?? 'it' })),
        ...(audience ? { audience } : {}),
        audiences: OUTBOX_AUDIENCES,
        nav: consoleNav(app, 'outbox'),
        action: '/outbox',
      });
      return { status: 200, text, contentType, headers };
    },
  },
  {
    method: 'GET',
    path: '/dead-letters',
    summary: 'events the handlers rejected, with the reason and each bad field',
    async handle({ url }) {
      assertKnownParams(url, []);
      const deadLetters = await context.deadLetters.list();
      return json(200, { count: deadLetters.length, deadLetters });
    },
  },
  {
    method: 'GET',
    path: '/decisions',
    summary: '"Guardrail Decision" events put on the bus; ?outcome=block&kind=purchase-request&since=…&until=… filter them',
    async handle({ url }) {
      assertKnownParams(url, ['outcome', 'kind', 'since', 'until']);
      const filter = decisionFilterOf(url);
      const decisions = (await context.decisions.list()).filter(filter);
      return json(200, { count: decisions.length, decisions });
    },
  },
];
