/**
 * Shared test inputs: the default policy, the sample events in events/, a
 * clock tests can move, and stored records built with the real evaluator.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicyFile } from '../../functions/adapters/policy-file';
import { evaluateEvent } from '../../functions/domain/evaluate';
import { recordIdOf } from '../../functions/domain/events';
import type { GuardrailEvent } from '../../functions/domain/events';
import type { Policy } from '../../functions/domain/policy';
import { preparePolicy } from '../../functions/domain/prepared-policy';
import type { Clock } from '../../functions/domain/ports/clock';
import { requestRecordOf, type RequestRecord } from '../../functions/domain/records';
import { initialApprovalState } from '../../functions/domain/approvals';

export const ROOT = join(__dirname, '..', '..');
/** The default policy's version date, mid-day: sample signing dates are weeks ahead of it. */
export const NOW = new Date('2026-11-27T12:00:00Z');

let cachedPolicy: Policy | undefined;
export function defaultPolicy(): Policy {
  cachedPolicy ??= loadPolicyFile(join(ROOT, 'policy', 'default.yaml'));
  return structuredClone(cachedPolicy);
}

/** A sample as the bus would carry it: `{source, detail-type, detail}` plus envelope ids. */
export function sampleEnvelope(path: string): { source: string; 'detail-type': string; detail: Record<string, unknown> } & Record<string, unknown> {
  const raw = JSON.parse(readFileSync(join(ROOT, 'events', path), 'utf8'));
  return {
    version: '0',
    id: `evt-${path.replace(/[^a-z0-9]+/gi, '-')}`,
    account: '123456789012',
    time: '2026-11-27T12:00:00Z',
    region: 'eu-west-1',
    resources: [],
    ...raw,
  };
}

export function sampleEvent(path: string): GuardrailEvent {
  const kind = path.startsWith('purchase-request/') ? 'purchase-request' : 'app-connected';
  return { kind, detail: sampleEnvelope(path).detail } as unknown as GuardrailEvent;
}

export class TestClock implements Clock {
  constructor(private current: Date = NOW) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
  set(to: Date): void {
    this.current = new Date(to);
  }
}

/** A record as the service would store it, decided by the real evaluator with the default policy. */
export function recordFor(event: GuardrailEvent, policy: Policy = defaultPolicy()): RequestRecord {
  const decision = evaluateEvent(event, preparePolicy(policy), NOW);
  return requestRecordOf(event, {
    recordId: recordIdOf(event),
    revision: 1,
    history: [],
    decision,
    policyVersion: decision.policyVersion,
    receivedAt: NOW.toISOString(),
    notification: decision.outcome === 'allow' ? { state: 'not-needed' } : { state: 'pending' },
    decisionEvent: { state: 'pending' },
    approval: initialApprovalState(decision, NOW, {
      receivedAt: NOW,
      expectedSigningDate: event.kind === 'purchase-request' ? event.detail.expectedSigningDate : undefined,
    }),
  });
}
