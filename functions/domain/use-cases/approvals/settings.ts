/**
 * The policy's `approvals` section, ready to use: defaults filled in, the
 * approver directory indexed, and the questions every approvals use case
 * asks of it (who to address, who is acting, when links expire).
 */
import type { Policy } from '../../policy';
import { departmentOf, type RequestRecord } from '../../records';
import {
  ApproverDirectory,
  DEFAULT_APPROVAL_RULES,
  DEFAULT_DECISION_LINK_CONFIG,
  DEFAULT_DIGEST_CONFIG,
  DEFAULT_ESCALATION_CONFIG,
  combinedAliases,
  requesterEmailsOf,
  type ActingApprover,
  type Addressees,
  type AliasSource,
  type CoverageQuestion,
  type ApprovalRulesConfig,
  type ApproverTier,
  type DecisionLinkConfig,
  type DigestConfig,
  type EscalationConfig,
} from '../../approvals';

export interface ApprovalSettings {
  /** Undefined when the policy names no approvers: notifications then carry no links. */
  directory?: ApproverDirectory;
  rules: ApprovalRulesConfig;
  escalation: EscalationConfig;
  digest: DigestConfig;
  links: DecisionLinkConfig;
}

const settingsCache = new WeakMap<Policy, ApprovalSettings>();

/** Settings of a policy, built once per policy object (a warm Lambda keeps its policy). */
export function approvalSettingsOf(policy: Policy): ApprovalSettings {
  const cached = settingsCache.get(policy);
  if (cached) return cached;
  const a = policy.approvals;
  const settings: ApprovalSettings = {
    directory: a ? new ApproverDirectory(a.approvers) : undefined,
    rules: a?.rules ?? DEFAULT_APPROVAL_RULES,
    escalation: a?.escalation ?? DEFAULT_ESCALATION_CONFIG,
    digest: a?.digest ?? DEFAULT_DIGEST_CONFIG,
    links: a?.links ?? DEFAULT_DECISION_LINK_CONFIG,
  };
  settingsCache.set(policy, settings);
  return settings;
}

const HOUR = 3_600_000;

/**
 * When links sent now expire: at the request's deadline (its signing date),
 * never more than `maxLifetimeDays` ahead, and never sooner than
 * `minLifetimeHours` (a request close to or past its date can still be decided).
 */
export function decisionLinkExpiry(deadline: string | undefined, now: Date, config: DecisionLinkConfig = DEFAULT_DECISION_LINK_CONFIG): Date {
  const latest = now.getTime() + config.maxLifetimeDays * 24 * HOUR;
  const earliest = now.getTime() + config.minLifetimeHours * HOUR;
  const target = deadline ? Date.parse(deadline) : latest;
  return new Date(Math.min(latest, Math.max(earliest, Number.isFinite(target) ? target : latest)));
}

/** Department coverage for this request: who may be asked, and who may act (approver-directory.ts). */
export function coverageOf(record: RequestRecord, settings: ApprovalSettings): CoverageQuestion {
  return {
    department: departmentOf(record),
    requiredTier: record.approval.requiredApprover,
    seniorTiersCoverAllDepartments: settings.rules.seniorTiersCoverAllDepartments,
  };
}

/** The approvers to ask at `tier` for this request (a higher tier when nobody holds it or covers its department), or undefined. */
export function addresseesOf(record: RequestRecord, settings: ApprovalSettings, tier: ApproverTier): Addressees | undefined {
  return settings.directory?.addresseesFor(tier, coverageOf(record, settings));
}

/** The acting approver behind an address (or alias): their directory entry, or a stranger with no tier. */
export function actingApprover(settings: ApprovalSettings, email: string): ActingApprover {
  const found = settings.directory?.find(email);
  return found
    ? { email: found.email, name: found.name, tier: found.tier, ...(found.departments?.length ? { departments: found.departments } : {}) }
    : { email, tier: 'none' };
}

/** Where other addresses of people come from (the directory's aliases; a people directory would join here). */
export function aliasesOf(settings: ApprovalSettings): AliasSource {
  return combinedAliases(settings.directory);
}

/**
 * Everything the approval rules need to judge one approver's action on one
 * record, apart from the action and the time: one place, so the decision
 * POST, the decision page, the inbox and the request page judge alike.
 */
export function ruleContextOf(record: RequestRecord, settings: ApprovalSettings, approver: ActingApprover, aliases: AliasSource = aliasesOf(settings)) {
  return {
    state: record.approval,
    requesterEmail: requesterEmailsOf(record),
    department: departmentOf(record),
    approver,
    aliases,
    rules: settings.rules,
  };
}
