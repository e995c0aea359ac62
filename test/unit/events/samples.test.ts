/**
 * Every sample event in events/ is a valid EventBridge entry whose detail
 * passes the canonical schema, and under policy/default.yaml gives the outcome
 * and finding codes recorded in events/expected-outcomes.json. The clock is
 * pinned to the policy's version date: several findings (expired reviews,
 * signing dates, renewal notices) depend on it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicyFile } from '../../../functions/adapters/policy-file';
import { evaluateEvent } from '../../../functions/domain/evaluate';
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../../functions/domain/event-routes';
import { AppConnectedSchema, PurchaseRequestSchema, type EventKind, type GuardrailEvent } from '../../../functions/domain/events';
import { preparePolicy } from '../../../functions/domain/prepared-policy';

const ROOT = join(__dirname, '..', '..', '..');
const EVENTS = join(ROOT, 'events');
const NOW = new Date('2026-11-27T12:00:00Z');
const KINDS: EventKind[] = ['purchase-request', 'app-connected'];
const SCHEMAS = { 'purchase-request': PurchaseRequestSchema, 'app-connected': AppConnectedSchema } as const;

interface Expected {
  outcome: string;
  codes: string[];
  requiredApprover?: string;
}
const expected: Record<string, Expected> = JSON.parse(readFileSync(join(EVENTS, 'expected-outcomes.json'), 'utf8'));
const samples = KINDS.flatMap((kind) =>
  readdirSync(join(EVENTS, kind))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ kind, file: `${kind}/${file}`, entry: JSON.parse(readFileSync(join(EVENTS, kind, file), 'utf8')) })),
);
const prepared = preparePolicy(loadPolicyFile(join(ROOT, 'policy', 'default.yaml')));

function canonical(kind: EventKind, detail: unknown): GuardrailEvent {
  return kind === 'purchase-request'
    ? { kind, detail: PurchaseRequestSchema.parse(detail) }
    : { kind, detail: AppConnectedSchema.parse(detail) };
}

describe('sample events', () => {
  it('cover the required scenarios, each with an expected outcome', () => {
    const files = samples.map((s) => s.file);
    for (const required of [
      'purchase-request/dropbox-marketing-confidential.json',
      'purchase-request/slack-seats-sanctioned.json',
      'purchase-request/salesforce-large-cio.json',
      'purchase-request/wetransfer-prohibited.json',
      'purchase-request/unknown-vendor-restricted-data.json',
      'purchase-request/monday-auto-renew-long-term.json',
    ]) {
      expect(files).toContain(required);
    }
    expect(files.filter((f) => f.startsWith('app-connected/')).length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(expected).sort()).toEqual([...files].sort());
  });

  describe.each(samples)('$file', ({ kind, file, entry }) => {
    it('is an EventBridge entry for the guardrail bus with a valid detail', () => {
      expect(entry.source).toBe(GUARDRAIL_SOURCE);
      expect(entry['detail-type']).toBe(DETAIL_TYPES[kind]);
      const result = SCHEMAS[kind].safeParse(entry.detail);
      expect(result.error?.issues ?? []).toEqual([]);
    });

    it('gives its expected outcome and findings under policy/default.yaml', () => {
      const decision = evaluateEvent(canonical(kind, entry.detail), prepared, NOW);
      const want = expected[file];
      expect({
        outcome: decision.outcome,
        codes: [...new Set(decision.findings.map((f) => f.code))].sort(),
        ...(decision.requiredApprover ? { requiredApprover: decision.requiredApprover } : {}),
      }).toEqual(want);
      expect(decision.summary.startsWith({ allow: 'Allowed: ', review: 'Review needed: ', block: 'Blocked: ' }[decision.outcome])).toBe(true);
    });
  });

  it('Dropbox for Marketing with confidential data comes back for review, naming Box', () => {
    const sample = samples.find((s) => s.file === 'purchase-request/dropbox-marketing-confidential.json');
    const decision = evaluateEvent(canonical('purchase-request', sample?.entry.detail), prepared, NOW);
    expect(decision.outcome).toBe('review');
    const duplicate = decision.findings.find((f) => f.code === 'DUPLICATE_CAPABILITY');
    expect(duplicate?.message).toContain('Box is already sanctioned for File sharing, 120 seats unused');
    expect(duplicate?.suggestion).toContain('Box');
    expect(decision.summary).toMatch(/^Review needed: Box is already sanctioned for File sharing — 120 seats unused/);
  });
});
