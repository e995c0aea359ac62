/**
 * Read-only routes for seeing what the guardrail did: stored records, the
 * notifications IT would have received, dead letters, decision events.
 */
import type { LocalBusEvent } from '../../adapters/eventbridge/decision-publisher';
import type { DecisionEvent } from '../../domain/decision-event';
import { OUTCOMES } from '../../domain/decision';
import { INSTANT_FORMS, parseInstant } from '../../domain/instants';
import { HttpError, json } from '../http';
import type { RouteGroup } from '../context';
import { assertKnownParams, listParam, textParam } from '../query';

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
    summary: 'this index',
    handle: () =>
      json(200, {
        service: 'procurement-guardrail (local runtime)',
        dataDir: context.dataDir ?? '(in memory)',
        routes: context.routes().map((r) => ({ route: `${r.method} ${r.path}`, summary: r.summary })),
      }),
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
    summary: 'notifications sent (?audience=it for the IT topic, ?audience=requester for the requester topic)',
    async handle({ url }) {
      assertKnownParams(url, ['audience']);
      const audience = url.searchParams.get('audience');
      if (audience !== null && audience !== 'it' && audience !== 'requester') {
        throw new HttpError(400, `audience: "${audience}" is not one of it, requester`);
      }
      const notifications = audience ? await context.outbox.listFor(audience) : await context.outbox.list();
      return json(200, { count: notifications.length, notifications });
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
