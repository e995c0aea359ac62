/**
 * The audit trail: one append-only entry per state change of a request, so
 * "who decided what, when and why" can be answered from the record alone.
 * Entries are plain JSON; the store appends them and never rewrites one.
 */
import type { ApproverTier } from '../policy';
import { TIER_LABELS } from './tiers';
import { ACTION_LABELS, type ApproverAction } from './types';

export const AUDIT_ENTRY_TYPES = [
  'received',
  /** The source sent new content under the same id: a new revision (what changed, what it did to the approval). */
  'amended',
  /** The requester answered "more information" (an amendment while IT waited): the review resumes. */
  'info-provided',
  'evaluated',
  'notified',
  'reminded',
  'escalated',
  'decided',
  'info-requested',
  'expired',
  /** A refused decision attempt (tampered or reused link, self-approval…): no state change, kept for security review. */
  'refused',
] as const;
export type AuditEntryType = (typeof AUDIT_ENTRY_TYPES)[number];

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface AuditActor {
  /** `system` for the guardrail itself (scheduler, notifier), `policy` for the automatic evaluation. */
  kind: 'system' | 'policy' | 'approver' | 'requester';
  /** An email for people, a component name (`scheduler`, `notifier`) for the system. */
  id: string;
  name?: string;
  tier?: ApproverTier;
}

export interface AuditEntry {
  recordId: string;
  /** ISO timestamp; entries sort by it. */
  at: string;
  type: AuditEntryType;
  actor: AuditActor;
  details: { [key: string]: JsonValue };
  /**
   * Makes repeats one entry: entries of a record with the same type and key
   * get the same id whenever they happen, so the log's conditional put keeps
   * the first (refused attempts on one link, for one reason, are one entry
   * however often they are tried). Hashed into the id, never stored.
   */
  onceKey?: string;
}

export const SYSTEM_ACTOR: AuditActor = { kind: 'system', id: 'guardrail' };
export const SCHEDULER_ACTOR: AuditActor = { kind: 'system', id: 'scheduler' };
export const POLICY_ACTOR: AuditActor = { kind: 'policy', id: 'policy' };

/** Builds an entry, dropping `undefined` details so the result is valid JSON. */
export function auditEntry(
  recordId: string,
  type: AuditEntryType,
  actor: AuditActor,
  at: Date,
  details: { [key: string]: JsonValue | undefined } = {},
): AuditEntry {
  const clean: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(details)) if (v !== undefined) clean[k] = v;
  return { recordId, at: at.toISOString(), type, actor: { ...actor }, details: clean };
}

/**
 * A deterministic id for an entry (timestamp, type and a hash of the rest).
 * A retried scheduler run or a redelivered event produces the same id, so a
 * conditional put on it appends each change once, however often it is retried.
 * An entry with a `onceKey` is identified by it alone (no timestamp).
 */
export function auditEntryId(entry: AuditEntry): string {
  if (entry.onceKey !== undefined) {
    const key = JSON.stringify([entry.recordId, entry.type, entry.onceKey]);
    return `once#${entry.type}#${fnv1a(key, 0x811c9dc5)}${fnv1a(key, 0x01000193)}`;
  }
  const body = JSON.stringify([entry.recordId, entry.type, entry.actor, entry.details]);
  return `${entry.at}#${entry.type}#${fnv1a(body, 0x811c9dc5)}${fnv1a(body, 0x01000193)}`;
}

/** Oldest first; ties keep their order (entries written in one change share a timestamp). */
export function sortAuditEntries(entries: readonly AuditEntry[]): AuditEntry[] {
  return entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.i - b.i))
    .map(({ e }) => e);
}

/** One plain-text sentence for the history on pages and in messages (renderers escape it). */
export function describeAuditEntry(entry: AuditEntry): string {
  const who = actorLabel(entry.actor);
  const d = entry.details;
  const str = (k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const tier = (k: string): string => {
    const t = str(k);
    return t && t in TIER_LABELS ? TIER_LABELS[t as ApproverTier] : (t ?? 'approvers');
  };
  switch (entry.type) {
    case 'received':
      return `Received from ${str('source') ?? 'the event bus'}.`;
    case 'amended': {
      const changes = Array.isArray(d.changes) ? d.changes.filter((c): c is string => typeof c === 'string') : [];
      const effect = APPROVAL_EFFECT_SENTENCES[str('approval') ?? ''] ?? '';
      return `Amended by ${who} (revision ${typeof d.revision === 'number' ? d.revision : '?'}): ${changes.length > 0 ? changes.join('; ') : 'content changed'}.${effect}`;
    }
    case 'evaluated':
      return `Evaluated${str('policyVersion') ? ` against policy ${str('policyVersion')}` : ''}: ${str('outcome') ?? 'unknown'}${
        str('severity') ? ` (${str('severity')})` : ''
      }.`;
    case 'notified':
      return `Notified ${tier('tier')}${str('channel') ? ` by ${str('channel')}` : ''}.`;
    case 'reminded':
      return `Reminder sent to ${tier('tier')}.`;
    case 'escalated':
      return `Escalated from ${tier('fromTier')} to ${tier('toTier')}.`;
    case 'decided': {
      const action = str('action');
      const label = action && action in ACTION_LABELS ? ACTION_LABELS[action as ApproverAction] : 'Decided';
      const comment = str('comment');
      return `${label === 'Approve' ? 'Approved' : label === 'Reject' ? 'Rejected' : label} by ${who}${
        str('stage') ? ` (signature ${str('stage')} of 2)` : ''
      }${d.late === true ? ' after the signing date' : ''}${comment ? `: “${comment}”` : '.'}`;
    }
    case 'info-requested': {
      const comment = str('comment');
      return `${who} asked the requester for more information${comment ? `: “${comment}”` : '.'}`;
    }
    case 'info-provided':
      return `${who} provided more information${str('note') ? `: “${str('note')}”` : '.'}`;
    case 'expired':
      return `Reached its expected signing date (${str('signingDate') ?? 'no date given'}) without a decision.`;
    case 'refused':
      return `A decision attempt was refused (${str('reason') ?? 'unknown reason'}).`;
  }
}

/** What an amendment did to the approval, as the history says it (revisions.ts names the effects). */
const APPROVAL_EFFECT_SENTENCES: Record<string, string> = {
  voided: ' The earlier approver decision no longer applies: back to review.',
  restarted: ' Reviewed afresh.',
  resumed: ' The review resumes.',
  released: ' The policy now allows it: no approval needed.',
  kept: '',
};

function actorLabel(actor: AuditActor): string {
  if (actor.kind === 'approver' || actor.kind === 'requester') {
    const name = actor.name ? `${actor.name} <${actor.id}>` : actor.id;
    return actor.tier && actor.tier !== 'none' ? `${name}, ${TIER_LABELS[actor.tier]}` : name;
  }
  return actor.kind === 'policy' ? 'the policy' : `the guardrail (${actor.id})`;
}

/** 32-bit FNV-1a as 8 hex digits: a stable short hash without crypto (the domain imports no Node modules). */
function fnv1a(text: string, seed: number): string {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
