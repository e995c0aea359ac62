/**
 * Checks an event's `detail` against the canonical schema of its kind. Every
 * problem names the field path (`detail.amount.currency: must be an ISO 4217
 * code such as USD`) so whoever sent it can fix the source, and the dead letter
 * says what was wrong without anyone replaying it.
 */
import { AppConnectedSchema, PurchaseRequestSchema, type EventKind, type GuardrailEvent } from '../../events';
import { describeIssues } from '../../problems';

export type GuardrailValidation = { ok: true; event: GuardrailEvent } | { ok: false; problems: string[] };

export function validateGuardrailEvent(kind: EventKind, detail: unknown): GuardrailValidation {
  if (kind === 'purchase-request') {
    const parsed = PurchaseRequestSchema.safeParse(detail);
    return parsed.success
      ? { ok: true, event: { kind, detail: parsed.data } }
      : { ok: false, problems: describeIssues(parsed.error.issues, 'detail', '(detail)', detail) };
  }
  if (kind === 'app-connected') {
    const parsed = AppConnectedSchema.safeParse(detail);
    return parsed.success
      ? { ok: true, event: { kind, detail: parsed.data } }
      : { ok: false, problems: describeIssues(parsed.error.issues, 'detail', '(detail)', detail) };
  }
  return { ok: false, problems: [`kind: "${String(kind)}" is not a guardrail event kind`] };
}
