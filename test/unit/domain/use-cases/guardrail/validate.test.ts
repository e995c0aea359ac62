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

  it('names every wrong field by its path, with the schema message', () => {
    const detail = validPurchase();
    detail.amount.currency = 'usd';
    detail.amount.value = -5;
    detail.requester.email = 'not-an-email';
    detail.dataClassification = 'secret';
    delete detail.product;
    const result = validateGuardrailEvent('purchase-request', detail);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        'detail.amount.currency: must be an ISO 4217 code such as USD',
        'detail.amount.value: must not be negative',
        'detail.requester.email: must be an email address',
        expect.stringMatching(/^detail\.dataClassification: .*"public"/),
        'detail.product: is required',
      ]),
    );
  });

  it('indexes array elements and says when the detail is not an object', () => {
    const app = structuredClone(sampleEvent('app-connected/google-oauth-risky-scopes.json').detail) as Record<string, any>;
    app.scopes = ['ok', '', 'ok'];
    const bad = validateGuardrailEvent('app-connected', app);
    expect(!bad.ok && bad.problems).toEqual(['detail.scopes[1]: must not be empty']);
    const notObject = validateGuardrailEvent('app-connected', 'hello');
    expect(!notObject.ok && notObject.problems).toEqual(['detail: must be an object, not string']);
  });

  it('rejects names with control characters (they would reach messages and pages)', () => {
    const detail = validPurchase();
    detail.vendor.name = 'Drop\u0007box';
    const result = validateGuardrailEvent('purchase-request', detail);
    expect(!result.ok && result.problems).toEqual(['detail.vendor.name: must not contain control characters']);
  });

  it('summarises past 50 problems so a dead letter stays readable', () => {
    const app = structuredClone(sampleEvent('app-connected/google-oauth-risky-scopes.json').detail) as Record<string, any>;
    app.scopes = Array.from({ length: 80 }, () => 7);
    const result = validateGuardrailEvent('app-connected', app);
    expect(!result.ok && result.problems.length).toBe(51);
    expect(!result.ok && result.problems[50]).toBe('… and 30 more problems');
  });

  it('quotes keys that are not identifiers', () => {
    const issues = AppConnectedSchema.safeParse({}).error!.issues.map((i) => ({ ...i, path: ['weird key', 0] }));
    expect(describeIssues(issues.slice(0, 1), 'detail')[0]).toMatch(/^detail\["weird key"\]\[0\]: /);
  });
});
