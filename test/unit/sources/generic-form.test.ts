import { DEFAULT_FORM_MAPPING, FORM_FIELDS, normalizeGenericForm, readPath } from '../../../functions/adapters/sources/generic-form';
import {
  CONTROL_CHARACTER_NAME,
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

  it('names both the form path and the canonical field when a mapped value is missing', () => {
    const form = set(mapped(), 'answers.vendor', undefined);
    expect(normalizeGenericForm(form, mappedOptions())).toEqual({
      status: 'malformed',
      problems: ['answers.vendor: missing (mapped to vendor.name)'],
    });
  });

  it('records the form\'s namespace as its source and keeps the form\'s own id', () => {
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
  ])('reads the amount %p as %p', (raw, value) => {
    expect(purchases(normalizeGenericForm(set(flat(), 'amount', raw)))[0].amount.value).toBe(value);
  });

  it.each(['1.200,50', '$1200', '12e3', 'twelve', '1,20', '--5'])('rejects the ambiguous amount %p', (raw) => {
    expectMalformed(normalizeGenericForm(set(flat(), 'amount', raw)), `amount: "${raw}" is not a number such as 1200 or 1,200.50`);
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
    expect([request.dataClassification, request.amount.currency, request.expectedSigningDate]).toEqual(['restricted', 'EUR', '2026-04-30']);
  });

  it('applies defaults for missing billing period, classification and currency — and says so when none is configured', () => {
    const form = flat();
    delete form.billing_period;
    delete form.data_classification;
    delete form.currency;
    expect(normalizeGenericForm(form)).toEqual({
      status: 'malformed',
      problems: [
        'currency: missing and no default is configured (options.defaults.currency) (mapped to amount.currency)',
        'billing_period: missing and no default is configured (options.defaults.billingPeriod) (mapped to billingPeriod)',
        'data_classification: missing and no default is configured (options.defaults.dataClassification) (mapped to dataClassification)',
      ],
    });
    const [request] = purchases(
      normalizeGenericForm(form, { defaults: { currency: 'EUR', billingPeriod: 'annual', dataClassification: 'internal' } }),
    );
    expect([request.amount.currency, request.billingPeriod, request.dataClassification]).toEqual(['EUR', 'annual', 'internal']);
  });

  it('has no default for fields that identify the purchase', () => {
    const form = flat();
    for (const key of ['request_id', 'requester_email', 'department', 'vendor', 'product', 'amount']) delete form[key];
    const problems = expectMalformed(normalizeGenericForm(form, { defaults: { currency: 'EUR' } }));
    expect(problems).toEqual([
      'request_id: missing (mapped to requestId)',
      'requester_email: missing (mapped to requester.email)',
      'department: missing (mapped to requester.department)',
      'vendor: missing (mapped to vendor.name)',
      'product: missing',
      'amount: missing (mapped to amount.value)',
    ]);
  });
});

describe('generic form normaliser: canonical checks', () => {
  it.each([
    ['requester_email', 'lena', 'requester.email: must be an email address'],
    ['vendor_domain', 'https://cultureamp.com/', 'vendor.domain: must be a domain name'],
    ['amount', '-5', 'amount.value: must not be negative'],
    ['term_months', 240, 'termMonths: '],
    ['request_id', 'PR 2026/0193', 'requestId: must be letters, digits'],
    ['submitted_at', '2026-03-02', 'submittedAt: '],
  ])('%s = %p', (field, value, problem) => {
    expectMalformed(normalizeGenericForm(set(flat(), field, value)), problem);
  });

  it('keeps HTML and non-Latin names, rejects control characters and 5 MB names', () => {
    expect(purchases(normalizeGenericForm(set(flat(), 'vendor', TRICKY_BUT_VALID_NAME)))[0].vendor.name).toBe(TRICKY_BUT_VALID_NAME);
    expect(normalizeGenericForm(set(flat(), 'vendor', CONTROL_CHARACTER_NAME))).toEqual({
      status: 'malformed',
      problems: ['vendor.name: must not contain control characters'],
    });
    const started = Date.now();
    expect(normalizeGenericForm(set(flat(), 'vendor', HUGE_NAME))).toEqual({
      status: 'malformed',
      problems: ['vendor.name: must be at most 200 characters'],
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('quotes at most a short prefix of an unreadable huge value', () => {
    const problems = expectMalformed(normalizeGenericForm(set(flat(), 'billing_period', HUGE_NAME)));
    expect(problems[0].length).toBeLessThan(250);
  });
});
