/**
 * The renewal guard's messages: to the agreement's owner (reminder, second
 * reminder) with what they need to decide and, in their email only, their
 * signed links to record renew / renegotiate / cancel; and to IT when nobody
 * decided (escalation). Rendered per channel like every other message, so
 * names from the catalogue or a request are escaped by each channel's own
 * function.
 */
import type { Renewal } from '../renewals/calendar';
import { daysBetween, unusedSeats } from '../renewals/calendar';
import { RENEWAL_ACTION_LABELS, RENEWAL_ACTIONS, type RenewalAction, type RenewalStep } from '../renewals/schedule';
import { ALL_APPROVERS, render, type ItMessage, type MessageSpec } from './message';
import { formatCount } from '../number-format';

export interface RenewalMessageInput {
  renewal: Renewal;
  step: RenewalStep;
  now: Date;
  /** The owner's signed links (reminders only), and when they expire. */
  ownerLinks?: { links: Record<RenewalAction, string>; expiresAt: Date };
  /** The renewal calendar page (sign-in), when the console is deployed. */
  calendarUrl?: string;
}

const SUBJECT_LEAD: Record<RenewalStep, string> = {
  reminder: 'Renewal decision needed',
  'second-reminder': 'Reminder: renewal decision needed',
  escalation: 'Renewal undecided',
};

export function renewalMessage(input: RenewalMessageInput): ItMessage {
  const { renewal: r, step, now } = input;
  const today = now.toISOString().slice(0, 10);
  const toNotice = daysBetween(today, r.noticeDeadline);
  const noticeWhen = toNotice > 0 ? `in ${toNotice} day${toNotice === 1 ? '' : 's'}` : toNotice === 0 ? 'today' : `${-toNotice} days ago`;
  const renews = r.autoRenews === false ? 'ends' : 'renews';
  const lead =
    step === 'escalation'
      ? `Nobody has decided the renewal of ${r.name}${r.owner ? ` (owner ${r.owner})` : ''} after two reminders. The notice deadline is ${r.noticeDeadline} (${noticeWhen}); the agreement ${renews} on ${r.renewalDate}.`
      : `${r.name} ${renews} on ${r.renewalDate}. To cancel or renegotiate, give notice by ${r.noticeDeadline} (${noticeWhen}). Decide whether to renew, renegotiate or cancel.`;
  const unused = unusedSeats(r);
  const rows: [string, string][] = [
    ['Agreement', r.name],
    ['Renewal date', r.renewalDate],
    ['Notice deadline', `${r.noticeDeadline} (${r.noticeDays} days' notice)`],
    ['Renews by itself', r.autoRenews === undefined ? 'not stated' : r.autoRenews ? 'yes' : 'no'],
    ...(r.termMonths ? [['Term', `${r.termMonths} months`] as [string, string]] : []),
    ['Seats bought', r.seats === undefined ? 'not recorded' : formatCount(r.seats)],
    ['Seats used', r.seatsUsed === undefined ? 'not known' : `${formatCount(r.seatsUsed)}${r.seatsUsedFrom ? ` (${r.seatsUsedFrom})` : ''}`],
    ...(unused !== undefined ? [['Seats unused', formatCount(unused)] as [string, string]] : []),
    ["Last year's price", r.annualPrice ? `${formatCount(r.annualPrice.amount)} ${r.annualPrice.currency}` : 'not recorded'],
    ['Sanctioned alternatives', r.alternatives.length ? r.alternatives.join(', ') : 'none in the catalogue'],
    ['Owner', r.owner ?? 'nobody named: IT decides'],
  ];
  const hint = unused !== undefined && unused > 0 ? [`${formatCount(unused)} seats are unused: renegotiating the seat count may save money.`] : [];
  const spec: MessageSpec = {
    type: 'renewal',
    audience: 'it-approvers',
    recordId: `renewal:${r.key}:${r.renewalDate}`,
    kind: 'agreement',
    subject: `${SUBJECT_LEAD[step]}: ${r.name} renews ${r.renewalDate}`,
    title: { emoji: step === 'escalation' ? ':warning:' : ':calendar:', text: `${SUBJECT_LEAD[step]}: ${r.name} renews ${r.renewalDate}` },
    summary: lead,
    blocks: [
      { type: 'text', lines: [lead, ...hint] },
      { type: 'facts', heading: 'Renewal', rows },
      ...(input.calendarUrl ? [{ type: 'link' as const, label: 'Renewal calendar (sign in to open)', url: input.calendarUrl }] : []),
    ],
    nextSteps: [
      step === 'escalation'
        ? 'Ask the owner, or decide for them: renew, renegotiate or cancel before the notice deadline.'
        : 'Record your decision from the links in your email.',
    ],
    links: {},
    footer: [`Reference: ${r.key} renewing ${r.renewalDate}`],
    keywords: ['renewal', step],
    chatId: `renewal:${r.key}:${r.renewalDate}:${step}`,
    threadId: `renewal:${r.key}:${r.renewalDate}`,
    eventType: `renewal-${step}`,
    context: { agreement: r.name, renewalDate: r.renewalDate, noticeDeadline: r.noticeDeadline },
    findings: [],
    data: {
      renewal: {
        key: r.key,
        step,
        renewalDate: r.renewalDate,
        noticeDeadline: r.noticeDeadline,
        ...(r.owner ? { owner: r.owner } : {}),
        ...(r.seats !== undefined ? { seats: r.seats } : {}),
        ...(r.seatsUsed !== undefined ? { seatsUsed: r.seatsUsed, ...(r.seatsUsedFrom ? { seatsUsedFrom: r.seatsUsedFrom } : {}) } : {}),
        ...(unused !== undefined ? { seatsUnused: unused } : {}),
        ...(r.annualPrice ? { annualPrice: r.annualPrice } : {}),
        alternatives: r.alternatives,
      },
    },
  };
  const toOwner = step !== 'escalation' && r.owner !== undefined;
  const message = render(spec, {
    type: 'renewal' as const,
    outcome: 'renewal',
    severity: step === 'escalation' ? 'high' : 'medium',
    kind: 'agreement',
    recipient: toOwner ? r.owner! : ALL_APPROVERS,
    copy: 'first' as const,
  });
  // The owner's links go in the email body only: chat and the data copy never carry them.
  if (toOwner && input.ownerLinks) message.text = `${message.text}\n\n${ownerLinkLines(input.ownerLinks).join('\n')}`;
  return message;
}

function ownerLinkLines(owner: NonNullable<RenewalMessageInput['ownerLinks']>): string[] {
  return [
    'Record your decision (each link opens a page; nothing is recorded until you confirm there):',
    ...RENEWAL_ACTIONS.map((action) => `  ${RENEWAL_ACTION_LABELS[action]}: ${owner.links[action]}`),
    `These links are yours alone, work once, and expire ${owner.expiresAt.toISOString().slice(0, 10)}. Do not forward this email.`,
  ];
}
