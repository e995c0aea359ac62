/**
 * Approvals in `npm start`: the same web app, service and adapters the
 * Lambdas use, composed by the root over the local edges
 * (composition/local-edges.ts: key file, outbox, decision log, local
 * sign-in). What is local here is only the timing: the escalation sweep and
 * the digest run on an interval instead of a schedule, or on demand.
 */
import type { ApprovalAppDeps } from '../adapters/web/approvals-app';
import { runDigest, type DigestReport } from '../domain/use-cases/approvals/digest';
import { runEscalationSweep, type SweepReport } from '../domain/use-cases/approvals/sweep';
import { runOutreach, type OutreachDeps, type OutreachReport } from '../domain/use-cases/outreach/run';

export interface LocalApprovals {
  /** Everything the web app needs (the routes hand it each request). */
  app: ApprovalAppDeps;
  /**
   * Runs the escalation sweep, the digest and outreach once, at `at`
   * (default: now): outreach for the week and month that ended before `at`,
   * each department's note at most once per period.
   */
  sweep(at?: Date): Promise<{ at: string; sweep: SweepReport; digest: DigestReport; outreach?: OutreachReport }>;
  /**
   * Runs `sweep()` every `intervalMs` (never two at once). The returned stop
   * resolves once a sweep that is running has finished, so the stores can be
   * closed after it without cutting one of its writes in half.
   */
  schedule(intervalMs: number): () => Promise<void>;
}

/** The sweep and its schedule over the app's dependencies (from the composition root, with the local edges). */
export function createLocalApprovals(app: ApprovalAppDeps, print: (line: string) => void, outreach?: OutreachDeps): LocalApprovals {
  const sweep = async (at?: Date) => {
    const now = at ?? app.clock.now();
    const sweepReport = await runEscalationSweep(app, now);
    const digestReport = await runDigest(app, now);
    const outreachReport = outreach ? await runOutreach(outreach, now) : undefined;
    const happened = [
      sweepReport.reminded && `${sweepReport.reminded} reminded`,
      sweepReport.escalated && `${sweepReport.escalated} escalated`,
      sweepReport.expired && `${sweepReport.expired} undecided at their signing date`,
      sweepReport.effectsPerformed && `${sweepReport.effectsPerformed} pending effects done`,
      digestReport.sent && `${digestReport.sent} digests sent`,
      outreachReport?.weekly?.sent.length && `outreach ${outreachReport.weekly.period} to ${outreachReport.weekly.sent.join(', ')}`,
      outreachReport?.monthly?.sent && `shadow-IT report ${outreachReport.monthly.period} to IT`,
    ].filter(Boolean);
    const failed = sweepReport.failures.length + sweepReport.effectsFailed + digestReport.failures.length;
    if (happened.length > 0 || failed > 0) {
      print(`  approvals sweep at ${now.toISOString()}: ${happened.join(', ') || 'nothing done'}${failed ? `, ${failed} failed (retried next run)` : ''}`);
    }
    return { at: now.toISOString(), sweep: sweepReport, digest: digestReport, ...(outreachReport ? { outreach: outreachReport } : {}) };
  };

  return {
    app,
    sweep,
    schedule(intervalMs) {
      let running: Promise<void> | undefined;
      const timer = setInterval(() => {
        if (running) return;
        running = sweep()
          .then(() => undefined)
          .catch((error: unknown) => print(`  ✗ approvals sweep failed: ${(error as Error).message}`))
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
