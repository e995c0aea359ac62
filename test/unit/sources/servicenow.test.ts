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
    const broken = set(structuredClone(good), 'number', { link: 'x' });
    expect(normalizeServiceNow({ result: [rejected, good, broken] })).toMatchObject({
      status: 'ok',
      ignored: [{ item: 'result[0]' }],
      malformed: [{ item: 'result[2]', problems: ['result[2].number: must be the record number as text'] }],
    });
  });

  it.each([
    [{ sys_class_name: 'incident', number: 'INC0010023' }, 'is a ServiceNow incident, not a requested item'],
    [{ number: 'PRB0040012', state: '4' }, 'is a ServiceNow problem, not a requested item'],
    [{ number: 'REQ0010001' }, 'is a ServiceNow request (sc_request'],
    [{ sys_class_name: { display_value: 'Change Request', value: 'change_request' }, number: 'CHG0030002' }, 'change request'],
  ])("checks the record's table first: %p is ignored, not taken for a request", (record, reason) => {
    expectIgnored(normalizeServiceNow({ result: { short_description: 'Email is down', ...record } }), reason);
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

  it('maps yearly and quarterly frequencies, and keeps one it cannot read as stated', () => {
    const yearly = set(recurring(), 'recurring_frequency', { display_value: 'Yearly', value: 'yearly' });
    expect(purchases(normalizeServiceNow(yearly, usd))[0].billingPeriod).toBe('annual');
    expect(purchases(normalizeServiceNow(set(recurring(), 'recurring_frequency', 'quarterly'), usd))[0].billingPeriod).toBe('quarterly');
    const [weekly] = purchases(normalizeServiceNow(set(recurring(), 'recurring_frequency', 'weekly'), usd));
    expect(weekly.intakeNotes).toContainEqual({ field: 'billingPeriod', kind: 'unrecognised', stated: 'weekly' });
  });

  it('treats a plain price as a one-time price, and a price of 0 as no price', () => {
    const oneTime = set(recurring(), 'recurring_price', '0');
    set(oneTime, 'price', { display_value: '$450.00', value: '450' });
    const [request] = purchases(normalizeServiceNow(oneTime, usd));
    expect([request.amount, request.billingPeriod]).toEqual([{ value: 1350, currency: 'USD' }, 'one-time']);
    set(oneTime, 'price', '0');
    expect(purchases(normalizeServiceNow(oneTime, usd))[0]).not.toHaveProperty('amount');
  });

  it('takes the currency from a variable, else the configured default (noted), else leaves it unstated', () => {
    expect(purchases(normalizeServiceNow(recurring()))[0].amount).toEqual({ value: 59.97 });
    expect(purchases(normalizeServiceNow(recurring(), usd))[0].intakeNotes).toContainEqual({
      field: 'amount.currency',
      kind: 'configured-default',
      stated: 'USD',
    });
  });

  it('takes a missing billing period from the words of the item, else the default, else leaves it out', () => {
    const record = set(withVariables(), 'result.variables.billing_period', undefined);
    set(record, 'result.short_description', 'Gong seats');
    expect(purchases(normalizeServiceNow(record))[0]).not.toHaveProperty('billingPeriod');
    expect(purchases(normalizeServiceNow(record, { defaults: { billingPeriod: 'annual' } }))[0].billingPeriod).toBe('annual');
    set(record, 'result.short_description', 'Gong seats, monthly plan');
    expect(purchases(normalizeServiceNow(record))[0].billingPeriod).toBe('monthly');
  });

  it('reads amounts as people write them, and refuses one it cannot read', () => {
    expect(purchases(normalizeServiceNow(set(withVariables(), 'result.variables.amount', '27.000,00')))[0].amount?.value).toBe(27000);
    expectMalformed(normalizeServiceNow(set(withVariables(), 'result.variables.amount', 'tbd')), 'result.variables.amount: "tbd" is not an amount');
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

  it('never uses a sys_id reference as a name; resolves it where configured', () => {
    const record = set(withVariables(), 'result.variables.product', undefined);
    set(record, 'result.short_description', '');
    set(record, 'result.cat_item', { link: 'https://example.service-now.com/api/now/table/sc_cat_item/7f8a', value: '7f8a' });
    expect(purchases(normalizeServiceNow(record))[0]).not.toHaveProperty('product');
    expect(purchases(normalizeServiceNow(record, { catalogItems: { '7f8a': { name: 'Gong Engage' } } }))[0].product).toBe('Gong Engage');
    set(record, 'result.cat_item', { display_value: 'SaaS Subscription', value: '7f8a' });
    expect(purchases(normalizeServiceNow(record))[0].product).toBe('SaaS Subscription');
  });

  it('a requester given only as a reference: resolved through the configured users, else kept as an id with a note', () => {
    const record = withVariables();
    for (const key of Object.keys(record.result)) if (key.startsWith('requested_for.')) delete record.result[key];
    record.result.requested_for = { link: 'https://example.service-now.com/api/now/table/sys_user/681ccaf9', value: '681ccaf9' };
    const [unknown] = purchases(normalizeServiceNow(record));
    expect(unknown.requester).toEqual({ id: '681ccaf9' });
    expect(unknown.intakeNotes).toContainEqual(expect.objectContaining({ field: 'requester', kind: 'unresolved', stated: '681ccaf9' }));
    const users = { '681ccaf9': { email: 'abel.tuter@example.com', name: 'Abel Tuter', department: 'Sales' } };
    expect(purchases(normalizeServiceNow(record, { users }))[0].requester).toEqual({
      email: 'abel.tuter@example.com',
      name: 'Abel Tuter',
      department: 'Sales',
    });
  });

  it('reads variables under configured names', () => {
    const record = withVariables();
    record.result.variables = { supplier: 'Gong', cost: '100', currency: 'USD', billing_period: 'monthly', classification: 'internal' };
    const [request] = purchases(normalizeServiceNow(record, { variables: { vendor: 'supplier', amount: 'cost', dataClassification: 'classification' } }));
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

  it('refuses an opened_at it cannot read', () => {
    expectMalformed(
      normalizeServiceNow(set(withVariables(), 'result.opened_at', '15.01.2026 10:22')),
      'result.opened_at: "15.01.2026 10:22" is not a date-time',
    );
  });
});

describe('ServiceNow normaliser: what it reads and what it refuses', () => {
  it.each([
    ['result.number', undefined, 'result.number: is required'],
    ['result.variables', 'vendor=Gong', 'result.variables: must be an object, not string'],
    ['result.variables.seats', '-', 'result.variables.seats: "-" is not a whole number'],
  ])('refuses what it cannot read: %s = %p', (path, value, problem) => {
    expectMalformed(normalizeServiceNow(set(withVariables(), path, value)), problem);
  });

  it('reads an item without a vendor variable (policy asks which company), and keeps unread words as notes', () => {
    const [request] = purchases(normalizeServiceNow(set(withVariables(), 'result.variables.vendor', undefined)));
    expect(request.vendor.name).toBeUndefined();
    const [secret] = purchases(normalizeServiceNow(set(withVariables(), 'result.variables.data_classification', 'secret')));
    expect(secret.intakeNotes).toContainEqual({ field: 'dataClassification', kind: 'unrecognised', stated: 'secret' });
    const [domain] = purchases(normalizeServiceNow(set(withVariables(), 'result.variables.vendor_domain', 'not a domain')));
    expect(domain.vendor).not.toHaveProperty('domain');
  });

  it('a requester email that is not an address is kept as a note, not used', () => {
    const record = withVariables();
    record.result['requested_for.email'] = 'abel';
    const [request] = purchases(normalizeServiceNow(record));
    expect(request.requester.email).toBeUndefined();
    expect(request.intakeNotes).toContainEqual(expect.objectContaining({ field: 'requester.email', stated: 'abel' }));
  });

  it('keeps HTML vendor names, cleans control characters, shortens 5 MB names', () => {
    const vendor = (name: string) => normalizeServiceNow(set(withVariables(), 'result.variables.vendor', name));
    expect(purchases(vendor(TRICKY_BUT_VALID_NAME))[0].vendor.name).toBe(TRICKY_BUT_VALID_NAME);
    expect(purchases(vendor(CONTROL_CHARACTER_NAME))[0].vendor.name).toBe(CLEANED_CONTROL_CHARACTER_NAME);
    expectShortenedHugeName(purchases(vendor(HUGE_NAME))[0].vendor.name);
  });
});
