/**
 * The bullets at the top of issue 13 ("Real-world intake"), replayed: each is
 * read and decided instead of refused, and the decision says what was missing
 * or guessed. Normalised by the real normalisers, decided under policy/default.yaml.
 */
import { join } from 'node:path';
import { loadPolicyFile } from '../../../functions/adapters/policy-file';
import { normalize } from '../../../functions/adapters/sources';
import { readNative } from '../../../functions/cli/native-input';
import { evaluateEvent } from '../../../functions/domain/evaluate';
import type { GuardrailEvent } from '../../../functions/domain/events';
import { preparePolicy } from '../../../functions/domain/prepared-policy';
import { sample, set } from './support';

const prepared = preparePolicy(loadPolicyFile(join(__dirname, '../../../policy/default.yaml')));
const NOW = new Date('2026-03-10T12:00:00Z');
const decide = (event: GuardrailEvent) => evaluateEvent(event, prepared, NOW);
const codes = (event: GuardrailEvent) => decide(event).findings.map((f) => f.code);
function eventsOf(source: Parameters<typeof normalize>[0], payload: unknown): GuardrailEvent[] {
  const result = normalize(source, payload);
  if (result.status !== 'ok') throw new Error(JSON.stringify(result));
  return result.events;
}

describe('issue 13, replayed', () => {
  it('a plain Coupa requisition (no custom fields) is decided, asking for what Coupa does not hold; detection names it', () => {
    const plain = set(sample('coupa', 'requisition-plain'), 'requisition-lines[0].description', 'Loom Business - 80 seats');
    const [event] = eventsOf('coupa', plain);
    const decision = decide(event);
    expect(decision.outcome).toBe('review');
    expect(decision.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['DATA_CLASSIFICATION_NOT_STATED', 'BILLING_PERIOD_NOT_STATED']));
    expect(readNative(plain, 'plain.json', undefined)).toMatchObject({ status: 'ok', source: 'coupa' });
  });

  it('"usd", "Confidential", a date without a time and "14,400.00" are read; a 4,001-character justification is kept shortened', () => {
    const form = {
      ...sample('generic-form', 'flat-form'),
      currency: 'usd',
      data_classification: 'Confidential',
      submitted_at: '2026-03-02',
      amount: '14,400.00',
      justification: 'j'.repeat(4001),
    };
    const [event] = eventsOf('generic-form', form);
    expect(event.detail).toMatchObject({ amount: { value: 14400, currency: 'USD' }, dataClassification: 'confidential', submittedAt: '2026-03-02T00:00:00Z' });
    expect(codes(event)).toContain('TEXT_SHORTENED');
  });

  it('an OAuth consent with 250 scopes is kept shortened, and the decision says how many there were', () => {
    const activity = sample('google-workspace', 'authorize-single');
    activity.events[0].parameters.find((p: { name: string }) => p.name === 'scope').multiValue = Array.from(
      { length: 250 },
      (_, i) => `https://www.googleapis.com/auth/scope.${i}`,
    );
    const [event] = eventsOf('google-workspace', activity);
    const decision = decide(event);
    expect(decision.outcome).toBe('review');
    expect(decision.findings.find((f) => f.code === 'SCOPES_SHORTENED')?.message).toMatch(/granted 250 scopes; only the first 200/);
  });

  it('vendor-documented shapes are read: Graph v1.0 Type, Okta consent scopes of another type, a ServiceNow Table API read, Coupa XML', () => {
    expect(eventsOf('entra-id', sample('entra-id', 'graph-v1-page-capital-type'))).toHaveLength(2);
    const consent = sample('okta', 'system-log-consent-grant');
    for (const target of consent.target) target.type = 'OAuth2Scope';
    expect(eventsOf('okta', consent)[0].detail).toMatchObject({ scopes: ['calendar.read', 'contacts.read', 'offline_access'] });
    const [ritm] = eventsOf('servicenow', sample('servicenow', 'table-api-plain-read'));
    expect(codes(ritm)).toEqual(expect.arrayContaining(['REQUESTER_NOT_IDENTIFIED', 'VENDOR_NOT_STATED', 'CURRENCY_UNKNOWN']));
    expect(normalize('servicenow', { result: { number: 'PRB0040012', short_description: 'Email outage', state: '4' } })).toEqual({
      status: 'ignored',
      reason: '"PRB0040012" is a ServiceNow problem, not a requested item (sc_req_item)',
    });
  });

  it('an IAM Identity Center assignment named only by its ARN is not taken for Okta because the ARN says "sso"', () => {
    const [event] = eventsOf('iam-identity-center', sample('iam-identity-center', 'create-application-assignment'));
    expect(event.detail).toMatchObject({ app: { name: expect.stringMatching(/^arn:aws:sso::/) } });
    const decision = decide(event);
    expect(decision.category).toBeUndefined();
    expect(decision.findings.map((f) => f.code)).not.toContain('DUPLICATE_CAPABILITY');
  });

  it('an Okta System Log API page is read with --source okta', () => {
    expect(readNative(sample('okta', 'system-log-api-page'), 'page.json', 'okta')).toMatchObject({ status: 'ok', source: 'okta', ignored: [{ item: '[0]' }] });
  });
});
