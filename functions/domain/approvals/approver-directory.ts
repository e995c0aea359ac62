/**
 * Who may approve, at which tier, for which departments. IT keeps this as
 * data in the policy document (`approvals.approvers`), never in code, so
 * people can join and leave with a policy import rather than a deploy.
 */
import { ApproverDirectoryConfigSchema } from './config';
import { describeIssues } from '../problems';
import { identityKey } from './identity';
import { nextTierUp, type ApproverTier, type ApprovingTier } from './tiers';
import type { Approver } from './types';

/** Raised for a directory that cannot be used; each problem names its field path. */
export class ApproverDirectoryError extends Error {
  constructor(readonly problems: string[]) {
    super(`approver directory is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'ApproverDirectoryError';
  }
}

/** The approvers to ask for a tier, after falling back to a higher tier when the tier has nobody. */
export interface Addressees {
  tier: ApprovingTier;
  approvers: Approver[];
  /** True when nobody held the asked tier (or covered the department) and a higher tier was chosen. */
  fellBack: boolean;
}

export class ApproverDirectory {
  private readonly byKey = new Map<string, Approver>();

  /** Throws {@link ApproverDirectoryError} listing every problem (bad fields, duplicate people). */
  constructor(approvers: readonly Approver[]) {
    const parsed = ApproverDirectoryConfigSchema.safeParse({ approvers });
    const problems = parsed.success ? [] : describeIssues(parsed.error.issues);
    if (parsed.success) {
      parsed.data.approvers.forEach((a, i) => {
        const key = identityKey(a.email);
        if (this.byKey.has(key)) problems.push(`approvers[${i}].email: ${a.email} is listed twice`);
        else this.byKey.set(key, { ...a, email: a.email.trim() });
      });
    }
    if (problems.length) throw new ApproverDirectoryError(problems);
  }

  /** Parses configuration (e.g. the parsed JSON/YAML of `approvers.yaml`). */
  static fromConfig(config: unknown): ApproverDirectory {
    const parsed = ApproverDirectoryConfigSchema.safeParse(config);
    if (!parsed.success) throw new ApproverDirectoryError(describeIssues(parsed.error.issues));
    return new ApproverDirectory(parsed.data.approvers);
  }

  /** The approver behind an address (case and `+tag` do not matter), or undefined for a stranger. */
  find(email: string): Approver | undefined {
    return this.byKey.get(identityKey(email));
  }

  all(): Approver[] {
    return [...this.byKey.values()];
  }

  /** Approvers holding exactly `tier` who cover `department` (all departments when not given). */
  atTier(tier: ApprovingTier, department?: string): Approver[] {
    return this.all().filter((a) => a.tier === tier && covers(a, department));
  }

  /**
   * Who to notify for a tier. When nobody holds it (or covers the
   * department), the next tier up is asked instead: a request must never
   * wait on an empty tier. Undefined only when no tier at or above has anyone.
   */
  addresseesFor(tier: ApproverTier, department?: string): Addressees | undefined {
    let current: ApproverTier | undefined = tier === 'none' ? 'it-manager' : tier;
    let fellBack = false;
    while (current) {
      const approvers = this.atTier(current as ApprovingTier, department);
      if (approvers.length) return { tier: current as ApprovingTier, approvers, fellBack };
      fellBack = true;
      current = nextTierUp(current);
    }
    return undefined;
  }
}

function covers(approver: Approver, department: string | undefined): boolean {
  if (!approver.departments || approver.departments.length === 0 || department === undefined) return true;
  const wanted = department.trim().toLowerCase();
  return approver.departments.some((d) => d.trim().toLowerCase() === wanted);
}
