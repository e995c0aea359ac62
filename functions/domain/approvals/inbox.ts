/**
 * The approvers' inbox as data: open requests, soonest deadline first,
 * each flagged overdue or due soon. Pages render it; the ordering and flags
 * live here so the page, the CLI and tests agree.
 */
import type { ApprovalState } from './types';
import { bySigningDate, type RequestSummary } from './request-summary';
import { approvalProgress } from './approval-rules';

export interface InboxEntry {
  summary: RequestSummary;
  state: ApprovalState;
  /** Where the approver opens it (a decision page URL minted for them). */
  href?: string;
}

export interface InboxRow extends InboxEntry {
  /** Signing date (or no-date expiry) has passed, or the request is `expired-undecided`. */
  overdue: boolean;
  /** Deadline within `dueSoonHours`. */
  dueSoon: boolean;
  /** Hours until the deadline (negative when overdue); undefined without a deadline. */
  hoursLeft?: number;
  /** "Waiting for the second signature (CIO)". */
  waitingFor: string;
}

/**
 * The order of the inbox: the soonest deadline first (the signing date, or
 * the no-date expiry of a request without one: both are when it turns
 * undecided), then by signing date and age. Without a deadline, last.
 */
export function byDeadline(a: RequestSummary, b: RequestSummary): number {
  const da = a.deadline ?? '9999';
  const db = b.deadline ?? '9999';
  return da !== db ? (da < db ? -1 : 1) : bySigningDate(a, b);
}

/** Open requests only, soonest deadline first (see {@link byDeadline}). */
export function inboxRows(entries: readonly InboxEntry[], now: Date, dueSoonHours = 72): InboxRow[] {
  return entries
    .filter((e) => e.state.status === 'pending' || e.state.status === 'info-requested' || e.state.status === 'expired-undecided')
    .map((e) => {
      const deadline = e.summary.deadline ? Date.parse(e.summary.deadline) : undefined;
      const hoursLeft = deadline === undefined ? undefined : (deadline - now.getTime()) / 3_600_000;
      const overdue = e.state.status === 'expired-undecided' || (hoursLeft !== undefined && hoursLeft <= 0);
      return {
        ...e,
        overdue,
        dueSoon: !overdue && hoursLeft !== undefined && hoursLeft <= dueSoonHours,
        ...(hoursLeft !== undefined ? { hoursLeft } : {}),
        waitingFor: waitingFor(e.state),
      };
    })
    .sort((a, b) => byDeadline(a.summary, b.summary));
}

/** The same in a few words, for a table cell: "IT manager", "2nd signature: CIO", "Requester's answer". */
export function waitingForBrief(state: ApprovalState): string {
  if (state.status === 'info-requested') return 'Requester’s answer';
  const p = approvalProgress(state);
  // A tier never breaks across lines ("IT / director" reads badly in a narrow cell).
  const tier = LABEL[p.neededTier ?? 'none'].replace(/ /g, '\u00a0');
  switch (p.stage) {
    case 'first-signature':
      return `1st of 2 signatures: ${tier}`;
    case 'second-signature':
      return `2nd signature: ${tier} (1st by ${p.firstSigner?.name ?? p.firstSigner?.email})`;
    case 'single':
      return tier;
    case 'done':
      return `Decided: ${state.status}`;
    case 'not-required':
      return 'No approval needed';
  }
}

/** "in 3 days", "in 5 hours", "2 days overdue": how far the deadline is, for people. */
export function deadlineDistance(hoursLeft: number): string {
  const hours = Math.abs(hoursLeft);
  const amount =
    hours >= 48
      ? `${Math.floor(hours / 24)} days`
      : hours >= 24
        ? '1 day'
        : hours >= 1
          ? `${Math.floor(hours)} hour${Math.floor(hours) === 1 ? '' : 's'}`
          : 'less than an hour';
  return hoursLeft > 0 ? `in ${amount}` : `${amount} overdue`;
}

const LABEL: Record<string, string> = { 'it-manager': 'IT manager', 'it-director': 'IT director', cio: 'CIO', none: 'an approver' };

/** One phrase saying whose move it is. */
export function waitingFor(state: ApprovalState): string {
  if (state.status === 'info-requested') return 'Waiting for the requester to provide more information';
  const p = approvalProgress(state);
  switch (p.stage) {
    case 'first-signature':
      return `Waiting for the first of two signatures (${LABEL[p.neededTier ?? 'none']} or higher)`;
    case 'second-signature':
      return `Waiting for the second signature (${LABEL[p.neededTier ?? 'none']} or higher; first given by ${p.firstSigner?.name ?? p.firstSigner?.email})`;
    case 'single':
      return `Waiting for ${LABEL[p.neededTier ?? 'none']} approval (or higher)`;
    case 'done':
      return `Decided: ${state.status}`;
    case 'not-required':
      return 'No approval needed';
  }
}
