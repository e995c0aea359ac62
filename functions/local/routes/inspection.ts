/**
 * Read-only routes for seeing what the guardrail did: stored records, the
 * notifications IT would have received, dead letters, decision events.
 */
import { HttpError, json } from '../http';
import type { RouteGroup } from '../context';

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
    async handle() {
      const deadLetters = await context.deadLetters.list();
      return json(200, { count: deadLetters.length, deadLetters });
    },
  },
  {
    method: 'GET',
    path: '/decisions',
    summary: '"Guardrail Decision" events published on the bus',
    async handle() {
      const decisions = await context.decisions.list();
      return json(200, { count: decisions.length, decisions });
    },
  },
];
