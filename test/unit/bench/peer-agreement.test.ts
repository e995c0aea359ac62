/**
 * The json-rules-engine and Cedar peers decide exactly what our evaluator
 * decides (outcome, finding codes, required approver) on generated requests,
 * for the default policy and a generated one with many categories and
 * department overrides. Without this the benchmark's speedups would compare
 * different work. The full benchmark checks all 10,000 requests of every run.
 */
import { evaluatePurchaseRequest } from '../../../functions/domain/evaluate';
import type { Policy } from '../../../functions/domain/policy';
import { preparePolicy } from '../../../functions/domain/prepared-policy';
import { CedarPeer } from '../../../bench/peer/cedar/peer';
import { compileCedarPolicies } from '../../../bench/peer/cedar/policies';
import type { PeerDecision } from '../../../bench/peer/decision';
import { JsonRulesEnginePeer, compilePolicyRules } from '../../../bench/peer/json-rules-engine/rules';
import type { PreparedPolicy } from '../../../functions/domain/prepared-policy';
import { generateLargePolicy } from '../../../bench/support/large-policy';
import { BENCH_NOW, generatePurchaseRequests } from '../../../bench/support/requests';
import type { PurchaseRequest } from '../../../functions/domain/events';
import { defaultPolicy } from '../../support/fixtures';

/** Every finding code a purchase request can raise: the mix must exercise each, or agreement proves little. */
const PURCHASE_CODES = [
  'AUTO_RENEWAL',
  'CATEGORY_UNKNOWN',
  'CURRENCY_UNKNOWN',
  'DATA_CLASSIFICATION_EXCEEDS_APPROVAL',
  'DPA_MISSING',
  'DUPLICATE_CAPABILITY',
  'EXISTING_AGREEMENT',
  'LONG_TERM',
  'SCIM_UNSUPPORTED',
  'SECURITY_REVIEW_EXPIRED',
  'SECURITY_REVIEW_MISSING',
  'SIGNING_DATE_PASSED',
  'SIGNING_DATE_SOON',
  'SPEND_APPROVAL_REQUIRED',
  'SSO_UNSUPPORTED',
  'TERM_NOT_STATED',
  'VENDOR_MATCH_UNCERTAIN',
  'VENDOR_PRODUCT_MISMATCH',
  'VENDOR_PROHIBITED',
  'VENDOR_RESTRICTED',
  'VENDOR_TOLERATED',
  'VENDOR_UNKNOWN',
];

type PeerFactory = (prepared: PreparedPolicy) => { evaluate(request: PurchaseRequest, now: Date): PeerDecision | Promise<PeerDecision> };
const PEERS: [string, PeerFactory][] = [
  ['json-rules-engine', (prepared) => new JsonRulesEnginePeer(prepared)],
  ['Cedar', (prepared) => new CedarPeer(prepared)],
];

async function compare(policy: Policy, count: number, seed: number, makePeer: PeerFactory) {
  const prepared = preparePolicy(policy);
  const peer = makePeer(prepared);
  const mismatches: unknown[] = [];
  const seen = new Set<string>();
  const outcomes = new Set<string>();
  for (const request of generatePurchaseRequests(policy, count, { seed })) {
    const ours = evaluatePurchaseRequest(request, prepared, BENCH_NOW);
    const theirs = await peer.evaluate(request, BENCH_NOW);
    const codes = [...new Set(ours.findings.map((f) => f.code))].sort();
    codes.forEach((c) => seen.add(c));
    outcomes.add(ours.outcome);
    if (ours.outcome !== theirs.outcome || codes.join() !== theirs.codes.join() || ours.requiredApprover !== theirs.requiredApprover) {
      mismatches.push({ request, ours: { outcome: ours.outcome, codes, approver: ours.requiredApprover }, theirs });
    }
  }
  return { mismatches, seen, outcomes };
}

describe.each(PEERS)('%s peer', (_name, makePeer) => {
  it('agrees with evaluatePurchaseRequest on 400 requests under policy/default.yaml', async () => {
    const { mismatches, seen, outcomes } = await compare(defaultPolicy(), 400, 11, makePeer);
    expect(mismatches).toEqual([]);
    expect([...outcomes].sort()).toEqual(['allow', 'block', 'review']);
    // SCIM is required only for restricted data from vendors without it: the default catalogue has few such pairs.
    // The generator names each product after its own vendor, so vendor and product never disagree.
    expect(PURCHASE_CODES.filter((c) => !seen.has(c) && c !== 'SCIM_UNSUPPORTED' && c !== 'VENDOR_PRODUCT_MISMATCH')).toEqual([]);
  });

  it('agrees on 250 requests under a generated policy with 200 categories and 50 department overrides', async () => {
    const policy = generateLargePolicy(defaultPolicy(), { vendors: 1_500, categories: 200, departmentOverrides: 50, seed: 5 });
    const { mismatches, seen } = await compare(policy, 250, 12, makePeer);
    expect(mismatches).toEqual([]);
    expect(PURCHASE_CODES.filter((c) => !seen.has(c))).toEqual([]);
  });
});

describe('json-rules-engine rules', () => {
  it('expresses every spend tier of every department as a rule (the peer does the work, not a precomputed answer)', () => {
    const policy = generateLargePolicy(defaultPolicy(), { vendors: 100, categories: 20, departmentOverrides: 50, seed: 6 });
    const rules = compilePolicyRules(preparePolicy(policy));
    const spendRules = rules.filter((r) => r.name?.startsWith('spend-'));
    const tiers = policy.spend.tiers.length + policy.spend.departmentOverrides.reduce((s, o) => s + o.tiers.length, 0);
    expect(spendRules).toHaveLength(tiers);
    expect(rules.filter((r) => r.name?.startsWith('currency-unknown-'))).toHaveLength(51);
  });
});

describe('Cedar policies', () => {
  it('are named by finding code, and every spend tier that needs an approver is its own policy', () => {
    const policy = generateLargePolicy(defaultPolicy(), { vendors: 100, categories: 20, departmentOverrides: 50, seed: 6 });
    const { policies, meanings } = compileCedarPolicies(preparePolicy(policy));
    for (const [id, meaning] of meanings) expect(id.split('/')[0]).toBe(meaning.code);
    expect([...new Set([...meanings.values()].map((m) => m.code))].sort()).toEqual(PURCHASE_CODES);
    const tiers = [policy.spend.tiers, ...policy.spend.departmentOverrides.map((o) => o.tiers)].flat().filter((t) => t.approver !== 'none').length;
    expect([...meanings.keys()].filter((id) => id.startsWith('SPEND_APPROVAL_REQUIRED/'))).toHaveLength(tiers);
    // One permit; every other policy is a forbid (a finding).
    expect(Object.values(policies).filter((text) => text.startsWith('permit'))).toHaveLength(1);
  });
});
