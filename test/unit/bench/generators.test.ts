/**
 * The benchmark inputs are what they claim to be: the generated large policy
 * is a valid policy of the stated shape with a clean catalogue, generation is
 * deterministic (figures are comparable across runs), and every generated
 * event passes the canonical schemas.
 */
import { createHash } from 'node:crypto';
import { AppConnectedSchema, PurchaseRequestSchema } from '../../../functions/domain/events';
import { PolicySchema, policyConsistencyProblems } from '../../../functions/domain/policy';
import { preparePolicy } from '../../../functions/domain/prepared-policy';
import { LARGE_POLICY_SHAPE, departmentNames, generateLargePolicy } from '../../../bench/support/large-policy';
import { generateAppConnectedEvents, generatePurchaseRequests } from '../../../bench/support/requests';
import { Prng } from '../../../bench/support/prng';
import { defaultPolicy } from '../../support/fixtures';

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('generated large policy (10,000 vendors, 200 categories, 50 department overrides)', () => {
  const policy = generateLargePolicy(defaultPolicy(), LARGE_POLICY_SHAPE);

  it('is a valid policy of that shape, without consistency or catalogue problems', () => {
    const parsed = PolicySchema.safeParse(policy);
    expect(parsed.success ? [] : parsed.error.issues.slice(0, 5)).toEqual([]);
    expect(policyConsistencyProblems(policy)).toEqual([]);
    expect(policy.vendors).toHaveLength(10_000);
    expect(policy.categories).toHaveLength(200);
    expect(policy.spend.departmentOverrides).toHaveLength(50);
    expect(new Set(departmentNames(50)).size).toBe(50);
    const prepared = preparePolicy(policy);
    expect(prepared.catalogue.problems).toEqual([]);
    expect(prepared.catalogue.size).toBe(10_000);
    // Every category has a sanctioned vendor, so duplicate-capability findings have an alternative to name.
    // Three per category, as real catalogues sanction a few tools per capability however long the tail.
    expect(policy.categories.filter((c) => prepared.catalogue.sanctionedIn(c.id).length !== 3)).toEqual([]);
    // Every status and review state occurs, as in a real catalogue.
    expect(new Set(policy.vendors.map((v) => v.status)).size).toBe(4);
    expect(new Set(policy.vendors.map((v) => v.securityReview?.status ?? 'none')).size).toBe(4);
  });

  it('is the same policy for the same seed, and another for another seed', () => {
    expect(hash(generateLargePolicy(defaultPolicy(), LARGE_POLICY_SHAPE))).toBe(hash(policy));
    expect(hash(generateLargePolicy(defaultPolicy(), { ...LARGE_POLICY_SHAPE, seed: 2 }))).not.toBe(hash(policy));
  });
});

describe('generated events', () => {
  it('purchase requests are valid, deterministic, and name vendors every way people do', () => {
    const policy = defaultPolicy();
    const requests = generatePurchaseRequests(policy, 1_000, { seed: 3 });
    expect(requests.filter((r) => !PurchaseRequestSchema.safeParse(r).success)).toEqual([]);
    expect(hash(generatePurchaseRequests(policy, 1_000, { seed: 3 }))).toBe(hash(requests));
    const names = new Set(policy.vendors.map((v) => v.name));
    expect(requests.some((r) => names.has(r.vendor.name ?? ''))).toBe(true);
    expect(requests.some((r) => r.vendor.name?.endsWith('Holdings Ltd') && r.vendor.domain)).toBe(true);
    expect(new Set(requests.map((r) => r.amount?.currency)).size).toBeGreaterThan(5);
    expect(new Set(requests.map((r) => r.dataClassification)).size).toBe(4);
    expect(new Set(requests.map((r) => r.billingPeriod)).size).toBe(3);
  });

  it('app-connected events are valid for every source and connection kind', () => {
    const events = generateAppConnectedEvents(defaultPolicy(), 500, { seed: 4 });
    expect(events.filter((e) => !AppConnectedSchema.safeParse(e).success)).toEqual([]);
    expect(new Set(events.map((e) => e.source)).size).toBe(4);
    expect(new Set(events.map((e) => e.connectionKind)).size).toBe(3);
  });

  it('the seeded generator repeats itself exactly', () => {
    const a = new Prng(9);
    const b = new Prng(9);
    expect(Array.from({ length: 100 }, () => a.next())).toEqual(Array.from({ length: 100 }, () => b.next()));
  });
});
