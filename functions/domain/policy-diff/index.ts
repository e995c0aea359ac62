/**
 * What changed between two policies, section by section, in words a person
 * checks before importing ("Vendors: Dropbox: tolerated → prohibited") and in
 * a stable JSON shape for tools. Pure: `guardrail policy diff`, `policy
 * import` and the local `POST /policy` all describe a change with it.
 */
import type { Policy } from '../policy';
import { categoryChanges, vendorChanges } from './catalogue';
import { DIFF_SECTIONS, fieldChange, leafDifferences, type DiffSectionId, type PolicyChange, type PolicyDiff, type PolicySide } from './model';
import { approvalsChanges, contractChanges, dataRuleChanges, identityProviderChanges, oauthChanges, otherChanges, spendChanges } from './rules';

export type { DiffSectionId, PolicyChange, PolicyDiff, PolicyDiffSection, PolicySide } from './model';

/** Top-level keys a section below describes; anything else lands in "Other settings". */
const KNOWN_KEYS = new Set([
  'version',
  'description',
  'vendors',
  'categories',
  'spend',
  'dataClassification',
  'contracts',
  'oauth',
  'identityProvider',
  'approvals',
]);

const SECTION_CHANGES: Record<DiffSectionId, (before: Policy, after: Policy) => PolicyChange[]> = {
  general: (before, after) =>
    leafDifferences({ description: before.description }, { description: after.description }).map((leaf) =>
      fieldChange('', 'Policy', leaf, () => 'description'),
    ),
  vendors: vendorChanges,
  categories: categoryChanges,
  spend: spendChanges,
  'data-rules': dataRuleChanges,
  contracts: contractChanges,
  oauth: oauthChanges,
  'identity-provider': identityProviderChanges,
  approvals: approvalsChanges,
  other: (before, after) => otherChanges(before, after, KNOWN_KEYS),
};

/** The difference from `before` to `after`. The version itself is not a change: it is in `from` and `to`. */
export function diffPolicies(before: Policy, after: Policy): PolicyDiff {
  const sections = DIFF_SECTIONS.map(({ id, title }) => ({ id, title, changes: SECTION_CHANGES[id](before, after) })).filter((s) => s.changes.length > 0);
  const changeCount = sections.reduce((n, s) => n + s.changes.length, 0);
  return { from: sideOf(before), to: sideOf(after), identical: changeCount === 0, changeCount, sections };
}

function sideOf(policy: Policy): PolicySide {
  return { version: policy.version, vendors: policy.vendors.length, categories: policy.categories.length };
}

/**
 * The diff for a terminal: a heading per section, one line per change.
 * `maxLines` shortens a long diff, saying how many lines were left out.
 */
export function policyDiffText(diff: PolicyDiff, options: { maxLines?: number; indent?: string } = {}): string {
  const indent = options.indent ?? '';
  if (diff.identical) return `${indent}No differences in content${diff.from.version === diff.to.version ? '' : ' (only the version)'}.`;
  const lines: string[] = [];
  for (const section of diff.sections) {
    lines.push(`${indent}${section.title}:`);
    for (const change of section.changes) lines.push(`${indent}  ${change.text}`);
  }
  const max = options.maxLines ?? Number.POSITIVE_INFINITY;
  if (lines.length <= max) return lines.join('\n');
  const shown = lines.slice(0, Math.max(1, max - 1));
  const hidden = diff.changeCount - shown.filter((l) => l.startsWith(`${indent}  `)).length;
  return [...shown, `${indent}… and ${hidden} more change${hidden === 1 ? '' : 's'} (guardrail policy diff shows them all)`].join('\n');
}

/** The changes in one line ("Dropbox: tolerated → prohibited; Box: seats 500 → 600; …"), at most `max` of them. */
export function policyDiffHeadline(diff: PolicyDiff, max = 5): string {
  const texts = diff.sections.flatMap((s) => s.changes.map((c) => c.text));
  if (texts.length === 0) return 'no changes in content';
  const rest = texts.length - max;
  return `${texts.slice(0, max).join('; ')}${rest > 0 ? `; and ${rest} more` : ''}`;
}
