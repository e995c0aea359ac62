/**
 * The rule sections of a policy diff: spend tiers (company and per
 * department), data rules, contract and OAuth rules, the identity
 * provider's lists and the approvals section (approvers matched by who they
 * are, not by how their address is spelt).
 */
import { identityKey } from '../approvals/identity';
import type { Policy, SpendTier } from '../policy';
import { addedAndRemoved, fieldChange, leafDifferences, matchByKey, sameValue, show, words, type PolicyChange } from './model';

const label = (labels: Record<string, string>) => (keys: string[]) => labels[keys.join('.')] ?? words(keys.join(' '));

const TIER_FIELDS = label({ upTo: 'up to', approver: 'approver', twoStep: 'two-step approval' });

const DATA_RULE_FIELDS: Record<string, string> = {
  requireSecurityReview: 'requires a security review',
  requireDpa: 'requires a DPA',
  requireSso: 'requires SSO',
  requireScim: 'requires SCIM',
  blockUnknownVendor: 'blocks unknown vendors',
};

const CONTRACT_FIELDS = label({
  maxTermMonths: 'longest term without review (months)',
  flagAutoRenew: 'flag auto-renewal',
  minLeadTimeDays: 'minimum lead time before signing (days)',
  renewalNoticeDays: 'renewal notice (days)',
  'renewalReminders.remindDaysBefore': 'renewal owner reminded (days before the notice deadline)',
  'renewalReminders.remindAgainDaysBefore': 'renewal owner reminded again (days before the notice deadline)',
  'renewalReminders.escalateDaysBefore': 'renewal escalated to IT (days before the notice deadline)',
});

const IDP_FIELDS = label({
  managedAppAllowList: 'platform-managed apps',
  managedAppServicePrincipals: 'managed-app service principals',
  systemActors: 'system actors',
});

const APPROVALS_FIELDS = label({
  'rules.reviewMinimumTier': 'lowest tier that may approve a review',
  'rules.blockMinimumTier': 'lowest tier that may override a block',
});

export function spendChanges(before: Policy, after: Policy): PolicyChange[] {
  const currency = after.spend.baseCurrency;
  const changes: PolicyChange[] = [];
  if (before.spend.baseCurrency !== after.spend.baseCurrency) {
    changes.push(fieldChange('spend', 'Spend', { keys: ['baseCurrency'], before: before.spend.baseCurrency, after: currency }, () => 'base currency'));
  }
  for (const leaf of leafDifferences(before.spend.exchangeRates, after.spend.exchangeRates)) {
    changes.push(fieldChange('spend.exchangeRates', 'Exchange rates', leaf, (keys) => `${keys.join('.')} rate`));
  }
  changes.push(...tierChanges('spend.tiers', 'Tier', before.spend.tiers, after.spend.tiers, currency));

  const key = (o: { department: string }) => o.department.trim().toLowerCase();
  const overrides = matchByKey(before.spend.departmentOverrides, after.spend.departmentOverrides, key);
  for (const { before: b, after: a } of overrides.kept) {
    changes.push(...tierChanges(`spend.departmentOverrides.${key(a)}`, `${a.department} tier`, b.tiers, a.tiers, currency));
  }
  changes.push(
    ...addedAndRemoved(overrides, {
      path: (o) => `spend.departmentOverrides.${key(o)}`,
      subject: (o) => o.department,
      added: (o) => `${o.department}: own tiers added (${tiersText(o.tiers, currency)})`,
      removed: (o) => `${o.department}: own tiers removed; the company tiers apply`,
    }),
  );
  return changes;
}

/** Tier by tier when the number of tiers stayed; otherwise the whole ladder before and after. */
function tierChanges(path: string, subject: string, before: SpendTier[], after: SpendTier[], currency: string): PolicyChange[] {
  if (before.length === after.length) {
    return after.flatMap((tier, i) =>
      leafDifferences(before[i], tier).map((leaf) => fieldChange(`${path}[${i}]`, `${subject} ${i + 1} (${boundText(tier, currency)})`, leaf, TIER_FIELDS)),
    );
  }
  const name = subject.replace(/ tier$/, ' tiers').replace(/^Tier$/, 'Tiers');
  return [
    { path, change: 'changed', subject: name, field: 'tiers', before, after, text: `${name}: ${tiersText(before, currency)} → ${tiersText(after, currency)}` },
  ];
}

function boundText(tier: SpendTier, currency: string): string {
  return tier.upTo === undefined ? 'above the rest' : `up to ${show(tier.upTo)} ${currency}`;
}

/** "up to 5,000 USD: none; up to 25,000 USD: it-manager; above the rest: cio, two-step". */
export function tiersText(tiers: SpendTier[], currency: string): string {
  return tiers.map((t) => `${boundText(t, currency)}: ${t.approver}${t.twoStep ? ', two-step' : ''}`).join('; ');
}

export function dataRuleChanges(before: Policy, after: Policy): PolicyChange[] {
  return leafDifferences(before.dataClassification, after.dataClassification).map((leaf) => {
    const [level, ...rest] = leaf.keys;
    const rule = rest.join('.');
    return fieldChange(`dataClassification.${level}`, `${level} data`, { ...leaf, keys: rest }, () => DATA_RULE_FIELDS[rule] ?? words(rest.join(' ')));
  });
}

export function contractChanges(before: Policy, after: Policy): PolicyChange[] {
  return leafDifferences(before.contracts, after.contracts).map((leaf) => fieldChange('contracts', 'Contracts', leaf, CONTRACT_FIELDS));
}

export function oauthChanges(before: Policy, after: Policy): PolicyChange[] {
  const key = (s: { scope: string }) => s.scope.toLowerCase();
  const scopes = matchByKey(before.oauth.riskyScopes, after.oauth.riskyScopes, key);
  const { riskyScopes: _b, ...restBefore } = before.oauth;
  const { riskyScopes: _a, ...restAfter } = after.oauth;
  return [
    ...scopes.kept.flatMap(({ before: b, after: a }) =>
      leafDifferences(b, a).map((leaf) => fieldChange(`oauth.riskyScopes.${key(a)}`, `Scope ${a.scope}`, leaf, (keys) => words(keys.join(' ')))),
    ),
    ...addedAndRemoved(scopes, {
      path: (s) => `oauth.riskyScopes.${key(s)}`,
      subject: (s) => `Scope ${s.scope}`,
      added: (s) => `Scope ${s.scope} is now risky (${s.severity}): ${s.reason}`,
      removed: (s) => `Scope ${s.scope} is no longer risky (was ${s.severity})`,
    }),
    ...leafDifferences(restBefore, restAfter).map((leaf) => fieldChange('oauth', 'OAuth', leaf, label({ adminConsentSeverity: 'admin consent severity' }))),
  ];
}

export function identityProviderChanges(before: Policy, after: Policy): PolicyChange[] {
  return leafDifferences(before.identityProvider, after.identityProvider).map((leaf) => fieldChange('identityProvider', 'Identity provider', leaf, IDP_FIELDS));
}

type Approvals = NonNullable<Policy['approvals']>;
type Approver = Approvals['approvers'][number];

export function approvalsChanges(before: Policy, after: Policy): PolicyChange[] {
  const was = before.approvals;
  const now = after.approvals;
  if (!was && !now) return [];
  if (!was || !now) {
    return [
      now
        ? {
            path: 'approvals',
            change: 'added',
            subject: 'Approvals',
            after: now,
            text: `Approvals section added (${now.approvers.length} approvers): notifications carry decision links`,
          }
        : { path: 'approvals', change: 'removed', subject: 'Approvals', before: was, text: 'Approvals section removed: notifications carry no decision links' },
    ];
  }
  const people = matchByKey(was.approvers, now.approvers, (a) => identityKey(a.email));
  const { approvers: _b, ...settingsBefore } = was;
  const { approvers: _a, ...settingsAfter } = now;
  return [
    ...addedAndRemoved(people, {
      path: (a) => `approvals.approvers.${identityKey(a.email)}`,
      subject: (a) => a.name,
      added: (a) => `${a.name} <${a.email}> added as ${a.tier} for ${departmentsText(a.departments)}`,
      removed: (a) => `${a.name} <${a.email}> removed (was ${a.tier} for ${departmentsText(a.departments)})`,
    }),
    ...people.kept.flatMap(({ before: b, after: a }) => approverChanges(b, a)),
    ...leafDifferences(settingsBefore, settingsAfter).map((leaf) => fieldChange('approvals', 'Approvals', leaf, APPROVALS_FIELDS)),
  ];
}

function approverChanges(before: Approver, after: Approver): PolicyChange[] {
  const path = `approvals.approvers.${identityKey(after.email)}`;
  // Absent and empty both mean every department: only a real difference counts.
  const norm = (a: Approver) => ({ ...a, departments: a.departments?.length ? a.departments : undefined });
  return leafDifferences(norm(before), norm(after)).map((leaf) => {
    const change = fieldChange(path, after.name, leaf, (keys) => words(keys.join(' ')));
    if (leaf.keys[0] === 'departments' && (leaf.before === undefined || leaf.after === undefined)) {
      change.text = `${after.name}: departments ${departmentsText(before.departments)} → ${departmentsText(after.departments)}`;
    }
    return change;
  });
}

function departmentsText(departments: string[] | undefined): string {
  return departments?.length ? departments.join(', ') : 'every department';
}

/** Top-level sections this module does not know (added by a later schema): field by field, under their own names. */
export function otherChanges(before: Policy, after: Policy, known: ReadonlySet<string>): PolicyChange[] {
  const pick = (p: Policy) => Object.fromEntries(Object.entries(p).filter(([k]) => !known.has(k)));
  const a = pick(before);
  const b = pick(after);
  if (sameValue(a, b)) return [];
  return leafDifferences(a, b).map((leaf) =>
    fieldChange(leaf.keys[0], words(leaf.keys[0]), { ...leaf, keys: leaf.keys.slice(1) }, (keys) => words(keys.join(' '))),
  );
}
