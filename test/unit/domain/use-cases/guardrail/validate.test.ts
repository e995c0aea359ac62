/** Canonical validation of a guardrail event's detail: typed on success, every problem named by its path. */
import { describeIssues } from '../../../../../functions/domain/problems';
import { validateGuardrailEvent } from '../../../../../functions/domain/use-cases/guardrail/validate';
import { AppConnectedSchema } from '../../../../../functions/domain/events';
import { sampleEvent } from '../../../../support/fixtures';

const validPurchase = () => structuredClone(sampleEvent('purchase-request/dropbox-marketing-confidential.json').detail) as Record<string, any>;

describe('validateGuardrailEvent', () => {
  it('accepts a valid detail and returns the typed event', () => {
    const result = validateGuardrailEvent('purchase-request', validPurchase());
    expect(result).toEqual({ ok: true, event: { kind: 'purchase-request', detail: expect.objectContaining({ requestId: 'PR-2026-1042' }) } });
  });

  it('normalises what the schema normalises (trimmed names, lower-case domains)', () => {
    const detail = validPurchase();
    detail.vendor = { name: '  Dropbox ', domain: 'DropBox.COM' };
    const result = validateGuardrailEvent('purchase-request', detail);
    expect(result.ok && result.event.kind === 'purchase-request' && result.event.detail.vendor).toEqual({ name: 'Dropbox', domain: 'dropbox.com' });
  });

  it('reads ordinary values as people write them, and keeps what it cannot read as a note', () => {
    const detail = validPurchase();
    detail.amount = { value: '$14,400.00', currency: 'usd' };
    detail.requester.email = 'not-an-email';
    detail.dataClassification = 'Secret';
    detail.billingPeriod = 'Per Month';
    detail.submittedAt = '2026-03-01';
    delete detail.product;
    const result = validateGuardrailEvent('purchase-request', detail);
    if (!result.ok || result.event.kind !== 'purchase-request') throw new Error(JSON.stringify(result));
    const read = result.event.detail;
    expect(read.amount).toEqual({ value: 14400, currency: 'USD' });
    expect(read.billingPeriod).toBe('monthly');
    expect(read.submittedAt).toBe('2026-03-01T00:00:00Z');
    expect(read.requester.email).toBeUndefined();
    expect(read.dataClassification).toBeUndefined();
    expect(read.intakeNotes).toEqual([
      { field: 'requester.email', kind: 'unrecognised', stated: 'not-an-email', detail: 'not an email address' },
      { field: 'dataClassification', kind: 'unrecognised', stated: 'Secret' },
    ]);
  });

  it('names every field it cannot read by its path', () => {
    const detail = validPurchase();
    detail.amount.value = -5;
    detail.termMonths = 'forever';
    detail.seats = 'many';
    detail.requestId = '';
    const result = validateGuardrailEvent('purchase-request', detail);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'detail.amount.value: must not be negative',
        'detail.termMonths: "forever" is not a term in months such as 12 or "2 years"',
        'detail.seats: "many" is not a whole number',
        'detail.requestId: must not be empty',
      ]),
    );
  });

  it('refuses a request that names neither a vendor nor a product', () => {
    const detail = validPurchase();
    detail.vendor = {};
    delete detail.product;
    const result = validateGuardrailEvent('purchase-request', detail);
    expect(!result.ok && result.problems).toEqual(['detail.vendor: names neither a vendor (vendor.name, vendor.domain) nor a product: nothing to check']);
  });

  it('indexes array elements and says when the detail is not an object', () => {
    const app = structuredClone(sampleEvent('app-connected/google-oauth-risky-scopes.json').detail) as Record<string, any>;
    app.intakeNotes = [
      { field: 'x', kind: 'inferred' },
      { field: 'y', kind: 'guessed' },
    ];
    const bad = validateGuardrailEvent('app-connected', app);
    expect(!bad.ok && bad.problems).toEqual([expect.stringMatching(/^detail\.intakeNotes\[1\]\.kind: /)]);
    const notObject = validateGuardrailEvent('app-connected', 'hello');
    expect(!notObject.ok && notObject.problems).toEqual(['detail: must be an object, not string']);
  });

  it('replaces control characters in names (they would reach messages and pages)', () => {
    const detail = validPurchase();
    detail.vendor.name = 'Drop\u0007box';
    const result = validateGuardrailEvent('purchase-request', detail);
    expect(result.ok && result.event.kind === 'purchase-request' && result.event.detail.vendor.name).toBe('Drop box');
  });

  it('keeps blank scopes out and shortens an oversized grant, saying how many there were', () => {
    const app = structuredClone(sampleEvent('app-connected/google-oauth-risky-scopes.json').detail) as Record<string, any>;
    app.scopes = ['ok', '', 'ok', ...Array.from({ length: 300 }, (_, i) => `scope.${i}`)];
    const result = validateGuardrailEvent('app-connected', app);
    if (!result.ok || result.event.kind !== 'app-connected') throw new Error(JSON.stringify(result));
    expect(result.event.detail.scopes).toHaveLength(200);
    expect(result.event.detail.scopes?.[0]).toBe('ok');
    expect(result.event.detail.scopeCount).toBe(301);
    expect(result.event.detail.intakeNotes).toEqual([{ field: 'scopes', kind: 'shortened', detail: '301 scopes granted; the first 200 are kept' }]);
  });

  it('summarises past 50 problems so a dead letter stays readable', () => {
    const app = structuredClone(sampleEvent('app-connected/google-oauth-risky-scopes.json').detail) as Record<string, any>;
    app.intakeNotes = Array.from({ length: 80 }, () => ({ field: '', kind: 'guessed' }));
    const result = validateGuardrailEvent('app-connected', app);
    expect(!result.ok && result.problems.length).toBe(51);
    expect(!result.ok && result.problems[50]).toBe('… and 110 more problems');
  });

  it('quotes keys that are not identifiers', () => {
    const issues = AppConnectedSchema.safeParse({}).error!.issues.map((i) => ({ ...i, path: ['weird key', 0] }));
    expect(describeIssues(issues.slice(0, 1), 'detail')[0]).toMatch(/^detail\["weird key"\]\[0\]: /);
  });
});
