/**
 * Revisions of one request: the same record id with different content is an
 * amendment, evaluated afresh. What changed is listed for people ("amount
 * 12,000 → 900,000 USD; vendor Box → WeTransfer") and judged: a material
 * change (vendor, product, category, requester or department, amount or seats
 * up, term longer, auto-renewal on, classification stricter) voids what an
 * approver decided, as does a stricter decision under the current policy.
 * Order: the source's own revision time where it gives one, otherwise a copy
 * of content this record has already seen is a redelivery.
 */
import { contentHash } from './content-hash';
import type { Decision } from './decision';
import { DATA_CLASSIFICATIONS, type AppConnected, type GuardrailEvent, type PurchaseRequest } from './events';
import { formatMoney } from './rules/findings';
import { stableJson } from './stable-json';
import { isAtLeast, type ApprovalState } from './approvals';
import type { RequestRecord } from './records';

/** Revisions one record may have; a source that sends more is looping or hostile, and the excess is refused. */
export const MAX_REVISIONS = 50;

/** How a delivery relates to the stored record. */
export type DeliveryKind =
  /** The content the record holds: a redelivery, nothing to write. */
  | 'redelivery'
  /** Content of an earlier revision, arriving late: superseded, nothing to write. */
  | 'earlier-revision'
  /** Content the source dated before the stored revision: superseded, nothing to write. */
  | 'superseded'
  /** New content: a new revision. */
  | 'amendment';

export interface ContentChange {
  /** The canonical path that changed (`amount`, `vendor.name`…). */
  field: string;
  /** For people: "amount 12,000 → 900,000 USD". Plain text; renderers escape it. */
  text: string;
  material: boolean;
}

/** What a revision is compared on: the detail without the source's revision time (a touch that changes nothing else is no revision). */
export function contentOf(event: Pick<GuardrailEvent, 'kind' | 'detail'>): unknown {
  if (event.kind !== 'purchase-request') return event.detail;
  const { revisedAt: _ignored, ...content } = event.detail as PurchaseRequest;
  return content;
}

/** The fingerprint a record keeps of a revision's content. */
export function contentHashOf(event: Pick<GuardrailEvent, 'kind' | 'detail'>): string {
  return contentHash(contentOf(event));
}

function revisedAtOf(event: Pick<GuardrailEvent, 'kind' | 'detail'>): number | undefined {
  const at = event.kind === 'purchase-request' ? (event.detail as PurchaseRequest).revisedAt : undefined;
  return at === undefined ? undefined : Date.parse(at);
}

export function classifyDelivery(record: RequestRecord, event: GuardrailEvent): DeliveryKind {
  const incoming = contentOf(event);
  if (stableJson(contentOf(record)) === stableJson(incoming)) return 'redelivery';
  if (record.earlierContent?.includes(contentHash(incoming))) return 'earlier-revision';
  const storedAt = revisedAtOf(record);
  const incomingAt = revisedAtOf(event);
  if (storedAt !== undefined && incomingAt !== undefined && incomingAt < storedAt) return 'superseded';
  return 'amendment';
}

const shown = (value: unknown): string => {
  if (value === undefined || value === null || value === '') return 'none';
  const text = String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

/** Everything that differs between two revisions of a purchase request, in a stable order. */
export function purchaseChanges(before: PurchaseRequest, after: PurchaseRequest): ContentChange[] {
  const changes: ContentChange[] = [];
  const add = (field: string, label: string, a: unknown, b: unknown, material: boolean, suffix = '') => {
    if (stableJson(a) !== stableJson(b)) changes.push({ field, text: `${label} ${shown(a)} → ${shown(b)}${suffix}`, material });
  };
  const up = (a: number | undefined, b: number | undefined) => a === undefined || b === undefined || b > a;
  add('vendor.name', 'vendor', before.vendor.name, after.vendor.name, true);
  add('vendor.domain', 'vendor domain', before.vendor.domain, after.vendor.domain, true);
  add('product', 'product', before.product, after.product, true);
  add('category', 'category', before.category, after.category, true);
  const a = before.amount;
  const b = after.amount;
  if (a.value !== b.value || a.currency !== b.currency) {
    const from = a.currency === b.currency ? figure(a.value) : `${figure(a.value)} ${a.currency}`;
    changes.push({ field: 'amount', text: `amount ${from} → ${figure(b.value)} ${b.currency}`, material: a.currency !== b.currency || b.value > a.value });
  }
  add('billingPeriod', 'billing period', before.billingPeriod, after.billingPeriod, true);
  add('termMonths', 'term', before.termMonths, after.termMonths, up(before.termMonths, after.termMonths), ' months');
  add('seats', 'seats', before.seats, after.seats, up(before.seats, after.seats));
  add('autoRenew', 'auto-renewal', onOff(before.autoRenew), onOff(after.autoRenew), after.autoRenew === true && before.autoRenew !== true);
  const rank = (c: PurchaseRequest['dataClassification'] | undefined) => (c === undefined ? DATA_CLASSIFICATIONS.length : DATA_CLASSIFICATIONS.indexOf(c));
  add('dataClassification', 'data classification', before.dataClassification, after.dataClassification, rank(after.dataClassification) > rank(before.dataClassification));
  add('requester.email', 'requester', before.requester.email, after.requester.email, true);
  add('requester.department', 'department', before.requester.department, after.requester.department, true);
  add('requester.name', 'requester name', before.requester.name, after.requester.name, false);
  add('expectedSigningDate', 'expected signing date', before.expectedSigningDate, after.expectedSigningDate, false);
  if ((before.justification ?? '') !== (after.justification ?? '')) changes.push({ field: 'justification', text: 'justification changed', material: false });
  add('submittedAt', 'submitted', before.submittedAt, after.submittedAt, false);
  return changes;
}

/** "12,000" or "1,234.5": the amount without its currency (formatMoney's digits). */
function figure(value: number): string {
  return formatMoney(value, '').trim();
}

function onOff(value: boolean | undefined): string | undefined {
  return value === undefined ? undefined : value ? 'on' : 'off';
}

/** An app event whose content changed under the same event id: every difference counts (sources never edit events). */
export function appChanges(before: AppConnected, after: AppConnected): ContentChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => stableJson((before as Record<string, unknown>)[k]) !== stableJson((after as Record<string, unknown>)[k]))
    .map((k) => ({ field: k, text: `${k} changed`, material: true }));
}

export function contentChanges(record: RequestRecord, event: GuardrailEvent): ContentChange[] {
  if (record.kind === 'purchase-request' && event.kind === 'purchase-request') return purchaseChanges(record.detail, event.detail);
  if (record.kind === 'app-connected' && event.kind === 'app-connected') return appChanges(record.detail, event.detail);
  return [{ field: 'kind', text: `kind ${record.kind} → ${event.kind}`, material: true }];
}

const OUTCOME_RANK: Record<Decision['outcome'], number> = { allow: 0, review: 1, block: 2 };

/** The new decision asks more than the old: a worse outcome, a higher signing tier, or two signatures where one sufficed. */
export function isStricter(before: Decision, after: Decision): boolean {
  if (OUTCOME_RANK[after.outcome] !== OUTCOME_RANK[before.outcome]) return OUTCOME_RANK[after.outcome] > OUTCOME_RANK[before.outcome];
  const was = before.requiredApprover ?? 'none';
  const now = after.requiredApprover ?? 'none';
  if (was !== now) return isAtLeast(now, was);
  return after.twoStepApproval === true && before.twoStepApproval !== true;
}

/**
 * What a revision does to the approval:
 * - `voided`: material, or a stricter decision, after someone acted: their decision no longer applies, review starts over;
 * - `restarted`: the same before anyone acted (a fresh review of the new content);
 * - `resumed`: the requester answered "more information" with a revision that changes nothing material;
 * - `released`: nobody has acted and the policy now allows it: no review needed;
 * - `kept`: nothing material: the approval (or its absence) stands.
 */
export type ApprovalEffectOfRevision = 'voided' | 'restarted' | 'resumed' | 'released' | 'kept';

export function approvalEffectOf(input: { approval: ApprovalState; before: Decision; after: Decision; material: boolean }): ApprovalEffectOfRevision {
  const { approval, before, after } = input;
  const actedOn = approval.steps.length > 0 || approval.status === 'approved' || approval.status === 'rejected';
  if (input.material || isStricter(before, after)) {
    if (approval.status === 'not-required' && after.outcome === 'allow') return 'kept';
    return actedOn ? 'voided' : 'restarted';
  }
  if (approval.status === 'info-requested') return 'resumed';
  if (!actedOn && approval.status !== 'not-required' && after.outcome === 'allow') return 'released';
  return 'kept';
}
