/**
 * What makes an approver directory unusable beyond its schema: one person
 * listed twice (by address, alias or identity-provider subject, so nobody
 * holds two tiers or answers to two entries), and nobody at the top tier for
 * every department (CIO-tier requests and escalations must reach a person).
 * A leaf module: policy.ts checks the policy with it, the directory checks
 * itself with it, and neither imports the other.
 */
import type { z } from 'zod';
import type { ApproverSchema } from './config';
import { identityKey } from './identity';

type ApproverEntry = z.output<typeof ApproverSchema>;

/** Each problem names its path under `prefix` (`approvals.approvers` in a policy). */
export function approverDirectoryProblems(approvers: readonly ApproverEntry[], prefix = 'approvers'): string[] {
  const problems: string[] = [];
  const addresses = new Map<string, string>();
  const subjects = new Map<string, string>();
  approvers.forEach((a, i) => {
    const own = identityKey(a.email);
    const claim = (key: string, path: string, shown: string) => {
      const first = addresses.get(key);
      if (first !== undefined) problems.push(`${path}: ${shown} is already listed at ${first}`);
      else addresses.set(key, `${prefix}[${i}]`);
    };
    claim(own, `${prefix}[${i}].email`, a.email);
    (a.aliases ?? []).forEach((alias, j) => {
      const path = `${prefix}[${i}].aliases[${j}]`;
      if (identityKey(alias) === own) problems.push(`${path}: ${alias} is this approver's own address`);
      else claim(identityKey(alias), path, alias);
    });
    if (a.subject !== undefined) {
      const first = subjects.get(a.subject);
      if (first !== undefined) problems.push(`${prefix}[${i}].subject: ${a.subject} is already listed at ${first}`);
      else subjects.set(a.subject, `${prefix}[${i}]`);
    }
  });
  return problems;
}

/** True when someone holds the CIO tier for every department. */
export function hasCioForEveryDepartment(approvers: readonly ApproverEntry[]): boolean {
  return approvers.some((a) => a.tier === 'cio' && (a.departments === undefined || a.departments.length === 0));
}
