/**
 * Missing facts become findings: a request that leaves out its classification,
 * billing period, amount, requester, department or vendor is decided, treated
 * as the policy says, and the decision asks for what is missing.
 */
import { PurchaseRequestSchema } from '../../../functions/domain/events';
import { evaluatePurchaseRequest } from '../../../functions/domain/evaluate';
import { NOW, codesOf, preparedWith, purchase } from './fixtures';

const prepared = preparedWith();
const parse = (input: unknown) => PurchaseRequestSchema.parse(input);
const decide = (input: unknown, policy = prepared) => evaluatePurchaseRequest(parse(input), policy, NOW);
const { dataClassification: _c, billingPeriod: _b, ...plain } = purchase();

describe('an unstated data classification', () => {
  it("is treated as the policy's unstated classification (confidential by default) and asked for", () => {
    const decision = decide({ ...plain, billingPeriod: 'annual' });
    const finding = decision.findings.find((f) => f.code === 'DATA_CLASSIFICATION_NOT_STATED');
    expect(finding).toMatchObject({ severity: 'low', message: expect.stringContaining('treated as confidential') });
    expect(finding?.suggestion).toMatch(/what data the tool will hold/);
  });

  it('applies the data rules of the assumed level: an unknown vendor with restricted as the default is blocked', () => {
    const strict = preparedWith((p) => {
      p.intake = { unstatedDataClassification: 'restricted' };
    });
    const decision = decide({ ...plain, billingPeriod: 'annual', vendor: { name: 'Unheard Of Ltd' }, product: 'Widget' }, strict);
    expect(decision.outcome).toBe('block');
    expect(codesOf(decision.findings)).toEqual(expect.arrayContaining(['VENDOR_UNKNOWN', 'DATA_CLASSIFICATION_NOT_STATED']));
  });

  it('reads classifications in any case and through the synonyms the policy lists', () => {
    const withSynonyms = preparedWith((p) => {
      p.intake = { classificationSynonyms: { restricted: ['Highly Confidential'] } };
    });
    expect(parse({ ...plain, billingPeriod: 'annual', dataClassification: 'Confidential' }).dataClassification).toBe('confidential');
    const decision = decide({ ...plain, billingPeriod: 'annual', dataClassification: 'highly  confidential' }, withSynonyms);
    expect(decision.findings.find((f) => f.code === 'DATA_CLASSIFICATION_SYNONYM')?.message).toMatch(/read as restricted/);
  });

  it('a word nobody defined goes to review, treated as the unstated level, quoting what was said', () => {
    const decision = decide({ ...plain, billingPeriod: 'annual', dataClassification: 'Top Secret' });
    expect(decision.outcome).toBe('review');
    expect(decision.findings.find((f) => f.code === 'DATA_CLASSIFICATION_UNRECOGNISED')?.message).toContain('"Top Secret"');
  });
});

describe('an unstated billing period', () => {
  it("takes the amount as the contract's total, counted in full this year, and says so", () => {
    const decision = decide({ ...plain, dataClassification: 'public', amount: { value: 14400, currency: 'USD' } });
    expect(decision.spend).toEqual({ annualised: 14400, totalContractValue: 14400, currency: 'USD' });
    expect(decision.findings.find((f) => f.code === 'BILLING_PERIOD_NOT_STATED')?.message).toMatch(/taken as the contract's total/);
    expect(codesOf(decision.findings)).not.toContain('TERM_NOT_STATED');
  });

  it('quotes a period it could not read', () => {
    const decision = decide({ ...plain, dataClassification: 'public', billingPeriod: 'fortnightly' });
    expect(decision.findings.find((f) => f.code === 'BILLING_PERIOD_NOT_STATED')?.message).toContain('"fortnightly" was not understood');
  });

  it('reads quarterly billing as four payments a year', () => {
    expect(decide({ ...plain, dataClassification: 'public', billingPeriod: 'Quarterly', amount: { value: 1000, currency: 'USD' } }).spend?.annualised).toBe(
      4000,
    );
  });
});

describe('other missing facts', () => {
  it('no amount: sized by nobody, so the most senior tier reviews it', () => {
    const { amount: _a, ...noAmount } = purchase();
    const decision = decide(noAmount);
    expect(decision.requiredApprover).toBe('cio');
    expect(codesOf(decision.findings)).toContain('AMOUNT_NOT_STATED');
    expect(decision.spend).toBeUndefined();
  });

  it('no currency: the amount is not converted by guesswork', () => {
    const decision = decide({ ...purchase(), amount: { value: 500 } });
    expect(decision.findings.find((f) => f.code === 'CURRENCY_UNKNOWN')?.message).toMatch(/no currency/);
  });

  it('no requester, no department: decided, reviewed, and the decision says who is unknown', () => {
    const decision = decide({ ...purchase(), requester: { name: 'Sam Doe' } });
    expect(decision.outcome).toBe('review');
    expect(decision.findings.find((f) => f.code === 'REQUESTER_NOT_IDENTIFIED')?.message).toContain('Sam Doe');
    expect(codesOf(decision.findings)).toContain('DEPARTMENT_NOT_STATED');
  });

  it('no vendor but a product: never allowed on the product name alone', () => {
    const decision = decide({ ...purchase(), vendor: undefined, product: 'Slack' });
    expect(decision.outcome).not.toBe('allow');
    expect(codesOf(decision.findings)).toContain('VENDOR_NOT_STATED');
  });

  it('says when a value came from a configured default, was inferred, or was shortened', () => {
    const decision = decide({
      ...purchase(),
      justification: 'x'.repeat(5000),
      intakeNotes: [
        { field: 'billingPeriod', kind: 'configured-default', stated: 'annual' },
        { field: 'termMonths', kind: 'inferred', stated: '12 months', detail: 'from requisition-lines[0].description' },
      ],
    });
    expect(codesOf(decision.findings)).toEqual(expect.arrayContaining(['FIELD_FROM_DEFAULT', 'FIELD_INFERRED', 'TEXT_SHORTENED']));
    expect(decision.findings.find((f) => f.code === 'FIELD_FROM_DEFAULT')?.message).toMatch(/billing period comes from the connector's configured default/);
    expect(decision.outcome).toBe('allow');
  });
});

describe('over-long text', () => {
  it('is kept shortened with a marker and a note, never refused', () => {
    const request = parse({ ...purchase(), justification: 'word '.repeat(2000), vendor: { name: 'S'.repeat(500) } });
    expect(request.justification?.length).toBeLessThanOrEqual(4000);
    expect(request.justification).toMatch(/… \[shortened from 9,999 characters\]$/);
    expect(request.vendor.name).toHaveLength(200);
    expect(request.intakeNotes?.map((n) => `${n.field}:${n.kind}`)).toEqual(['vendor.name:shortened', 'justification:shortened']);
    // Parsing the result again changes nothing.
    expect(parse(request)).toEqual(request);
  });
});
