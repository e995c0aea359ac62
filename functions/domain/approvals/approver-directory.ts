/**
 * Who may approve, at which tier, for which departments, and under which
 * addresses and identity-provider subject. IT keeps this as data in the
 * policy document (`approvals.approvers`), never in code, so people can join
 * and leave with a policy import rather than a deploy.
 *
 * Department coverage is one rule, used both to choose whom to notify and
 * (through approval-rules.ts) to decide who may act, so the two never
 * disagree: an approver without a department list covers every department;
 * one with a list covers exactly those departments, and not a request that
 * names no department (nobody can tell it is theirs; such requests go to the
 * general approvers, as a department nobody lists does). With the policy's
 * `rules.seniorTiersCoverAllDepartments`, an approver above the tier a
 * request needs also covers every department.
 */
import { ApproverDirectoryConfigSchema } from './config';
import { approverDirectoryProblems } from './directory-problems';
import { describeIssues } from '../problems';
import { identityKey, type AliasSource } from './identity';
import { nextTierUp, tierRank, type ApproverTier, type ApprovingTier } from './tiers';
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

/**
 * Who the identity provider (or the local sign-in) says is signed in. The
 * adapter that reads the token decides what it trusts: `email` is set only
 * for an address the provider vouches for (`email_verified`, or a claim the
 * tenant controls such as Entra's `upn`), never for a self-asserted one.
 */
export interface SignedInIdentity {
  /** The provider's immutable id for the person (`sub`; Entra `oid`; Okta access tokens' `uid`). */
  subject?: string;
  email?: string;
  name?: string;
  /**
   * The local development sign-in (`npm start`) vouched for `email` by
   * looking it up in this directory: it matches even an approver with a
   * subject (there is no identity provider to give one). Never set deployed.
   */
  localSignIn?: boolean;
}

/** What department coverage depends on besides the approver. */
export interface CoverageQuestion {
  /** The request's department; undefined when it names none. */
  department: string | undefined;
  /** The tier the request needs (its required approver). */
  requiredTier?: ApproverTier;
  /** The policy's `rules.seniorTiersCoverAllDepartments`. */
  seniorTiersCoverAllDepartments?: boolean;
}

/**
 * Whether an approver covers a request's department (see the module
 * header). Pure, so the directory, the rules and the pages agree.
 */
export function coversDepartment(approver: Pick<Approver, 'departments' | 'tier'>, question: CoverageQuestion): boolean {
  const listed = approver.departments ?? [];
  if (listed.length === 0) return true;
  if (question.seniorTiersCoverAllDepartments && question.requiredTier !== undefined && tierRank(approver.tier) > tierRank(question.requiredTier)) return true;
  if (question.department === undefined) return false;
  const wanted = departmentKey(question.department);
  return listed.some((d) => departmentKey(d) === wanted);
}

function departmentKey(department: string): string {
  return department.trim().replace(/\s+/g, ' ').toLowerCase();
}

export class ApproverDirectory implements AliasSource {
  /** Every address (own and aliases) by comparison key. */
  private readonly byKey = new Map<string, Approver>();
  private readonly bySubject = new Map<string, Approver>();
  private readonly entries: Approver[] = [];

  /** Throws {@link ApproverDirectoryError} listing every problem (bad fields, one person listed twice). */
  constructor(approvers: readonly Approver[]) {
    const parsed = ApproverDirectoryConfigSchema.safeParse({ approvers });
    const problems = parsed.success ? approverDirectoryProblems(parsed.data.approvers) : describeIssues(parsed.error.issues);
    if (problems.length || !parsed.success) throw new ApproverDirectoryError(problems);
    for (const a of parsed.data.approvers) {
      const approver: Approver = { ...a, email: a.email.trim() };
      this.entries.push(approver);
      for (const address of [approver.email, ...(approver.aliases ?? [])]) this.byKey.set(identityKey(address), approver);
      if (approver.subject !== undefined) this.bySubject.set(approver.subject, approver);
    }
  }

  /** Parses configuration (e.g. the parsed JSON/YAML of `approvers.yaml`). */
  static fromConfig(config: unknown): ApproverDirectory {
    const parsed = ApproverDirectoryConfigSchema.safeParse(config);
    if (!parsed.success) throw new ApproverDirectoryError(describeIssues(parsed.error.issues));
    return new ApproverDirectory(parsed.data.approvers);
  }

  /** The approver behind an address or one of their aliases (case and `+tag` do not matter), or undefined. */
  find(email: string): Approver | undefined {
    return this.byKey.get(identityKey(email));
  }

  /** The approver whose identity-provider subject this is (exact match: subjects are opaque ids). */
  findBySubject(subject: string): Approver | undefined {
    return this.bySubject.get(subject);
  }

  /**
   * The approver a signed-in person is: by the identity provider's subject
   * when the directory lists it; otherwise by a verified address (or alias),
   * but only for approvers without a subject (once set, the subject is the
   * only way in: a re-used or renamed address cannot take the entry over).
   */
  signedIn(identity: SignedInIdentity): Approver | undefined {
    const bySubject = identity.subject !== undefined ? this.findBySubject(identity.subject) : undefined;
    if (bySubject) return bySubject;
    const byEmail = identity.email !== undefined ? this.find(identity.email) : undefined;
    return byEmail && (byEmail.subject === undefined || identity.localSignIn === true) ? byEmail : undefined;
  }

  /** The other addresses of the approver behind `email` (their own address and aliases); none for a stranger. */
  aliasesOf(email: string): string[] {
    const approver = this.find(email);
    return approver ? [approver.email, ...(approver.aliases ?? [])] : [];
  }

  all(): Approver[] {
    return [...this.entries];
  }

  /** Approvers holding exactly `tier` who cover the request's department. */
  atTier(tier: ApprovingTier, coverage: CoverageQuestion | string | undefined = { department: undefined }): Approver[] {
    const question = typeof coverage === 'object' ? coverage : { department: coverage };
    return this.entries.filter((a) => a.tier === tier && coversDepartment(a, question));
  }

  /**
   * Who to notify for a tier. When nobody holds it (or covers the
   * department), the next tier up is asked instead: a request must never
   * wait on an empty tier. Undefined only when no tier at or above has anyone.
   */
  addresseesFor(tier: ApproverTier, coverage: CoverageQuestion | string | undefined = { department: undefined }): Addressees | undefined {
    let current: ApproverTier | undefined = tier === 'none' ? 'it-manager' : tier;
    let fellBack = false;
    while (current) {
      const approvers = this.atTier(current as ApprovingTier, coverage);
      if (approvers.length) return { tier: current as ApprovingTier, approvers, fellBack };
      fellBack = true;
      current = nextTierUp(current);
    }
    return undefined;
  }
}
