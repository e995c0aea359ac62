/**
 * The EventBridge contract: which `source`/`detail-type` pairs carry canonical
 * events and decisions, and the rule patterns that select them. The CDK rules
 * and the local runtime's router both read these, so they cannot drift apart.
 */
import type { EventKind } from './events';

export const GUARDRAIL_SOURCE = 'procurement-guardrail';

export const DETAIL_TYPES = {
  'purchase-request': 'Purchase Request Submitted',
  'app-connected': 'App Connected',
  decision: 'Guardrail Decision',
} as const;

/** An EventBridge event pattern (the subset of operators this project uses). */
export type EventPattern = { [key: string]: unknown };

export const EVENT_PATTERNS: Record<EventKind, EventPattern> = {
  'purchase-request': { source: [GUARDRAIL_SOURCE], 'detail-type': [DETAIL_TYPES['purchase-request']] },
  'app-connected': { source: [GUARDRAIL_SOURCE], 'detail-type': [DETAIL_TYPES['app-connected']] },
};

/** Events a guardrail function takes from its queue per invocation (PutEvents and PublishBatch take ten a call). */
export const EVENT_BATCH_SIZE = 10;
