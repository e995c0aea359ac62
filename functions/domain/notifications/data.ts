/**
 * The machine-readable copy of every message, for SQS, Lambda, HTTP and
 * email-json subscribers (a ticketing connector, a mail relay, a data lake).
 * A stable shape, versioned by `schema`: fields are only ever added within
 * v1. Values are plain text as the sources sent them (cleaned of line
 * breaks where they are one line): escape them for wherever you show them.
 * It never holds a decision link: those go only to the approver they were
 * signed for, by email.
 */
import type { Finding, Outcome } from '../decision';
import type { Severity } from '../policy';
import type { ApprovalStatus } from '../approvals';
import type { MessageType } from './message';

export const DATA_SCHEMA = 'procurement-guardrail/notification/v1';

export interface MessageData {
  schema: typeof DATA_SCHEMA;
  /** Which message: `decision` (first notification), `reminder`, `escalation`, `second-signature`, `expiry`, `digest`, `approval-update` (to the requester), `amended`, `outreach` (to a department), `shadow-it-report` (monthly, to IT), `renewal` (the renewal guard). */
  type: MessageType;
  /** The topic it went to. */
  audience: 'it-approvers' | 'requester' | 'department';
  /** The request's record id (`digest:<day>` for a digest). */
  recordId: string;
  kind: 'purchase-request' | 'app-connected' | 'digest' | 'outreach' | 'agreement';
  subject: string;
  /** One line for a person. */
  summary: string;
  /** Policy outcome and severity of the request's current decision. */
  outcome?: Outcome;
  severity?: Severity;
  /** Where the approval stands. */
  status?: ApprovalStatus;
  findings: Finding[];
  /** Our pages: `request` (`<base>requests/<id>`, sign-in required) and `inbox`. Present when the inbox is deployed. */
  links: { request?: string; inbox?: string };
  /** The readable text, as email subscribers get it minus any personal decision links. */
  text: string;
  /** Outreach: the department and the period it covers (`2026-W49`, `2026-12`). */
  department?: string;
  period?: string;
  /** Requester and department messages: the addressee, for a mail relay. */
  to?: string;
  /** The request's revision the message is about (amendments). */
  revision?: number;
  /** `amended`: what changed, field by field (values as shown to people). */
  changes?: { field: string; label: string; before: string; after: string }[];
  /** `amended`: whether an earlier approval was voided and the request went back to review. */
  approvalVoided?: boolean;
  /** `outreach` and `shadow-it-report`: what the department used or asked for, and what already covers it. */
  outreach?: {
    department?: string;
    apps: { name: string; people: number; isNew: boolean; adminConsent: boolean; riskyScopes: number; alternatives: { name: string; spareSeats?: number }[] }[];
    requests: { recordId: string; vendor: string; annualised?: { value: number; currency: string }; alternatives: { name: string; spareSeats?: number }[] }[];
  }[];
  /** `renewal`: the renewal it is about (no owner links: those are in the owner's email only). */
  renewal?: {
    key: string;
    step: string;
    renewalDate: string;
    noticeDeadline: string;
    owner?: string;
    seats?: number;
    seatsUsed?: number;
    seatsUsedFrom?: string;
    seatsUnused?: number;
    annualPrice?: { amount: number; currency: string };
    alternatives: string[];
  };
  /** `digest`: the requests it lists. */
  items?: {
    recordId: string;
    title: string;
    outcome: Outcome;
    severity: Severity;
    summary: string;
    expectedSigningDate?: string;
    links: { request?: string };
  }[];
}
