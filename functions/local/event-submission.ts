/**
 * What happens to a body posted to `/events` (and to each replayed sample):
 * read it as EventBridge entries, put each on the local bus, and turn what the
 * handlers returned into an HTTP answer a developer can act on.
 *
 * Answers follow the AWS path: an envelope PutEvents would reject is a 400
 * and is not kept (the sender has the error, as with PutEvents); an envelope
 * no rule selects is a 422 (EventBridge would silently drop it); a detail the
 * handler rejects is dead-lettered by the handler and answered 400 with every
 * problem; a processed event is a 202 with the decision.
 */
import type { RequestStore } from '../domain/ports/request-store';
import type { GuardrailHandlerResult } from '../handlers/shared/guardrail-handler';
import type { LocalEventBus, Delivery } from './event-bus';
import { entriesOf, noRuleMessage, toBusEvent, type BusEvent } from './event-intake';
import { json, type RouteResponse } from './http';

export interface EntryAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface EventSubmissionDeps {
  bus: LocalEventBus;
  requests: Pick<RequestStore, 'get'>;
  /** One readable line per event for the terminal. */
  print(line: string): void;
  now?: () => Date;
}

export class EventSubmission {
  constructor(private readonly deps: EventSubmissionDeps) {}

  /** A whole request body: one entry, or `{Entries}` answered like PutEvents (per-entry results). */
  async submitBody(body: unknown): Promise<RouteResponse> {
    const split = entriesOf(body);
    if (!split.ok) return json(400, { error: 'invalid PutEvents request', problems: split.problems });
    if (!split.batch) {
      const answer = await this.submitEntry(split.entries[0].entry, '');
      return json(answer.status, answer.body);
    }
    const answers: EntryAnswer[] = [];
    for (const { entry, path } of split.entries) answers.push(await this.submitEntry(entry, path));
    // Like PutEvents: the call succeeds and says per entry what failed.
    return json(200, {
      failedEntryCount: answers.filter((a) => a.status >= 400).length,
      entries: answers.map((a) => ({ status: a.status, ...a.body })),
    });
  }

  /** One entry, through the bus. `path` prefixes problem paths in a batch (`Entries[1].`). */
  async submitEntry(entry: unknown, path: string): Promise<EntryAnswer> {
    const parsed = toBusEvent(entry, path, this.now());
    if (!parsed.ok) {
      this.deps.print(`  ✗ rejected: ${parsed.problems.join('; ')}`);
      return { status: 400, body: { error: 'not an EventBridge event the guardrail can read', problems: parsed.problems } };
    }
    const event = parsed.event;
    const deliveries = await this.deps.bus.put(event);
    if (deliveries.length === 0) {
      const message = noRuleMessage(event);
      this.deps.print(`  ✗ no rule: ${message}`);
      return { status: 422, body: { error: message, source: event.source, detailType: event['detail-type'] } };
    }
    const answers: EntryAnswer[] = [];
    for (const delivery of deliveries) answers.push(await this.answerFor(delivery, event, path));
    if (answers.length === 1) return answers[0];
    return {
      status: Math.max(...answers.map((a) => a.status)),
      body: { deliveries: answers.map((a) => ({ status: a.status, ...a.body })) },
    };
  }

  private async answerFor(delivery: Delivery, event: BusEvent, path: string): Promise<EntryAnswer> {
    if (delivery.error) {
      // In AWS, Lambda would retry; locally the sender can simply post again (the record makes that safe).
      this.deps.print(`  ✗ ${delivery.rule} failed: ${delivery.error.message}`);
      return {
        status: 500,
        body: {
          error: `the ${delivery.rule} handler failed: ${delivery.error.message}`,
          rule: delivery.rule,
          retry: 'post the event again: a repeat resumes from the stored record',
        },
      };
    }
    const result = delivery.result as GuardrailHandlerResult | undefined;
    if (result?.status === 'dead-lettered') {
      const problems = path ? result.problems.map((p) => `${path}${p}`) : result.problems;
      this.deps.print(`  ✗ ${event['detail-type']}: dead-lettered (${result.reason}): ${problems.join('; ')}`);
      return {
        status: 400,
        body: {
          error: `invalid ${event['detail-type']} event: kept in the dead-letter queue (GET /dead-letters)`,
          reason: result.reason,
          problems,
          deadLettered: true,
          rule: delivery.rule,
        },
      };
    }
    if (result?.status === 'processed') {
      const record = await this.deps.requests.get(result.recordId);
      const decision = record?.decision;
      const body: Record<string, unknown> = {
        recordId: result.recordId,
        kind: record?.kind,
        outcome: result.outcome,
        severity: decision?.severity,
        summary: decision?.summary,
        duplicate: result.duplicate,
        notified: result.notified,
        decisionPublished: result.decisionPublished,
        policyVersion: result.policyVersion,
        findings: decision?.findings.map((f) => f.code) ?? [],
        rule: delivery.rule,
        links: { request: `/requests/${encodeURIComponent(result.recordId)}` },
      };
      if (decision?.requiredApprover !== undefined) body.requiredApprover = decision.requiredApprover;
      // Counted in the inventory and folded into its app's open review: the record shown is that review's.
      if (result.folded)
        body.folded = { ...result.folded, note: `counted in the app inventory; the app's review ${result.folded.into} stands, nothing new was sent` };
      this.deps.print(
        result.folded
          ? `  ⤷ ${result.folded.eventId}: counted in the app inventory, folded into its review ${result.folded.into}${result.folded.changes ? ` (${result.folded.changes} changes noted)` : ''}; nothing sent`
          : result.duplicate
            ? `  ↺ ${result.recordId}: duplicate delivery, the stored decision (${result.outcome}) stands; no new record or notification`
            : `  ✓ ${result.recordId} → ${result.outcome}: ${decision?.summary ?? ''}`,
      );
      return { status: 202, body };
    }
    // A rule target that is not a guardrail handler (added by a later feature): pass its answer through.
    return { status: 202, body: { rule: delivery.rule, result: delivery.result ?? null } };
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }
}
