import { normalizeServiceNow, serviceNowDateTime } from '../../../functions/adapters/sources/servicenow';
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

const withVariables = () => sample('servicenow', 'table-api-ritm-variables');
const recurring = () => sample('servicenow', 'ritm-recurring-price-display-values');
const usd = { defaults: { currency: 'USD' } };

describe('ServiceNow normaliser: shapes and relevance', () => {
  it('accepts { result: record }, { result: [records] } and a bare record alike', () => {
    const response = withVariables();
    const [one] = purchases(normalizeServiceNow(response));
    expect(purchases(normalizeServiceNow({ result: [response.result] }))).toEqual([one]);
    expect(purchases(normalizeServiceNow(response.result))).toEqual([one]);
  });

  it.each([
    ['approval', 'rejected', 'was rejected'],
    ['approval', { display_value: 'Rejected', value: 'rejected' }, 'was rejected'],
    ['state', '4', 'closed without fulfilment (state 4)'],
    ['state', { display_value: 'Closed Skipped', value: '7' }, 'closed without fulfilment (state 7)'],
  ])('ignores an item with %s %p', (field, value, reason) => {
    expectIgnored(normalizeServiceNow(set(withVariables(), `result.${field}`, value)), reason);
  });

  it('lists the ignored and malformed items of a result list', () => {
    const good = withVariables().result;
    const rejected = set(structuredClone(good), 'approval', 'rejected');
    const broken = set(structuredClone(good), 'number', undefined);
    expect(normalizeServiceNow({ result: [rejected, good, broken] })).toMatchObject({
      status: 'ok',
      ignored: [{ item: 'result[0]' }],
      malformed: [{ item: 'result[2]', problems: ['result[2].number: is required'] }],
    });
  });
});

describe('ServiceNow normaliser: prices', () => {
  it('prefers the amount variable (with its billing period)', () => {
    const [request] = purchases(normalizeServiceNow(withVariables()));
    expect([request.amount, request.billingPeriod]).toEqual([{ value: 27000, currency: 'USD' }, 'annual']);
  });

  it('uses recurring price × quantity with the recurring frequency', () => {
    const [request] = purchases(normalizeServiceNow(recurring(), usd));
    expect([request.amount, request.billingPeriod]).toEqual([{ value: 59.97, currency: 'USD' }, 'monthly']);
  });

  it('maps a yearly frequency to annual and rejects one with no canonical period', () => {
    const yearly = set(recurring(), 'recurring_frequency', { display_value: 'Yearly', value: 'yearly' });
    expect(purchases(normalizeServiceNow(yearly, usd))[0].billingPeriod).toBe('annual');
    const quarterly = set(recurring(), 'recurring_frequency', 'quarterly');
    expectMalformed(normalizeServiceNow(quarterly, usd), 'recurring_frequency: "quarterly" is not monthly or yearly');
  });

  it('treats a plain price as a one-time price, and a price of 0 as no price', () => {
    const oneTime = set(recurring(), 'recurring_price', '0');
    set(oneTime, 'price', { display_value: '$450.00', value: '450' });
    const [request] = purchases(normalizeServiceNow(oneTime, usd));
    expect([request.amount, request.billingPeriod]).toEqual([{ value: 1350, currency: 'USD' }, 'one-time']);
    set(oneTime, 'price', '0');
    expectMalformed(normalizeServiceNow(oneTime, usd), 'variables.amount: missing, and the item has no price or recurring_price');
  });

  it('needs a currency from a variable or the configured default', () => {
    expectMalformed(normalizeServiceNow(recurring()), 'variables.currency: missing and no default is configured (options.defaults.currency)');
  });

  it('needs a billing period for an amount variable', () => {
    const record = set(withVariables(), 'result.variables.billing_period', undefined);
    expectMalformed(normalizeServiceNow(record), 'result.variables.billing_period: missing and no default is configured');
    expect(purchases(normalizeServiceNow(record, { defaults: { billingPeriod: 'annual' } }))[0].billingPeriod).toBe('annual');
  });

  it('rejects an unreadable amount variable', () => {
    expectMalformed(normalizeServiceNow(set(withVariables(), 'result.variables.amount', '27.000,00')), 'result.variables.amount: "27.000,00" is not a number');
  });
});

describe('ServiceNow normaliser: people, product and dates', () => {
  it('reads requester details from variables when no dot-walked fields are sent', () => {
    const record = withVariables();
    delete record.result['requested_for.email'];
    delete record.result['requested_for.name'];
    delete record.result['requested_for.department.name'];
    Object.assign(record.result.variables, { requester_email: 'abel.tuter@example.com', department: { display_value: 'Sales', value: 'a1b2' } });
    const [request] = purchases(normalizeServiceNow(record));
    expect(request.requester).toEqual({ email: 'abel.tuter@example.com', department: 'Sales' });
  });

  it('never uses a sys_id reference as a name', () => {
    const record = set(withVariables(), 'result.variables.product', undefined);
    set(record, 'result.short_description', '');
    expectMalformed(normalizeServiceNow(record), 'result.short_description: missing, and no product variable or catalog item name');
    set(record, 'result.cat_item', { display_value: 'SaaS Subscription', value: '7f8a' });
    expect(purchases(normalizeServiceNow(record))[0].product).toBe('SaaS Subscription');
  });

  it('reads variables under configured names', () => {
    const record = withVariables();
    record.result.variables = { supplier: 'Gong', cost: '100', currency: 'USD', billing_period: 'monthly', classification: 'internal' };
    const [request] = purchases(
      normalizeServiceNow(record, { variables: { vendor: 'supplier', amount: 'cost', dataClassification: 'classification' } }),
    );
    expect([request.vendor.name, request.amount?.value, request.dataClassification]).toEqual(['Gong', 100, 'internal']);
  });

  it('prefers an expected signing date variable over the due date', () => {
    const record = set(withVariables(), 'result.variables.expected_signing_date', '2026-03-15');
    expect(purchases(normalizeServiceNow(record))[0].expectedSigningDate).toBe('2026-03-15');
  });

  it.each([
    ['2026-01-15 10:22:11', '2026-01-15T10:22:11Z'],
    ['2026-01-15T10:22:11+01:00', '2026-01-15T10:22:11+01:00'],
    [{ display_value: '01/15/2026 11:22:11', value: '2026-01-15 10:22:11' }, '2026-01-15T10:22:11Z'],
    ['01/15/2026 11:22:11', undefined],
    ['', undefined],
  ])('reads the date-time %p as %p', (raw, iso) => {
    expect(serviceNowDateTime(raw)).toBe(iso);
  });

  it('rejects an opened_at it cannot read', () => {
    expectMalformed(normalizeServiceNow(set(withVariables(), 'result.opened_at', '15.01.2026 10:22')), 'result.opened_at: "15.01.2026 10:22" is not a date-time');
  });
});

describe('ServiceNow normaliser: malformed fields', () => {
  it.each([
    ['result.number', undefined, 'result.number: is required'],
    ['result.variables', 'vendor=Gong', 'result.variables: must be an object, not string'],
    ['result.variables.vendor', undefined, 'result.variables.vendor: missing'],
    ['result.variables.data_classification', 'secret', 'result.variables.data_classification: "secret" is not a data classification'],
    ['result.variables.seats', '-', 'result.variables.seats: "-" is not a whole number'],
    ['result.variables.vendor_domain', 'not a domain', 'vendor.domain: must be a domain name'],
  ])('%s = %p', (path, value, problem) => {
    expectMalformed(normalizeServiceNow(set(withVariables(), path, value)), problem);
  });

  it('rejects a requester email that is not an address (canonical check)', () => {
    const record = withVariables();
    record.result['requested_for.email'] = 'abel';
    expectMalformed(normalizeServiceNow(record), 'requester.email: must be an email address');
  });

  it('keeps HTML vendor names, cleans control characters, shortens 5 MB names', () => {
    const vendor = (name: string) => normalizeServiceNow(set(withVariables(), 'result.variables.vendor', name));
    expect(purchases(vendor(TRICKY_BUT_VALID_NAME))[0].vendor.name).toBe(TRICKY_BUT_VALID_NAME);
    expect(purchases(vendor(CONTROL_CHARACTER_NAME))[0].vendor.name).toBe(CLEANED_CONTROL_CHARACTER_NAME);
    expectShortenedHugeName(purchases(vendor(HUGE_NAME))[0].vendor.name);
  });
});
