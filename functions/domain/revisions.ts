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
import { describeChange, type ChangeDescription } from './notifications/amended';
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

/** One change between two revisions: as people read it (notifications' describeChange), and whether it is material. */
export type ContentChange = ChangeDescription & {
  /** For people: "amount 12,000 → 900,000 USD" (the phrase). Plain text; renderers escape it. */
  text: string;
  material: boolean;
};

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

const differs = (a: unknown, b: unknown) => stableJson(a ?? null) !== stableJson(b ?? null);

/** Every field that differs between two revisions of a purchase request, in a stable order, and whether it is material. */
function purchaseFieldChanges(before: PurchaseRequest, after: PurchaseRequest): [field: string, material: boolean][] {
  const fields: [string, boolean][] = [];
  const check = (field: string, a: unknown, b: unknown, material: boolean) => {
    if (differs(a, b)) fields.push([field, material]);
  };
  // Up, or a number appearing or disappearing (nobody can say it did not grow).
  const up = (a: number | undefined, b: number | undefined) => a === undefined || b === undefined || b > a;
  check('vendor.name', before.vendor.name, after.vendor.name, true);
  check('vendor.domain', before.vendor.domain, after.vendor.domain, true);
  check('product', before.product, after.product, true);
  check('category', before.category, after.category, true);
  const a = before.amount;
  const b = after.amount;
  check('amount', a, b, a === undefined || b === undefined || a.currency !== b.currency || b.value > a.value);
  check('billingPeriod', before.billingPeriod, after.billingPeriod, true);
  check('termMonths', before.termMonths, after.termMonths, up(before.termMonths, after.termMonths));
  check('seats', before.seats, after.seats, up(before.seats, after.seats));
  check('autoRenew', before.autoRenew, after.autoRenew, after.autoRenew === true && before.autoRenew !== true);
  // An unstated classification counts as the strictest: stating one is never a tightening.
  const rank = (c: PurchaseRequest['dataClassification']) => (c === undefined ? DATA_CLASSIFICATIONS.length : DATA_CLASSIFICATIONS.indexOf(c));
  check('dataClassification', before.dataClassification, after.dataClassification, rank(after.dataClassification) > rank(before.dataClassification));
  check('requester.email', before.requester.email, after.requester.email, true);
  check('requester.department', before.requester.department, after.requester.department, true);
  check('requester.name', before.requester.name, after.requester.name, false);
  check('expectedSigningDate', before.expectedSigningDate, after.expectedSigningDate, false);
  check('justification', before.justification, after.justification, false);
  check('submittedAt', before.submittedAt, after.submittedAt, false);
  return fields;
}

/** An app event whose content changed under the same event id: every difference counts (sources never edit events). */
function appFieldChanges(before: AppConnected, after: AppConnected): [field: string, material: boolean][] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => differs((before as unknown as Record<string, unknown>)[k], (after as unknown as Record<string, unknown>)[k])).map((k) => [k, true]);
}

/** The changes between two revisions of a purchase request. */
export function purchaseChanges(before: PurchaseRequest, after: PurchaseRequest): ContentChange[] {
  return described({ kind: 'purchase-request', detail: before }, { kind: 'purchase-request', detail: after }, purchaseFieldChanges(before, after));
}

function described(before: GuardrailEvent, after: GuardrailEvent, fields: [string, boolean][]): ContentChange[] {
  return fields.map(([field, material]) => {
    const description = describeChange(before, after, field);
    return { ...description, text: description.phrase, material };
  });
}

export function contentChanges(record: RequestRecord, event: GuardrailEvent): ContentChange[] {
  let fields: [string, boolean][];
  if (record.kind === 'purchase-request' && event.kind === 'purchase-request') fields = purchaseFieldChanges(record.detail, event.detail);
  else if (record.kind === 'app-connected' && event.kind === 'app-connected') fields = appFieldChanges(record.detail, event.detail);
  else
    return [
      {
        field: 'kind',
        label: 'kind',
        before: record.kind,
        after: event.kind,
        phrase: `kind ${record.kind} → ${event.kind}`,
        text: `kind ${record.kind} → ${event.kind}`,
        material: true,
      },
    ];
  return described({ kind: record.kind, detail: record.detail } as GuardrailEvent, event, fields);
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
