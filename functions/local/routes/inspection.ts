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
    path: '/requests/:id',
    summary: 'a stored request record with its decision',
    async handle({ params }) {
      const record = await context.requests.get(params.id);
      if (!record) {
        throw new HttpError(404, `no request record "${params.id}"`, {
          hint: 'purchase requests are stored under their requestId; app events under "<source>:<sourceEventId>"',
        });
      }
      return json(200, record);
    },
  },
  {
    method: 'GET',
    path: '/outbox',
    summary: 'notifications sent to IT (the local SNS topic)',
    async handle() {
      const notifications = await context.outbox.list();
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
