/**
 * IT reaching out first: the weekly note to a department's contact (what
 * the department started using or asked for, which sanctioned tools with
 * spare seats already cover that need, how to ask IT) and the monthly
 * shadow-IT report to IT across departments. App, vendor, people and
 * department names are outside text: the blocks hold them raw and each
 * channel escapes them (email.ts, chat.ts).
 */
import { formatInstant } from '../approvals';
import type { Policy } from '../policy';
import type { AppUse, DepartmentActivity, RequestAsk, SanctionedAlternative } from '../use-cases/outreach/activity';
import type { Period } from '../use-cases/outreach/periods';
import type { MessageData } from './data';
import { broadcast, render, type Block, type DepartmentMessage, type ItMessage, type MessageSpec } from './message';
import { formatAmount, formatNumber } from './text';

const CONNECTION_WORDS: Record<string, string> = {
  'sso-app-created': 'added to single sign-on',
  'user-assigned': 'assigned to people',
  'oauth-consent': 'OAuth consent',
};

/** "Box (File sharing), 120 spare seats". */
export function alternativeLine(a: SanctionedAlternative): string {
  const seats =
    a.spareSeats === undefined
      ? 'seats on request'
      : `${formatNumber(a.spareSeats)} spare seat${a.spareSeats === 1 ? '' : 's'}${a.seatsFrom ? ` (${a.seatsFrom})` : ''}`;
  return `${a.name} (${a.categoryName}), ${seats}`;
}

function coveredLines(alternatives: readonly SanctionedAlternative[]): string[] {
  if (alternatives.length === 0) return [];
  return [`→ Already available: ${alternatives.slice(0, 3).map(alternativeLine).join('; ')}. IT can add you, usually within a day.`];
}

function askLine(r: RequestAsk): string {
  const what = r.product && r.product.toLowerCase() !== r.vendor.toLowerCase() ? `${r.product} (${r.vendor})` : r.vendor;
  const who = r.requester ? `, requested by ${r.requester}` : '';
  const money = r.annualised ? `, ${formatAmount(Math.round(r.annualised.value), r.annualised.currency)} a year` : '';
  return `• ${what}${who}${money}: ${STATUS_WORDS[r.status] ?? r.status}`;
}

const STATUS_WORDS: Record<string, string> = {
  pending: 'waiting for IT',
  'info-requested': 'IT asked for more information',
  'expired-undecided': 'still undecided',
  approved: 'approved',
  rejected: 'not approved',
  'not-required': 'fine to go ahead',
};

function appLine(a: AppUse): string {
  const people = a.people.length > 0 ? `${a.people.length} ${a.people.length === 1 ? 'person' : 'people'}` : 'no named person';
  const how = a.connections.map((c) => CONNECTION_WORDS[c] ?? c).join(', ');
  const risk = [
    a.adminConsent ? 'admin consent for the whole company' : '',
    a.riskyScopes > 0 ? `${a.riskyScopes} broad permission${a.riskyScopes === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `• ${a.name}: ${people} (${how})${a.isNew ? ', new' : ''}${risk ? `; ${risk}` : ''}`;
}

function helpLines(policy: Policy): string[] {
  const { itContact, requestUrl } = policy.outreach;
  return [
    `Need a tool? Ask IT before you buy${itContact ? `: write to ${itContact}` : ': reply to this message'} and we will suggest what is already paid for, or help you buy the right one quickly.`,
    ...(requestUrl ? [] : ['Raise purchase requests in your procurement tool before signing anything.']),
  ];
}

function outreachData(activity: readonly DepartmentActivity[]): NonNullable<MessageData['outreach']> {
  const alt = (list: readonly SanctionedAlternative[]) =>
    list.map((a) => ({ name: a.name, ...(a.spareSeats !== undefined ? { spareSeats: a.spareSeats } : {}) }));
  return activity.map((a) => ({
    ...(a.department || a.stated ? { department: a.department?.name ?? a.stated } : {}),
    apps: a.apps.map((u) => ({
      name: u.name,
      people: u.people.length,
      isNew: u.isNew,
      adminConsent: u.adminConsent,
      riskyScopes: u.riskyScopes,
      alternatives: alt(u.alternatives),
    })),
    requests: a.requests.map((r) => ({
      recordId: r.recordId,
      vendor: r.vendor,
      ...(r.annualised ? { annualised: r.annualised } : {}),
      alternatives: alt(r.alternatives),
    })),
  }));
}

export interface DepartmentOutreachInput {
  activity: DepartmentActivity & { department: NonNullable<DepartmentActivity['department']> };
  period: Period;
  policy: Policy;
  now: Date;
}

/** The weekly note to one department's contact. */
export function departmentOutreach(input: DepartmentOutreachInput): DepartmentMessage {
  const { activity, period, policy } = input;
  const name = activity.department.name;
  const covered = [...activity.apps, ...activity.requests].filter((i) => i.alternatives.length > 0);
  const blocks: Block[] = [
    { type: 'text', lines: [`Hello ${name},`], emailOnly: true },
    {
      type: 'text',
      lines: [
        `This is IT's weekly note on the SaaS tools ${name} started using or asked for (${period.label}). We write first so you hear about what the company already pays for before anyone signs a contract.`,
      ],
    },
  ];
  if (activity.requests.length > 0) {
    blocks.push({
      type: 'text',
      lines: [`Asked for (${activity.requests.length})`, ...activity.requests.flatMap((r) => [askLine(r), ...coveredLines(r.alternatives)])],
    });
  }
  if (activity.apps.length > 0) {
    blocks.push({
      type: 'text',
      lines: [`Started using (${activity.apps.length})`, ...activity.apps.flatMap((a) => [appLine(a), ...coveredLines(a.alternatives)])],
    });
  }
  blocks.push({ type: 'text', lines: helpLines(policy) });
  if (policy.outreach.requestUrl) blocks.push({ type: 'link', label: 'Raise a purchase request', url: policy.outreach.requestUrl });
  const firstCovered = covered[0];
  const headline = firstCovered
    ? `${firstCovered.alternatives[0].name} already covers ${'vendor' in firstCovered ? firstCovered.vendor : firstCovered.name}`
    : `${activity.apps.length + activity.requests.length} tool${activity.apps.length + activity.requests.length === 1 ? '' : 's'} this week`;
  const spec: MessageSpec = {
    type: 'outreach',
    audience: 'department',
    recordId: `outreach:${period.key}:${name}`,
    kind: 'outreach',
    subject: `IT for ${name}, ${period.label}: ${headline}`,
    title: { emoji: ':wave:', label: 'IT check-in', text: `${name}, ${period.label}` },
    summary: `${activity.requests.length} request${activity.requests.length === 1 ? '' : 's'} and ${activity.apps.length} app${activity.apps.length === 1 ? '' : 's'} this week; ${covered.length} already covered by a sanctioned tool`,
    blocks,
    nextSteps: [policy.outreach.itContact ? `Questions: write to IT at ${policy.outreach.itContact}` : 'Questions: reply to this message'],
    links: {},
    footer: [`Sent ${formatInstant(input.now)} · period ${period.key}`],
    keywords: ['outreach', name],
    chatId: `outreach:${period.key}:${name}`,
    threadId: `outreach:${name}`,
    eventType: 'department-outreach',
    context: { department: name, period: period.key },
    findings: [],
    data: { department: name, period: period.key, to: activity.department.contact, outreach: outreachData([activity]) },
  };
  return { ...render(spec, { type: 'outreach', kind: 'outreach', department: name, cadence: 'weekly' }), to: activity.department.contact };
}

export interface ShadowItReportInput {
  /** Every department's activity in the month, including unlisted ones. */
  activity: readonly DepartmentActivity[];
  period: Period;
  now: Date;
  consoleUrl?: string;
}

/** The monthly shadow-IT report to IT: new apps, people, spend requested, duplicates and risky consents per department. */
export function shadowItReport(input: ShadowItReportInput): ItMessage {
  const { period } = input;
  const active = input.activity.filter((a) => a.apps.length > 0 || a.requests.length > 0);
  const newApps = active.flatMap((a) => a.apps.filter((u) => u.isNew));
  const people = new Set(active.flatMap((a) => a.apps.flatMap((u) => u.people)));
  const spend = totals(active.flatMap((a) => a.requests.flatMap((r) => (r.annualised ? [r.annualised] : []))));
  const duplicates = active.flatMap((a) => [...a.apps, ...a.requests].filter((i) => i.alternatives.length > 0).map((i) => ({ a, i })));
  const risky = active.flatMap((a) => a.apps.filter((u) => u.adminConsent || u.riskyScopes > 0).map((u) => ({ a, u })));
  const label = (a: DepartmentActivity) => a.department?.name ?? a.stated ?? 'No department stated';
  const blocks: Block[] = [
    {
      type: 'facts',
      heading: `Shadow IT across departments, ${period.label}`,
      rows: [
        ['New apps', String(newApps.length)],
        ['People connecting apps', String(people.size)],
        ['Spend requested', spend.length > 0 ? spend.join(' + ') : 'none'],
        ['Duplicates of sanctioned tools', String(duplicates.length)],
        ['Risky consents', String(risky.length)],
      ],
    },
  ];
  for (const a of active) {
    const aSpend = totals(a.requests.flatMap((r) => (r.annualised ? [r.annualised] : [])));
    blocks.push({
      type: 'text',
      lines: [
        `${label(a)}${a.department ? '' : ' (not in the policy departments)'}: ${a.apps.filter((u) => u.isNew).length} new app(s), ${new Set(a.apps.flatMap((u) => u.people)).size} people, ${a.requests.length} request(s)${aSpend.length ? `, ${aSpend.join(' + ')} a year requested` : ''}`,
        ...a.requests.map(askLine),
        ...a.apps.map(appLine),
      ],
    });
  }
  if (duplicates.length > 0) {
    blocks.push({
      type: 'text',
      lines: [
        'Duplicates of sanctioned tools',
        ...duplicates.map(({ a, i }) => `• ${label(a)}: ${'vendor' in i ? i.vendor : i.name} → ${i.alternatives.slice(0, 3).map(alternativeLine).join('; ')}`),
      ],
    });
  }
  if (risky.length > 0) {
    blocks.push({
      type: 'text',
      lines: [
        'Risky consents',
        ...risky.map(
          ({ a, u }) => `• ${label(a)}: ${u.name}${u.adminConsent ? ', admin consent' : ''}${u.riskyScopes ? `, ${u.riskyScopes} risky scope(s)` : ''}`,
        ),
      ],
    });
  }
  if (active.length === 0) blocks.push({ type: 'text', lines: ['No department connected a new app or asked for a tool this month.'] });
  if (input.consoleUrl) blocks.push({ type: 'link', label: 'Open the IT console (sign-in)', url: input.consoleUrl });
  const severity = risky.length > 0 ? 'medium' : 'info';
  const spec: MessageSpec = {
    type: 'shadow-it-report',
    audience: 'it-approvers',
    recordId: `shadow-it:${period.key}`,
    kind: 'outreach',
    subject: `Shadow IT ${period.label}: ${newApps.length} new app(s), ${people.size} people, ${duplicates.length} duplicate(s)`,
    title: { emoji: ':bar_chart:', label: 'Shadow IT report', text: period.label },
    summary: `${newApps.length} new apps, ${people.size} people, ${spend.length ? spend.join(' + ') : 'no spend'} requested, ${duplicates.length} duplicates, ${risky.length} risky consents`,
    blocks,
    nextSteps: ['Reach out to the departments with duplicates: a sanctioned tool with spare seats saves the purchase.'],
    links: {},
    footer: [`Generated ${formatInstant(input.now)} · period ${period.key}`],
    keywords: ['shadow-it', 'report', severity],
    chatId: `shadow-it:${period.key}`,
    threadId: 'shadow-it-report',
    eventType: 'shadow-it-report',
    context: { period: period.key, departments: String(active.length) },
    findings: [],
    data: { period: period.key, severity, outreach: outreachData(active) },
  };
  return broadcast({ spec, attributes: { type: 'shadow-it-report', outcome: 'report', severity, kind: 'outreach' } });
}

/** "14,400 USD", one per currency. */
function totals(amounts: readonly { value: number; currency: string }[]): string[] {
  const sums = new Map<string, number>();
  for (const a of amounts) sums.set(a.currency, (sums.get(a.currency) ?? 0) + a.value);
  return [...sums].map(([currency, value]) => formatAmount(Math.round(value), currency));
}
