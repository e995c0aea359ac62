/** Input the renewal guard takes from people: a calendar window, and a decision as IT records it (`guardrail renewals ack`, `POST /admin/renewals/ack`), validated. */
import * as z from '../zod-mini';
import { describeIssues } from '../problems';
import { RENEWAL_ACTIONS, type RenewalAction } from './schedule';

const RenewalAckSchema = z.strictObject({
  key: z.string().check(z.regex(/^(vendor|request):[^\s]{1,280}$/, 'must be a renewal key such as vendor:okta or request:PR-2026-1042')),
  renewalDate: z.optional(z.iso.date('must be a date such as 2027-01-15')),
  action: z.enum(RENEWAL_ACTIONS),
  by: z.email('must be the email address of whoever decided').check(z.maxLength(254)),
  note: z.optional(z.string().check(z.maxLength(1000))),
});

export type RenewalAck = { key: string; renewalDate?: string; action: RenewalAction; by: string; note?: string };

export function parseRenewalAck(input: unknown): { ok: true; value: RenewalAck } | { ok: false; problem: string } {
  const parsed = RenewalAckSchema.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, problem: describeIssues(parsed.error.issues).join('; ') };
  return { ok: true, value: parsed.data };
}

const DEFAULT_WITHIN_DAYS = 365;

/** The calendar's window (`?within=`, `--within`): `120` or `120d`, days ahead, 1–1,830; default a year. */
export function parseWithinDays(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return DEFAULT_WITHIN_DAYS;
  const m = /^(\d{1,4})d?$/.exec(value.trim());
  const days = m ? Number(m[1]) : Number.NaN;
  return days >= 1 && days <= 1830 ? days : undefined;
}
