/**
 * A policy simulation for a terminal: each changed decision with its
 * findings added (+) and removed (-), then the totals by transition.
 */
import type { PolicyDiff } from '../domain/policy-diff';
import { policyDiffHeadline } from '../domain/policy-diff';
import type { DecisionSide, PolicySimulation, SimulatedChange } from '../domain/use-cases/policy/simulate';

export interface SimulationAnswer {
  current?: { version: string } | null;
  diff?: PolicyDiff | null;
  simulation: PolicySimulation;
}

export function simulationText({ current, diff, simulation }: SimulationAnswer, where: string): string {
  const { totals } = simulation;
  const when = simulation.evaluatedAt === 'original' ? 'each at the time of its original evaluation' : `all as of ${simulation.evaluatedAt}`;
  const scope = [simulation.since && `received since ${simulation.since}`, simulation.limit && `the ${simulation.limit} most recent`]
    .filter(Boolean)
    .join(', ');
  const lines = [
    `Policy ${simulation.policy.version} on ${totals.evaluated} stored request${totals.evaluated === 1 ? '' : 's'}${scope ? ` (${scope})` : ''} in ${where}, ${when}.`,
  ];
  if (current) lines.push(`Against the current policy ${current.version}: ${diff ? policyDiffHeadline(diff) : 'not compared'}.`);
  lines.push('');
  if (simulation.changes.length === 0) lines.push('No decision would change.');
  for (const change of simulation.changes) lines.push(...changeLines(change));
  for (const failure of simulation.failures) lines.push(`${failure.recordId}: could not be evaluated: ${failure.error}`);
  lines.push('');
  lines.push(
    `Totals: ${totals.evaluated} evaluated, ${totals.changed} would change (${totals.outcomeChanged} in outcome), ${totals.unchanged} unchanged` +
      `${totals.failed ? `, ${totals.failed} could not be evaluated` : ''}${totals.scanned !== totals.evaluated + totals.failed ? `; ${totals.scanned} records read` : ''}.`,
  );
  for (const t of totals.transitions) lines.push(`  ${t.from} → ${t.to}${t.from === t.to ? ' (findings only)' : ''}: ${t.count}`);
  lines.push('Nothing was stored; the current policy is unchanged.');
  return `${lines.join('\n')}\n`;
}

function changeLines(change: SimulatedChange): string[] {
  const who = `${change.subject}${change.department ? ` (${change.department})` : ''}`;
  const head = `${change.recordId}  ${who}, received ${change.receivedAt}: ${sideText(change.before, change.after)}`;
  return [
    head,
    ...change.findingsAdded.map((f) => `    + ${f.code} (${f.severity}): ${f.message}`),
    ...change.findingsRemoved.map((f) => `    - ${f.code} (${f.severity}): ${f.message}`),
  ];
}

function sideText(before: DecisionSide, after: DecisionSide): string {
  const parts = [`${before.outcome} → ${after.outcome}`];
  if (before.severity !== after.severity) parts.push(`severity ${before.severity} → ${after.severity}`);
  if (before.requiredApprover !== after.requiredApprover) parts.push(`approver ${before.requiredApprover ?? 'none'} → ${after.requiredApprover ?? 'none'}`);
  return parts.join(', ');
}
