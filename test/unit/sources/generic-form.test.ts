import { DEFAULT_FORM_MAPPING, FORM_FIELDS, normalizeGenericForm, readPath } from '../../../functions/adapters/sources/generic-form';
import {
  CLEANED_CONTROL_CHARACTER_NAME,
  CONTROL_CHARACTER_NAME,
  expectShortenedHugeName,
  HUGE_NAME,
  TRICKY_BUT_VALID_NAME,
  expectIgnored,
  expectMalformed,
  purchases,
  sample,
  set,
} from './support';

const flat = () => sample('generic-form', 'flat-form');
const mapped = () => sample('generic-form', 'mapped-form');
const mappedOptions = () => sample('generic-form', 'mapped-form.options');

describe('readPath', () => {
  const doc = { answers: { vendor: 'Hex', items: [{ name: 'first' }, { name: 'second' }] }, 'with.dot': 1 };

  it.each([
    ['answers.vendor', 'Hex'],
    ['answers.items.1.name', 'second'],
    ['answers.items[0].name', 'first'],
    ['answers.missing', undefined],
    ['answers.vendor.length', undefined],
    ['answers.items.9.name', undefined],
  ])('reads %s', (path, value) => {
    expect(readPath(doc, path)).toBe(value);
  });

  it('never walks into prototypes', () => {
    expect(readPath(doc, '__proto__.toString')).toBeUndefined();
    expect(readPath(doc, 'constructor.name')).toBeUndefined();
  });
});

describe('generic form normaliser: mapping', () => {
  it('maps every canonical field by default from an obvious flat form', () => {
    expect(Object.keys(DEFAULT_FORM_MAPPING).sort()).toEqual([...FORM_FIELDS].sort());
    expect(purchases(normalizeGenericForm(flat()))[0].vendor).toEqual({ name: 'Culture Amp', domain: 'cultureamp.com' });
  });

  it('lets a mapping override single fields while the rest keep the default', () => {
    const form = set(flat(), 'supplier', { label: 'Lattice' });
    const [request] = purchases(normalizeGenericForm(form, { mapping: { 'vendor.name': 'supplier.label' } }));
    expect(request.vendor.name).toBe('Lattice');
    expect(request.product).toBe('Culture Amp Engage - 250 employees');
  });

  it('names both the form path and the canonical field when a mapped value cannot be read', () => {
    const form = set(mapped(), 'answers.cost', 'a lot');
    expect(normalizeGenericForm(form, mappedOptions())).toMatchObject({
      status: 'malformed',
      problems: [expect.stringMatching(/^answers\.cost: "a lot" is not an amount .* \(mapped to amount\.value\)$/)],
    });
  });

  it("records the form's namespace as its source and keeps the form's own id", () => {
    const [request] = purchases(normalizeGenericForm(mapped(), mappedOptions()));
    expect([request.source, request.requestId]).toEqual(['form:zip', 'a7f3c2e1-5b4d-4c6a-9e8f-0d1c2b3a4f5e']);
    expect(purchases(normalizeGenericForm(mapped(), { ...mappedOptions(), formName: undefined }))[0].source).toBe('form:generic');
  });

  it('refuses a form name that could blur into another namespace', () => {
    for (const formName of ['coupa:x', 'Zip', '', 'a'.repeat(33), 'zip:', '-zip']) {
      expect(() => normalizeGenericForm(mapped(), { ...mappedOptions(), formName })).toThrow(/form name/);
    }
  });

  it('only accepts submissions that pass acceptWhen, case-insensitively', () => {
    const acceptWhen = { path: 'event', oneOf: ['request.submitted'] };
    expectIgnored(normalizeGenericForm(flat(), { acceptWhen }), 'event is absent, not one of request.submitted');
    expect(purchases(normalizeGenericForm(set(flat(), 'event', 'Request.Submitted'), { acceptWhen }))).toHaveLength(1);
  });

  it.each([null, [], 'PR-1', 42])('rejects a payload that is not one JSON object (%p)', (payload) => {
    expect(normalizeGenericForm(payload)).toEqual({ status: 'malformed', problems: ['(payload): must be a JSON object (one form submission)'] });
  });
});

describe('generic form normaliser: coercion', () => {
  it.each([
    ['1,200.50', 1200.5],
    ['1200', 1200],
    [' 99.9 ', 99.9],
    [450, 450],
    ['12,000,000', 12000000],
    ['1.200,50', 1200.5],
    ['$1200', 1200],
    ['1,20', 1.2],
  ])('reads the amount %p as %p', (raw, value) => {
    expect(purchases(normalizeGenericForm(set(flat(), 'amount', raw)))[0].amount?.value).toBe(value);
  });

  it.each(['1.200', '12e3', 'twelve', '--5'])('refuses the unreadable or ambiguous amount %p', (raw) => {
    expectMalformed(normalizeGenericForm(set(flat(), 'amount', raw)), `amount: "${raw}" is not an amount such as 1200`);
  });

  it.each([
    ['yes', true],
    ['No', false],
    ['Y', true],
    ['n', false],
    ['TRUE', true],
    ['false', false],
    [true, true],
    [0, false],
  ])('reads auto-renew %p as %p', (raw, value) => {
    expect(purchases(normalizeGenericForm(set(flat(), 'auto_renew', raw)))[0].autoRenew).toBe(value);
  });

  it.each([
    ['Annually', 'annual'],
    ['per year', 'annual'],
    ['Yearly', 'annual'],
    ['Per month', 'monthly'],
    ['MONTHLY', 'monthly'],
    ['one_time', 'one-time'],
    ['One-off', 'one-time'],
  ])('reads the billing period %p as %p', (raw, value) => {
    expect(purchases(normalizeGenericForm(set(flat(), 'billing_period', raw)))[0].billingPeriod).toBe(value);
  });

  it('reads classification case-insensitively, currency upper-cased and a date from a date-time', () => {
    const form = set(flat(), 'data_classification', ' RESTRICTED ');
    set(form, 'currency', 'eur');
    set(form, 'expected_signing_date', '2026-04-30T17:00:00+02:00');
    const [request] = purchases(normalizeGenericForm(form));
    expect([request.dataClassification, request.amount?.currency, request.expectedSigningDate]).toEqual(['restricted', 'EUR', '2026-04-30']);
  });

  it('applies defaults for missing billing period, classification and currency, noting each; without them leaves the facts out', () => {
    const form = flat();
    delete form.billing_period;
    delete form.data_classification;
    delete form.currency;
    const [bare] = purchases(normalizeGenericForm(form));
    expect([bare.amount?.currency, bare.billingPeriod, bare.dataClassification]).toEqual([undefined, undefined, undefined]);
    const [request] = purchases(normalizeGenericForm(form, { defaults: { currency: 'EUR', billingPeriod: 'annual', dataClassification: 'internal' } }));
    expect([request.amount?.currency, request.billingPeriod, request.dataClassification]).toEqual(['EUR', 'annual', 'internal']);
    expect(request.intakeNotes?.map((n) => n.field)).toEqual(['billingPeriod', 'amount.currency', 'dataClassification']);
  });

  it('needs only the id; a form that names neither vendor nor product is unreadable', () => {
    const form = flat();
    for (const key of ['requester_email', 'department', 'vendor', 'vendor_domain', 'amount']) delete form[key];
    const [request] = purchases(normalizeGenericForm(form));
    expect(request.requester).toEqual({ name: form.requester_name });
    delete form.product;
    expect(normalizeGenericForm(form)).toEqual({
      status: 'malformed',
      problems: ['vendor: names neither a vendor (vendor.name, vendor.domain) nor a product: nothing to check'],
    });
    delete form.request_id;
    expectMalformed(normalizeGenericForm(form), 'request_id: missing; every submission needs its id (mapped to requestId)');
  });
});

describe('generic form normaliser: canonical checks', () => {
  it.each([
    ['amount', '-5', 'amount: "-5" is not an amount'],
    ['term_months', 240, 'termMonths: '],
    ['request_id', 'PR 2026/0193', 'requestId: must be letters, digits'],
    ['submitted_at', 'last week', 'submittedAt: '],
  ])('refuses what it cannot read: %s = %p', (field, value, problem) => {
    expectMalformed(normalizeGenericForm(set(flat(), field, value)), problem);
  });

  it('reads the ordinary: a URL as domain, a date as submission time, a non-address kept as a note', () => {
    const form = set(flat(), 'vendor_domain', 'https://cultureamp.com/');
    set(form, 'submitted_at', '2026-03-02');
    set(form, 'requester_email', 'lena');
    const [request] = purchases(normalizeGenericForm(form));
    expect([request.vendor.domain, request.submittedAt, request.requester.email]).toEqual(['cultureamp.com', '2026-03-02T00:00:00Z', undefined]);
    expect(request.intakeNotes).toContainEqual(expect.objectContaining({ field: 'requester.email', stated: 'lena' }));
  });

  it('keeps HTML and non-Latin names, cleans control characters, shortens 5 MB names', () => {
    expect(purchases(normalizeGenericForm(set(flat(), 'vendor', TRICKY_BUT_VALID_NAME)))[0].vendor.name).toBe(TRICKY_BUT_VALID_NAME);
    expect(purchases(normalizeGenericForm(set(flat(), 'vendor', CONTROL_CHARACTER_NAME)))[0].vendor.name).toBe(CLEANED_CONTROL_CHARACTER_NAME);
    const started = Date.now();
    expectShortenedHugeName(purchases(normalizeGenericForm(set(flat(), 'vendor', HUGE_NAME)))[0].vendor.name);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('quotes at most a short prefix of an unreadable huge value', () => {
    const problems = expectMalformed(normalizeGenericForm(set(flat(), 'amount', HUGE_NAME)));
    expect(problems[0].length).toBeLessThan(250);
  });
});
