/**
 * The facts of a request as every message shows them: label/value pairs,
 * raw (each channel escapes them), the same in the first notification,
 * reminders, amendments and requester messages. A field a source did not
 * state reads "not stated" rather than disappearing.
 */
import type { AppConnected, PurchaseRequest } from '../events';
import type { Decision } from '../decision';
import type { AppConnectionRecord, PurchaseRequestRecord, RequestRecord } from '../records';
import { formatNumber } from './text';

export const NOT_STATED = 'not stated';

export interface RequestFacts {
  /** "Dropbox for Marketing" / "Expensify": the thing, short, for subjects. */
  name: string;
  /** Subject tail: the yearly amount, or what happened where. */
  tail: string;
  /** Chat title: the thing and who it is for. */
  headline: string;
  rows: [label: string, value: string][];
  department?: string;
  signingDate?: string;
  justification?: string;
}

export function requestFacts(record: RequestRecord): RequestFacts {
  return record.kind === 'purchase-request' ? purchaseFacts(record) : appFacts(record);
}

function purchaseFacts(record: PurchaseRequestRecord): RequestFacts {
  const d = record.detail;
  const { decision } = record;
  const amount = amountPhrase(d, decision);
  const { name: person, email } = d.requester;
  const requester = person && email ? `${person} <${email}>` : (person ?? email ?? NOT_STATED);
  const vendor = d.vendor.name ?? d.vendor.domain ?? 'vendor not stated';
  const department = d.requester.department ?? 'department not stated';
  const rows: [string, string][] = [
    ['Record', record.recordId],
    ['Requested', `${d.product ?? 'product not stated'} from ${vendor}${d.vendor.domain && d.vendor.name ? ` (${d.vendor.domain})` : ''}`],
    ['Requested by', requester],
    ['Department', department],
    ['Amount', amount.full],
    ['Seats', d.seats === undefined ? NOT_STATED : formatNumber(d.seats)],
    ['Term', termPhrase(d)],
    ['Data classification', d.dataClassification ?? NOT_STATED],
    ['Signing date', d.expectedSigningDate ?? NOT_STATED],
  ];
  const category = decision.category ?? d.category;
  if (category) rows.push(['Category', category]);
  rows.push(['Catalogue match', vendorMatchPhrase(decision)]);
  if (decision.requiredApprover) {
    rows.push(['Approver', `${decision.requiredApprover}${decision.twoStepApproval ? ' (two-step: the tier below signs first)' : ''}`]);
  }
  if (d.source) rows.push(['Raised in', d.source]);
  return {
    name: `${vendor} for ${department}`,
    tail: amount.short,
    headline: `${vendor} for ${department}`,
    rows,
    department: d.requester.department,
    ...(d.expectedSigningDate ? { signingDate: d.expectedSigningDate } : {}),
    ...(d.justification ? { justification: d.justification } : {}),
  };
}

const CONNECTION_PHRASES: Record<AppConnected['connectionKind'], string> = {
  'sso-app-created': 'SSO app created',
  'user-assigned': 'user assigned',
  'oauth-consent': 'OAuth consent',
};

export const SOURCE_NAMES: Record<AppConnected['source'], string> = {
  okta: 'Okta',
  'entra-id': 'Entra ID',
  'google-workspace': 'Google Workspace',
  'iam-identity-center': 'IAM Identity Center',
  manual: 'manual report',
};

/** Most scopes listed before the rest are counted: admin consents can carry hundreds. */
const MAX_SCOPES_SHOWN = 20;

function appFacts(record: AppConnectionRecord): RequestFacts {
  const d = record.detail;
  const what = `${CONNECTION_PHRASES[d.connectionKind]}${d.adminConsent ? ' (admin consent, whole organisation)' : ''}`;
  const rows: [string, string][] = [
    ['Record', record.recordId],
    ['App', `${d.app.name}${d.app.domain ? ` (${d.app.domain})` : ''}`],
    ['Event', `${what} in ${SOURCE_NAMES[d.source]} at ${d.occurredAt}`],
    ['Done by', actorPhrase(d.actor)],
  ];
  if (d.subject && (d.subject.displayName || d.subject.email || d.subject.id)) {
    rows.push(['Assigned to', personPhrase(d.subject.displayName, d.subject.email, d.subject.id)]);
  }
  if (d.department) rows.push(['Department', d.department]);
  if (d.scopes && d.scopes.length > 0) {
    const shown = d.scopes.slice(0, MAX_SCOPES_SHOWN).join(', ');
    const more = d.scopes.length > MAX_SCOPES_SHOWN ? ` … and ${d.scopes.length - MAX_SCOPES_SHOWN} more` : '';
    rows.push(['Scopes', `${shown}${more}`]);
  }
  if (record.decision.category) rows.push(['Category', record.decision.category]);
  rows.push(['Catalogue match', vendorMatchPhrase(record.decision)]);
  const connection = d.adminConsent && d.connectionKind === 'oauth-consent' ? 'admin consent' : CONNECTION_PHRASES[d.connectionKind];
  return {
    name: d.app.name,
    tail: `${connection} in ${SOURCE_NAMES[d.source]}`,
    headline: `${d.app.name}: ${CONNECTION_PHRASES[d.connectionKind]} in ${SOURCE_NAMES[d.source]}`,
    rows,
    ...(d.department ? { department: d.department } : {}),
  };
}

function actorPhrase(actor: AppConnected['actor']): string {
  const who = personPhrase(actor.displayName, actor.email, actor.id);
  switch (actor.type) {
    case 'user':
      return who;
    case 'system':
      return `a system actor${who === 'unknown' ? '' : ` (${who})`}, not a person`;
    case 'app':
      return `an application${who === 'unknown' ? '' : ` (${who})`}`;
    default:
      return `unknown (the source did not say who${who === 'unknown' ? '' : `; it names ${who}`})`;
  }
}

function personPhrase(name?: string, email?: string, id?: string): string {
  if (name && email) return `${name} <${email}>`;
  return name ?? email ?? (id ? `id ${id}` : 'unknown');
}

function vendorMatchPhrase(decision: Decision): string {
  const v = decision.vendor;
  if (!v) return 'not in the vendor catalogue';
  return `${v.name} (${v.status}, matched by ${v.matchedBy}, ${v.confidence} confidence)`;
}

/** "12 months, auto-renews"; "not stated" when the source said neither. */
export function termPhrase(d: Pick<PurchaseRequest, 'termMonths' | 'autoRenew'>): string {
  const parts = [
    d.termMonths === undefined ? undefined : `${d.termMonths} months`,
    d.autoRenew === undefined ? undefined : d.autoRenew ? 'auto-renews' : 'does not auto-renew',
  ].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(', ') : NOT_STATED;
}

const PERIOD_SUFFIX: Record<string, string> = { 'one-time': ' one-time', monthly: '/mo', quarterly: '/quarter', annual: '/yr' };

/** What was asked: "360 USD/mo"; "360 USD (billing period not stated)" when the source did not say. */
export function askedAmount(d: Pick<PurchaseRequest, 'amount' | 'billingPeriod'>): string {
  const period = d.billingPeriod as string | undefined;
  const suffix = period === undefined ? ' (billing period not stated)' : (PERIOD_SUFFIX[period] ?? ` ${period}`);
  if (!d.amount) return NOT_STATED;
  return `${formatNumber(d.amount.value)} ${d.amount.currency ?? '(currency not stated)'}${suffix}`;
}

/** "24,000 USD/yr" for the subject; the full phrase says what was asked and what it means per year. */
function amountPhrase(d: PurchaseRequest, decision: Decision): { short: string; full: string } {
  const asked = askedAmount(d);
  const spend = decision.spend;
  if (!spend) return { short: asked, full: asked };
  const perYear = `${formatNumber(Math.round(spend.annualised))} ${spend.currency}/yr`;
  const total = `${formatNumber(Math.round(spend.totalContractValue))} ${spend.currency} total contract value`;
  if (d.billingPeriod === 'one-time') {
    const short = `${formatNumber(Math.round(spend.totalContractValue))} ${spend.currency} one-time`;
    return { short, full: asked === short ? asked : `${asked} (${short})` };
  }
  const sameAsAsked = asked === perYear;
  return { short: perYear, full: sameAsAsked ? `${asked} (${total})` : `${asked} (${perYear}; ${total})` };
}
