import { normalizeCoupa } from '../../../functions/adapters/sources/coupa';
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

const single = () => sample('coupa', 'requisition-single-supplier');
const twoSuppliers = () => sample('coupa', 'requisition-two-suppliers');
const bare = () => sample('coupa', 'requisition-defaults-from-options');
const defaults = { billingPeriod: 'annual', dataClassification: 'internal' } as const;

describe('Coupa normaliser: status', () => {
  it.each(['draft', 'cart', 'withdrawn', 'abandoned', 'backed_out'])('ignores a %s requisition', (status) => {
    expectIgnored(normalizeCoupa(set(single(), 'status', status)), `status "${status}" has not been submitted`);
  });

  it.each(['pending_approval', 'pending_buyer_action', 'approved', 'ordered'])('accepts a %s requisition', (status) => {
    expect(purchases(normalizeCoupa(set(single(), 'status', status)))).toHaveLength(1);
  });

  it('needs a status', () => {
    expect(normalizeCoupa(set(single(), 'status', undefined))).toEqual({ status: 'malformed', problems: ['status: is required'] });
  });

  it('splits an array response into its requisitions, ignoring drafts', () => {
    const result = normalizeCoupa([single(), sample('coupa', 'ignored-draft')]);
    expect(result).toMatchObject({ status: 'ok', ignored: [{ item: '[1]' }] });
    expect(purchases(result).map((p) => p.requestId)).toEqual(['4821']);
  });
});

describe('Coupa normaliser: suppliers', () => {
  it('keeps the requisition id and header total for one supplier', () => {
    const [request] = purchases(normalizeCoupa(single()));
    expect(request.requestId).toBe('4821');
    expect(request.amount).toEqual({ value: 14400, currency: 'USD' });
  });

  it('makes one request per supplier (case-insensitive), summing that supplier’s lines', () => {
    const requests = purchases(normalizeCoupa(twoSuppliers()));
    expect(requests.map((r) => [r.requestId, r.vendor.name, r.amount.value])).toEqual([
      ['4822-1', 'Zendesk', 18000],
      ['4822-2', 'Loom', 3600],
    ]);
  });

  it('sums decimal lines without floating-point noise', () => {
    const requisition = twoSuppliers();
    requisition['requisition-lines'] = [
      { description: 'a', total: '0.10', supplier: { name: 'A' } },
      { description: 'b', total: '0.20', supplier: { name: 'A' } },
      { description: 'c', total: '5', supplier: { name: 'B' } },
    ];
    expect(purchases(normalizeCoupa(requisition))[0].amount).toEqual({ value: 0.3, currency: 'EUR' });
  });

  it('rejects a line without a supplier: its spend could not be checked', () => {
    expectMalformed(
      normalizeCoupa(set(twoSuppliers(), 'requisition-lines[1].supplier', null)),
      'requisition-lines[1].supplier.name: missing; every line needs a supplier',
    );
  });

  it('rejects lines of one supplier in different currencies', () => {
    expectMalformed(
      normalizeCoupa(set(twoSuppliers(), 'requisition-lines[2].currency.code', 'USD')),
      'requisition-lines[0]: lines for "Zendesk" mix currencies (EUR, USD)',
    );
  });

  it('rejects a line of a multi-supplier requisition without any amount', () => {
    const requisition = twoSuppliers();
    delete requisition['requisition-lines'][2]['unit-price'];
    expectMalformed(normalizeCoupa(requisition), 'requisition-lines[2].total: missing or not a number');
  });

  it('needs a product description', () => {
    expectMalformed(normalizeCoupa(set(single(), 'requisition-lines[0].description', null)), 'requisition-lines[0].description: missing');
  });

  it('needs at least one line', () => {
    expectMalformed(normalizeCoupa(set(single(), 'requisition-lines', [])), 'requisition-lines: must hold at least one line');
  });
});

describe('Coupa normaliser: fields Coupa lacks', () => {
  it('is malformed without billing period and classification, naming both and the options that would supply them', () => {
    expect(normalizeCoupa(bare())).toEqual({
      status: 'malformed',
      problems: [
        'custom-fields.billing-period: missing and no default is configured (options.defaults.billingPeriod)',
        'custom-fields.data-classification: missing and no default is configured (options.defaults.dataClassification)',
      ],
    });
  });

  it('applies configured defaults only where the source is silent', () => {
    const [request] = purchases(normalizeCoupa(bare(), { defaults }));
    expect([request.billingPeriod, request.dataClassification]).toEqual(['annual', 'internal']);
    const said = set(bare(), 'custom-fields', { 'billing-period': 'Monthly', 'data-classification': 'restricted' });
    const [explicit] = purchases(normalizeCoupa(said, { defaults }));
    expect([explicit.billingPeriod, explicit.dataClassification]).toEqual(['monthly', 'restricted']);
  });

  it('never lets a default hide a value it cannot read', () => {
    const said = set(bare(), 'custom-fields', { 'billing-period': 'biennial' });
    expectMalformed(normalizeCoupa(said, { defaults }), 'custom-fields.billing-period: "biennial" is not a billing period');
  });

  it('reads custom fields under configured names, at the top level too', () => {
    const requisition = set(bare(), 'Cadence', { name: 'Yearly' });
    requisition.Sensitivity = 'PUBLIC';
    const [request] = purchases(
      normalizeCoupa(requisition, { customFields: { billingPeriod: 'Cadence', dataClassification: 'Sensitivity' } }),
    );
    expect([request.billingPeriod, request.dataClassification]).toEqual(['annual', 'public']);
  });

  it('leaves optional fields absent when Coupa does not hold them', () => {
    const [request] = purchases(normalizeCoupa(bare(), { defaults }));
    for (const field of ['termMonths', 'seats', 'autoRenew', 'category', 'expectedSigningDate', 'justification']) {
      expect(request).not.toHaveProperty(field);
    }
    expect(request.requester).not.toHaveProperty('name');
    expect(request.vendor).not.toHaveProperty('domain');
  });

  it.each([
    ['contract-term-months', '1.5', 'custom-fields.contract-term-months: "1.5" is not a whole number'],
    ['seats', 'many', 'custom-fields.seats: "many" is not a whole number'],
    ['auto-renew', 'perhaps', 'custom-fields.auto-renew: "perhaps" is not yes/no or true/false'],
  ])('rejects an unreadable optional custom field %s', (field, value, problem) => {
    expectMalformed(normalizeCoupa(set(single(), `custom-fields.${field}`, value)), problem);
  });

  it('composes the requester name from first and last name only when there is no full name', () => {
    const [request] = purchases(normalizeCoupa(twoSuppliers()));
    expect(request.requester.name).toBe('Ana Silva');
  });

  it('takes the need-by date from the first line when the header has none', () => {
    const requisition = set(single(), 'need-by-date', null);
    set(requisition, 'requisition-lines[0].need-by-date', '2026-05-01T00:00:00-07:00');
    expect(purchases(normalizeCoupa(requisition))[0].expectedSigningDate).toBe('2026-05-01');
  });
});

describe('Coupa normaliser: malformed fields', () => {
  it.each([
    ['id', undefined, 'id: is required'],
    ['id', 'REQ-1', 'id: must be a Coupa numeric id'],
    ['requested-by', undefined, 'requested-by: is required'],
    ['requested-by.email', undefined, 'requested-by.email: is required'],
    ['department', null, 'department: must be an object, not null'],
    ['submitted-at', 'last Tuesday', 'submitted-at: must be an ISO 8601 date-time with offset'],
    ['total', { amount: 1 }, 'total: must be a number or text'],
    ['total', 'lots', 'total: "lots" is not a number'],
    ['currency', null, 'currency.code: missing'],
    ['currency.code', 'dollars', 'currency.code: "dollars" is not an ISO 4217 currency code'],
    ['requisition-lines', 'one', 'requisition-lines: must be an array, not string'],
    ['requested-by.email', 'ellis.johnson', 'requester.email: must be an email address'],
    ['department.name', 'Mark\u0000eting', 'requester.department: must not contain control characters'],
    ['justification', 'x'.repeat(4001), 'justification: '],
  ])('%s = %p', (path, value, problem) => {
    expectMalformed(normalizeCoupa(set(single(), path, value)), problem);
  });

  it('keeps HTML supplier names, rejects control characters and 5 MB descriptions', () => {
    expect(purchases(normalizeCoupa(set(single(), 'requisition-lines[0].supplier.name', TRICKY_BUT_VALID_NAME)))[0].vendor.name).toBe(
      TRICKY_BUT_VALID_NAME,
    );
    expect(normalizeCoupa(set(single(), 'requisition-lines[0].supplier.name', CONTROL_CHARACTER_NAME))).toEqual({
      status: 'malformed',
      problems: ['vendor.name: must not contain control characters'],
    });
    expect(normalizeCoupa(set(single(), 'requisition-lines[0].description', HUGE_NAME))).toEqual({
      status: 'malformed',
      problems: ['product: must be at most 200 characters'],
    });
  });

  it('reports one canonical problem once even when every supplier request shares it', () => {
    const result = normalizeCoupa(set(twoSuppliers(), 'requested-by.email', 'not-an-email'));
    expect(result).toEqual({ status: 'malformed', problems: ['requester.email: must be an email address'] });
  });
});
