import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeCoupa } from '../../../functions/adapters/sources/coupa';
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
    expect(requests.map((r) => [r.requestId, r.vendor.name, r.amount?.value])).toEqual([
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

  it('keeps lines without a supplier as their own request, which names no vendor', () => {
    const requests = purchases(normalizeCoupa(set(twoSuppliers(), 'requisition-lines[1].supplier', null)));
    expect(requests.map((r) => [r.requestId, r.vendor.name])).toEqual([
      ['4822-1', 'Zendesk'],
      ['4822-2', undefined],
    ]);
  });

  it('leaves the currency of a supplier whose lines mix currencies unstated, saying which', () => {
    const [zendesk] = purchases(normalizeCoupa(set(twoSuppliers(), 'requisition-lines[2].currency.code', 'USD')));
    expect(zendesk.amount).toEqual({ value: 18000 });
    expect(zendesk.intakeNotes).toContainEqual({
      field: 'amount.currency',
      kind: 'unrecognised',
      stated: 'EUR, USD',
      detail: 'the lines for Zendesk mix currencies',
    });
  });

  it('sums the lines it can price when one line has no amount', () => {
    const requisition = twoSuppliers();
    delete requisition['requisition-lines'][2]['unit-price'];
    expect(purchases(normalizeCoupa(requisition))[0].amount?.value).toBe(16560);
  });

  it('takes the product from the item when a line has no description', () => {
    const requisition = set(single(), 'requisition-lines[0].description', null);
    set(requisition, 'requisition-lines[0].item', { name: 'Dropbox Business Advanced' });
    expect(purchases(normalizeCoupa(requisition))[0].product).toBe('Dropbox Business Advanced');
  });

  it('needs at least one line', () => {
    expectMalformed(normalizeCoupa(set(single(), 'requisition-lines', [])), 'requisition-lines: must hold at least one line');
  });
});

describe('Coupa normaliser: fields Coupa lacks', () => {
  it('leaves billing period and classification out when nothing states them: policy asks for them', () => {
    const [request] = purchases(normalizeCoupa(bare()));
    expect(request).not.toHaveProperty('billingPeriod');
    expect(request).not.toHaveProperty('dataClassification');
    expect(request).not.toHaveProperty('intakeNotes');
  });

  it('reads what the lines say plainly about billing and term, noting where', () => {
    const requisition = set(bare(), 'requisition-lines[0].description', 'Miro Business – annual subscription, 12 months');
    const [request] = purchases(normalizeCoupa(requisition, { defaults }));
    expect([request.billingPeriod, request.termMonths]).toEqual(['annual', 12]);
    expect(request.intakeNotes).toEqual([
      { field: 'billingPeriod', kind: 'inferred', stated: 'annual, 12 months', detail: 'from requisition-lines[0].description' },
      { field: 'termMonths', kind: 'inferred', stated: 'annual, 12 months', detail: 'from requisition-lines[0].description' },
      { field: 'dataClassification', kind: 'configured-default', stated: 'internal' },
    ]);
  });

  it('applies configured defaults only where the source is silent', () => {
    const [request] = purchases(normalizeCoupa(bare(), { defaults }));
    expect([request.billingPeriod, request.dataClassification]).toEqual(['annual', 'internal']);
    expect(request.intakeNotes?.map((n) => `${n.field}:${n.kind}`)).toEqual(['billingPeriod:configured-default', 'dataClassification:configured-default']);
    const said = set(bare(), 'custom-fields', { 'billing-period': 'Monthly', 'data-classification': 'restricted' });
    const [explicit] = purchases(normalizeCoupa(said, { defaults }));
    expect([explicit.billingPeriod, explicit.dataClassification]).toEqual(['monthly', 'restricted']);
  });

  it('never lets a default hide a value it cannot read: the stated words are kept for policy', () => {
    const said = set(bare(), 'custom-fields', { 'billing-period': 'biennial' });
    const [request] = purchases(normalizeCoupa(said, { defaults }));
    expect(request.billingPeriod).toBeUndefined();
    expect(request.intakeNotes).toContainEqual({ field: 'billingPeriod', kind: 'unrecognised', stated: 'biennial' });
  });

  it('reads custom fields under configured names, at the top level too', () => {
    const requisition = set(bare(), 'Cadence', { name: 'Yearly' });
    requisition.Sensitivity = 'PUBLIC';
    const [request] = purchases(normalizeCoupa(requisition, { customFields: { billingPeriod: 'Cadence', dataClassification: 'Sensitivity' } }));
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
    ['contract-term-months', 'soon', 'custom-fields.contract-term-months: "soon" is not a term in months such as 12 or "2 years"'],
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

describe('Coupa normaliser: what it reads and what it refuses', () => {
  it.each([
    ['id', undefined, 'id: is required'],
    ['id', 'REQ-1', 'id: must be a Coupa numeric id'],
    ['total', { amount: 1 }, 'total: must be a number or text'],
    ['total', 'lots', 'total: "lots" is not an amount'],
    ['currency.code', 'dollars', 'currency.code: "dollars" is not an ISO 4217 currency code'],
    ['requisition-lines', 'one', 'requisition-lines: must be an array, not string'],
  ])('refuses what it cannot read: %s = %p', (path, value, problem) => {
    expectMalformed(normalizeCoupa(set(single(), path, value)), problem);
  });

  it.each([
    ['requested-by', undefined, (r: any) => expect(r.requester).toEqual({ department: 'Marketing' })],
    [
      'requested-by.email',
      'ellis.johnson',
      (r: any) => expect(r.intakeNotes).toContainEqual(expect.objectContaining({ field: 'requester.email', stated: 'ellis.johnson' })),
    ],
    ['department', null, (r: any) => expect(r.requester.department).toBeUndefined()],
    ['submitted-at', '2026-03-02', (r: any) => expect(r.submittedAt).toBe('2026-03-02T00:00:00Z')],
    ['total', '14,400.00', (r: any) => expect(r.amount).toEqual({ value: 14400, currency: 'USD' })],
    ['currency.code', 'usd', (r: any) => expect(r.amount.currency).toBe('USD')],
    ['currency', null, (r: any) => expect(r.amount).toEqual({ value: 14400, currency: 'USD' })],
    ['department.name', 'Mark\u0000eting', (r: any) => expect(r.requester.department).toBe('Mark eting')],
    ['justification', 'x'.repeat(4001), (r: any) => expect(r.justification).toMatch(/shortened from 4,001 characters/)],
  ])('reads the ordinary: %s = %p', (path, value, check) => {
    check(purchases(normalizeCoupa(set(single(), path, value)))[0]);
  });

  it('keeps HTML supplier names, cleans control characters, shortens 5 MB descriptions', () => {
    expect(purchases(normalizeCoupa(set(single(), 'requisition-lines[0].supplier.name', TRICKY_BUT_VALID_NAME)))[0].vendor.name).toBe(TRICKY_BUT_VALID_NAME);
    expect(purchases(normalizeCoupa(set(single(), 'requisition-lines[0].supplier.name', CONTROL_CHARACTER_NAME)))[0].vendor.name).toBe(
      CLEANED_CONTROL_CHARACTER_NAME,
    );
    expectShortenedHugeName(purchases(normalizeCoupa(set(single(), 'requisition-lines[0].description', HUGE_NAME)))[0].product);
  });

  it('reports one canonical problem once even when every supplier request shares it', () => {
    const result = normalizeCoupa(set(twoSuppliers(), 'need-by-date', 'next spring'));
    expect(result).toEqual({ status: 'malformed', problems: ['expectedSigningDate: "next spring" is not a date such as 2026-12-31'] });
  });
});

describe('Coupa normaliser: XML (what the API answers unless asked for JSON)', () => {
  const xml = () => readFileSync(join(__dirname, '../../../events/coupa/requisition-api.xml'), 'utf8');

  it('reads Coupa XML like its JSON: nil, typed values and arrays of one', () => {
    const result = normalizeCoupa(xml());
    const [request] = purchases(result);
    expect(request).toMatchObject({ requestId: '4851', vendor: { name: 'Hex Technologies' }, amount: { value: 9600, currency: 'USD' } });
    expect(result).toMatchObject({ ignored: [{ item: '[1]', reason: expect.stringContaining('draft') }] });
  });

  it('reads a single <requisition-header> document', () => {
    const one = xml()
      .replace(/<requisition-headers type="array">|<\/requisition-headers>/g, '')
      .replace(/<requisition-header>\s*<id type="integer">4852[\s\S]*?<\/requisition-header>/, '');
    expect(purchases(normalizeCoupa(one)).map((r) => r.requestId)).toEqual(['4851']);
  });

  it.each([
    ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><requisition-header/>', 'document type declaration'],
    ['<requisition-header><id>1</id>', 'not valid XML'],
    ['<invoice-header><id>1</id></invoice-header>', 'XML root <invoice-header> is not a Coupa requisition'],
  ])('refuses XML it must not or cannot read: %s', (text, problem) => {
    expectMalformed(normalizeCoupa(text), problem);
  });
});
