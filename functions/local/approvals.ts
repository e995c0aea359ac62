/**
 * Approvals in `npm start`: the same web app, service and adapters the
 * Lambdas use, with local edges. The signing key is a random key file in the
 * data folder (mode 0600, created on first use), links point at the local
 * server, IT notifications and requester messages share the outbox (each
 * entry says its audience), decision events go to the decision log, and the
 * escalation sweep and digest run on an interval instead of a schedule.
 *
 * Sign-in is the local development sign-in (an email from the policy's
 * approver directory, no password): deployed, the company identity provider
 * signs approvers in.
 */
import type { DynamoDbAuditLog } from '../adapters/dynamodb/audit-log';
import type { DynamoDbPolicyStore } from '../adapters/dynamodb/policy-store';
import type { RequestsTableStores } from '../adapters/dynamodb/requests-table';
import { CallbackDecisionPublisher } from '../adapters/eventbridge/decision-publisher';
import type { OutboxNotifier } from '../adapters/notifier/outbox-notifier';
import { SignedDecisionLinkIssuer } from '../adapters/security/decision-link-issuer';
import { LocalFileKeyProvider } from '../adapters/security/signing-keys';
import type { ApprovalAppDeps } from '../adapters/web/approvals-app';
import { LocalSessions } from '../adapters/web/local-session';
import { runDigest, type DigestReport } from '../domain/use-cases/approvals/digest';
import { runEscalationSweep, type SweepReport } from '../domain/use-cases/approvals/sweep';
import type { Clock } from '../domain/ports/clock';
import type { DecisionLog } from './decision-log';

export interface LocalApprovals {
  keys: LocalFileKeyProvider;
  links: SignedDecisionLinkIssuer;
  audit: DynamoDbAuditLog;
  /** Everything the web app needs (the routes hand it each request). */
  app: ApprovalAppDeps;
  /** Runs the escalation sweep and the digest once, at `at` (default: now). */
  sweep(at?: Date): Promise<{ at: string; sweep: SweepReport; digest: DigestReport }>;
  /**
   * Runs `sweep()` every `intervalMs` (never two at once). The returned stop
   * resolves once a sweep that is running has finished, so the stores can be
   * closed after it without cutting one of its writes in half.
   */
  schedule(intervalMs: number): () => Promise<void>;
}

export interface LocalApprovalsInput {
  /** Where the key file lives (the data folder, or the run's temp folder). */
  keyDirectory: string;
  policies: DynamoDbPolicyStore;
  /** The stores on the requests table (records, approvals, used links, digest queue, audit trail). */
  stores: RequestsTableStores;
  outbox: OutboxNotifier;
  decisions: DecisionLog;
  clock: Clock;
  /** The server's URL once listening (`http://127.0.0.1:3000`). */
  url(): string;
  print(line: string): void;
}

export function createLocalApprovals(input: LocalApprovalsInput): LocalApprovals {
  const keys = new LocalFileKeyProvider({ directory: input.keyDirectory });
  const baseUrl = () => `${input.url()}/`;
  const links = new SignedDecisionLinkIssuer({ keys, baseUrl });
  const { approvals, usedLinks, digestQueue, audit } = input.stores;
  const app: ApprovalAppDeps = {
    policy: input.policies,
    approvals,
    usedLinks,
    digestQueue,
    audit,
    notifier: input.outbox,
    requesterNotifier: input.outbox,
    decisions: new CallbackDecisionPublisher(input.decisions.record, () => input.clock.now()),
    links,
    clock: input.clock,
    keys,
    baseUrl,
    localSessions: new LocalSessions(keys),
    inboxEnabled: true,
    // The local runtime's other inspection routes are open too (it listens on 127.0.0.1 only).
    anonymousRecordJson: true,
  };

  const sweep = async (at?: Date) => {
    const now = at ?? input.clock.now();
    const sweepReport = await runEscalationSweep(app, now);
    const digestReport = await runDigest(app, now);
    const happened = [
      sweepReport.reminded && `${sweepReport.reminded} reminded`,
      sweepReport.escalated && `${sweepReport.escalated} escalated`,
      sweepReport.expired && `${sweepReport.expired} undecided at their signing date`,
      sweepReport.effectsPerformed && `${sweepReport.effectsPerformed} pending effects done`,
      digestReport.sent && `${digestReport.sent} digests sent`,
    ].filter(Boolean);
    const failed = sweepReport.failures.length + sweepReport.effectsFailed + digestReport.failures.length;
    if (happened.length > 0 || failed > 0) {
      input.print(`  approvals sweep at ${now.toISOString()}: ${happened.join(', ') || 'nothing done'}${failed ? `, ${failed} failed (retried next run)` : ''}`);
    }
    return { at: now.toISOString(), sweep: sweepReport, digest: digestReport };
  };

  return {
    keys,
    links,
    audit,
    app,
    sweep,
    schedule(intervalMs) {
      let running: Promise<void> | undefined;
      const timer = setInterval(() => {
        if (running) return;
        running = sweep()
          .then(() => undefined)
          .catch((error: unknown) => input.print(`  ✗ approvals sweep failed: ${(error as Error).message}`))
          .finally(() => {
            running = undefined;
          });
      }, intervalMs);
      // The schedule never keeps the process alive on its own.
      timer.unref();
      return async () => {
        clearInterval(timer);
        await running;
      };
    },
  };
}

/** The sweep interval for `npm start`: GUARDRAIL_SWEEP_INTERVAL_SECONDS (default 60; 0 turns it off). */
export function sweepIntervalFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.GUARDRAIL_SWEEP_INTERVAL_SECONDS?.trim();
  if (!raw) return 60_000;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) {
    throw new Error(`GUARDRAIL_SWEEP_INTERVAL_SECONDS must be a number of seconds from 0 (off) to 86400, got "${raw}"`);
  }
  return seconds * 1000;
}
