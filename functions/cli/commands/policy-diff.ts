/**
 * `guardrail policy diff A [B]`: what changes between two policies, files or
 * stored versions, grouped by section; `--json` for tools. With one argument
 * the current stored policy is compared with it (what an import would change).
 */
import { diffPolicies, policyDiffText } from '../../domain/policy-diff';
import type { Policy } from '../../domain/policy';
import { CliError, EXIT, parseCommandArgs, FLAG, PLACE_FLAGS, printJson, type CliIo } from '../io';
import { storedPolicy, withPolicyPlace, type PolicyPlace } from '../policy-places';
import { readPolicyArg } from '../policy-input';

export const DIFF_USAGE = `  guardrail policy diff A [B] [--json] [--url URL | --table NAME [--region REGION]]
      What changes from policy A to policy B, by section: vendors (added, removed, status, data
      approval, security review, DPA, SSO, agreements), categories, spend tiers and approvers,
      department overrides, data, contract and OAuth rules, the identity provider, approvals.
      A and B are policy files, "current" (the current stored policy) or @VERSION (a stored
      version), read from the local store, a running runtime (--url, or found automatically)
      or a deployed policy table (--table). With one argument: current → A.
      --json           the diff as JSON: {from, to, identical, changeCount, sections: [{id, title,
                       changes: [{path, change, subject, field?, before?, after?, text}]}]}.`;

export async function diffPolicyCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('policy diff', args, { json: FLAG, ...PLACE_FLAGS });
  if (positionals.length === 0 || positionals.length > 2) {
    throw new CliError(
      `policy diff: expected A [B] (policy files, "current" or @VERSION), got ${positionals.length} arguments\nRun \`guardrail policy --help\` for usage.`,
    );
  }
  const [a, b] = positionals.length === 1 ? ['current', positionals[0]] : positionals;
  const load = async (place: PolicyPlace | undefined, operand: string): Promise<Policy> => {
    const version = storedVersionOf(operand);
    if (version === null) return readPolicyArg(operand, io);
    const policy = await storedPolicy(place!, version);
    if (!policy) throw new CliError(`policy diff: there is no current policy in ${place!.label} yet; import one first`, EXIT.failed);
    return policy;
  };
  const compare = async (place?: PolicyPlace) => {
    const diff = diffPolicies(await load(place, a), await load(place, b));
    if (values.json) printJson(io, diff);
    else
      io.stdout.write(
        `Policy ${diff.from.version} (${describe(a)}) → ${diff.to.version} (${describe(b)}): ${diff.identical ? 'no changes' : `${diff.changeCount} change${diff.changeCount === 1 ? '' : 's'}`}\n${diff.identical ? '' : `${policyDiffText(diff)}\n`}`,
      );
    return EXIT.ok;
  };
  // Two files need no store: do not open (or wait for) one.
  if (storedVersionOf(a) === null && storedVersionOf(b) === null) return compare();
  return withPolicyPlace('policy diff', values, io, compare);
}

/** `current` / `@current` → undefined (the current version), `@V` → V, a file name → null. */
function storedVersionOf(operand: string): string | undefined | null {
  if (operand === 'current' || operand === '@current') return undefined;
  if (operand.startsWith('@') && operand.length > 1) return operand.slice(1);
  return null;
}

function describe(operand: string): string {
  const version = storedVersionOf(operand);
  return version === null ? operand : version === undefined ? 'current' : 'stored';
}
