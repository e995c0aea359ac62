/**
 * `POST /events`: the local PutEvents. Accepts a PutEvents entry, an event as
 * EventBridge delivers it, a detail with `kind`, or `{ "Entries": [...] }`.
 */
import type { RouteGroup } from '../context';
import { MAX_EVENT_BODY_BYTES, readJsonBody } from '../http';

export const eventRoutes: RouteGroup = (context) => [
  {
    method: 'POST',
    path: '/events',
    summary: 'put an event (PutEvents entry, delivered event, detail with "kind", or {"Entries": [...]})',
    async handle({ req }) {
      const body = await readJsonBody(req, MAX_EVENT_BODY_BYTES);
      return context.submissions.submitBody(body);
    },
  },
];
