/**
 * Importing a policy version the way a person expects: compared with the
 * current one first (what changes, in words), refused when its version is
 * not newer than the current one (unless forced: a rollback), then stored and
 * made current with a pointer flip that fails if someone else imported
 * meanwhile. The store keeps versions immutable: the same version with other
 * content is refused whatever `force` says.
 */
import type { Policy } from '../../policy';
import { diffPolicies, policyDiffHeadline, type PolicyDiff } from '../../policy-diff';
import { compareVersions, VERSION_ORDER_RULE, type VersionOrder } from '../../policy-version';
import type { PolicyImportResult, PolicyVersionStore } from '../../ports/policy-versions';
import { plural } from '../../rules/findings';

export type { PolicyImportResult, PolicyVersionStore } from '../../ports/policy-versions';

export interface PolicyImportReport extends PolicyImportResult {
  /** How the imported version stands against the one that was current (absent on a first import). */
  order?: VersionOrder;
  /** Against the policy that was current. */
  diff?: PolicyDiff;
  /** One paragraph for a person ("Stored policy 2026-12-01 (27 vendors, 14 categories); it is now current …"). */
  message: string;
}

/** The candidate's version is not newer than the current one and the import was not forced. */
export class PolicyNotNewerError extends Error {
  constructor(
    readonly candidate: string,
    readonly current: string,
    readonly order: Exclude<VersionOrder, 'newer'>,
    readonly diff: PolicyDiff,
  ) {
    const relation =
      order === 'incomparable'
        ? `cannot tell whether "${candidate}" is newer than the current "${current}": they do not follow the same scheme`
        : order === 'same'
          ? `"${candidate}" is not newer than the current "${current}" (the same version, written differently)`
          : `"${candidate}" is older than the current "${current}"`;
    // The message ends where the remedy's name goes (`with --force` on the CLI, `with ?force=1` over HTTP).
    super(`policy ${relation}; ${VERSION_ORDER_RULE}. Give the new policy a newer version, or import it anyway`);
    this.name = 'PolicyNotNewerError';
  }
}

export async function importPolicyVersion(
  store: PolicyVersionStore,
  candidate: Policy,
  options: { force?: boolean; where?: string } = {},
): Promise<PolicyImportReport> {
  const pointer = await store.currentPointer();
  const current = pointer ? await store.loadVersion(pointer.version) : undefined;
  const diff = current ? diffPolicies(current, candidate) : undefined;
  const order = current ? compareVersions(candidate.version, current.version) : undefined;
  // Re-importing the current version is allowed: identical content is a no-op, other content the store refuses.
  if (current && diff && order !== 'newer' && candidate.version !== current.version && !options.force) {
    throw new PolicyNotNewerError(candidate.version, current.version, order ?? 'incomparable', diff);
  }
  const result = await store.importPolicy(candidate, { expectedCurrentVersion: pointer?.version ?? null });
  const report: PolicyImportReport = { ...result, message: importMessage(result, candidate, diff, options.where) };
  if (order) report.order = order;
  if (diff) report.diff = diff;
  return report;
}

/** What was stored, in words; with the first few changes when it replaced another version. */
export function importMessage(result: PolicyImportResult, policy: Policy, diff: PolicyDiff | undefined, where?: string): string {
  const contents = `(${plural(policy.vendors.length, 'vendor')}, ${plural(policy.categories.length, 'category', 'categories')})`;
  const at = where ? ` in ${where}` : '';
  const was = result.previousVersion && result.previousVersion !== result.version ? ` (was ${result.previousVersion})` : '';
  let text: string;
  if (result.written) {
    text = `Stored policy ${result.version} ${contents}${at}; ${result.activated ? `it is now current${was}` : 'it is not current'}.`;
  } else if (result.activated) {
    text = `Policy ${result.version} ${contents} was already stored${at} with this content; it is now current again${was}.`;
  } else {
    return `Policy ${result.version} ${contents} is already stored${at} and current; nothing changed.`;
  }
  if (!diff || diff.from.version === diff.to.version) return text;
  return `${text} ${diff.identical ? `Same content as ${diff.from.version}.` : `Changes: ${policyDiffHeadline(diff)}.`}`;
}
