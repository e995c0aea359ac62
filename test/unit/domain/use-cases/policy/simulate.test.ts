import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicyFile } from '../../../../../functions/adapters/policy-file';
import { evaluateEvent } from '../../../../../functions/domain/evaluate';
import type { GuardrailEvent } from '../../../../../functions/domain/events';
import type { Policy } from '../../../../../functions/domain/policy';
import { preparePolicy } from '../../../../../functions/domain/prepared-policy';
import { simulatePolicy, type SimulationProgress, type StoredDecision } from '../../../../../functions/domain/use-cases/policy/simulate';

const ROOT = join(__dirname, '..', '..', '..', '..', '..');
const DEFAULT = loadPolicyFile(join(ROOT, 'policy', 'default.yaml'));
const PREPARED = preparePolicy(DEFAULT);

function sampleEvent(name: string, requestId?: string): GuardrailEvent {
  const raw = JSON.parse(readFileSync(join(ROOT, 'events', 'purchase-request', name), 'utf8'));
  return { kind: 'purchase-request', detail: { ...raw.detail, ...(requestId ? { requestId } : {}) } };
}

/** A record as the guardrail stored it: decided under the default policy when it arrived. */
function stored(event: GuardrailEvent, receivedAt: string): StoredDecision {
  const decision = evaluateEvent(event, PREPARED, new Date(receivedAt));
  return { recordId: decision.recordId, receivedAt, event, decision };
}

async function* pages(...batches: StoredDecision[][]) {
  for (const batch of batches) yield batch;
}

function dropboxProhibited(): Policy {
  const policy = structuredClone(DEFAULT);
  policy.version = '2026-12-01';
  policy.vendors.find((v) => v.id === 'dropbox')!.status = 'prohibited';
  return policy;
}

const dropbox = stored(sampleEvent('dropbox-marketing-confidential.json'), '2026-11-26T09:15:00.000Z');
const slack = stored(sampleEvent('slack-seats-sanctioned.json'), '2026-11-25T10:00:00.000Z');
const dropbox2 = stored(sampleEvent('dropbox-marketing-confidential.json', 'PR-OLDER-DROPBOX'), '2026-10-01T10:00:00.000Z');

describe('simulatePolicy', () => {
  it('lists each decision that would change with the findings added and removed, and totals by transition', async () => {
    const progress: SimulationProgress[] = [];
    const result = await simulatePolicy({ candidate: dropboxProhibited(), pages: pages([dropbox, slack], [dropbox2]), onProgress: (p) => progress.push(p) });
    expect(result.totals).toMatchObject({ scanned: 3, evaluated: 3, changed: 2, unchanged: 1, outcomeChanged: 2, failed: 0 });
    expect(result.totals.transitions).toEqual([{ from: 'review', to: 'block', count: 2 }]);
    expect(result.totals.outcomes.after.block - result.totals.outcomes.before.block).toBe(2);
    expect(result.changes.map((c) => c.recordId)).toEqual(['coupa:PR-2026-1042', 'coupa:PR-OLDER-DROPBOX']);
    const [change] = result.changes;
    expect(change).toMatchObject({
      subject: 'Dropbox',
      department: 'Marketing',
      before: { outcome: 'review' },
      after: { outcome: 'block' },
      storedPolicyVersion: DEFAULT.version,
      evaluatedAt: dropbox.decision.evaluatedAt,
    });
    expect(change.findingsAdded.map((f) => f.code)).toContain('VENDOR_PROHIBITED');
    expect(change.findingsAdded.every((f) => f.message.length > 0)).toBe(true);
    expect(change.findingsRemoved.map((f) => f.code)).toContain('VENDOR_TOLERATED');
    expect(result.evaluatedAt).toBe('original');
    expect(progress).toEqual([
      { scanned: 2, evaluated: 2, changed: 1 },
      { scanned: 3, evaluated: 3, changed: 2 },
    ]);
  });

  it('changes nothing under the policy the records were decided with', async () => {
    const result = await simulatePolicy({ candidate: DEFAULT, pages: pages([dropbox, slack, dropbox2]) });
    expect(result.totals).toMatchObject({ evaluated: 3, changed: 0, unchanged: 3 });
    expect(result.changes).toEqual([]);
  });

  it('keeps to requests received since a date, and to the newest N', async () => {
    const since = await simulatePolicy({ candidate: dropboxProhibited(), pages: pages([dropbox, slack, dropbox2]), since: new Date('2026-11-01T00:00:00Z') });
    expect(since.totals).toMatchObject({ scanned: 3, evaluated: 2, changed: 1 });
    expect(since.since).toBe('2026-11-01T00:00:00.000Z');

    const limited = await simulatePolicy({ candidate: dropboxProhibited(), pages: pages([dropbox2], [slack], [dropbox]), limit: 2 });
    expect(limited.totals).toMatchObject({ scanned: 3, evaluated: 2, changed: 1 });
    expect(limited.changes.map((c) => c.recordId)).toEqual(['coupa:PR-2026-1042']);
  });

  it('evaluates at the original time unless told otherwise: a lapsed review only shows under --now', async () => {
    const policy = structuredClone(DEFAULT);
    policy.vendors.find((v) => v.id === 'slack')!.securityReview = { status: 'approved', completedOn: '2025-01-01', expiresOn: '2027-06-01' };
    const original = await simulatePolicy({ candidate: policy, pages: pages([slack]) });
    const later = await simulatePolicy({ candidate: policy, pages: pages([slack]), now: new Date('2027-07-01T00:00:00Z') });
    expect(original.changes).toEqual([]);
    expect(later.evaluatedAt).toBe('2027-07-01T00:00:00.000Z');
    expect(later.changes[0].findingsAdded.map((f) => f.code)).toContain('SECURITY_REVIEW_EXPIRED');
    expect(later.changes[0].evaluatedAt).toBe('2027-07-01T00:00:00.000Z');
  });

  it('reports a record it cannot evaluate and goes on with the rest', async () => {
    const broken: StoredDecision = { ...dropbox, recordId: 'PR-BROKEN', event: { kind: 'purchase-request', detail: {} as never } };
    const result = await simulatePolicy({ candidate: dropboxProhibited(), pages: pages([broken, dropbox]) });
    expect(result.totals).toMatchObject({ scanned: 2, evaluated: 1, failed: 1, changed: 1 });
    expect(result.failures[0].recordId).toBe('PR-BROKEN');
  });
});
