/**
 * Property: every real-looking payload of every source ends as canonical
 * events or as "ignored" with its reason; only the unreadable is refused.
 *
 * "Real-looking" is each source's accepted samples with any combination of
 * what real systems send: facts left out, values in other spellings (amounts
 * with separators and symbols, codes in lower case, dates without a time),
 * over-long text, nulls, the other shapes the vendors document (pages,
 * arrays, XML, capital-T types), and events the source sends that are not
 * about apps or purchases. The produced events must pass the canonical
 * schema unchanged.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { normalize, SOURCE_NAMES, type SourceName } from '../../../functions/adapters/sources';
import { AppConnectedSchema, PurchaseRequestSchema } from '../../../functions/domain/events';
import { set } from './support';

const eventsRoot = join(__dirname, '../../../events');
type Payload = any;
type Variation = (payload: Payload, pick: number) => Payload;

/** The accepted samples of a source (with their options), as fresh copies. */
function acceptedSamples(source: SourceName): Array<{ name: string; payload: () => Payload; options: unknown }> {
  const dir = join(eventsRoot, source);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !/\.(expected|options)\.json$/.test(f))
    .filter((f) => JSON.parse(readFileSync(join(dir, f.replace(/\.json$/, '.expected.json')), 'utf8')).status === 'ok')
    .map((f) => {
      const raw = readFileSync(join(dir, f), 'utf8');
      const optionsFile = join(dir, f.replace(/\.json$/, '.options.json'));
      return { name: f, payload: () => JSON.parse(raw), options: existsSync(optionsFile) ? JSON.parse(readFileSync(optionsFile, 'utf8')) : undefined };
    });
}

const AMOUNTS = ['14,400.00', '14.400,00', '$14,400', 'USD 14400', '14 400', 14400, '0.50'];
const LONG = 'Needed for the launch. '.repeat(400);

/** Applies `change` to every object reached through `path` (arrays fan out); absent steps are skipped. */
function each(payload: Payload, path: string, change: (node: Payload, key: string) => void): Payload {
  const steps = path.split('.');
  const walk = (node: Payload, i: number): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((child) => walk(child, i));
    if (i === steps.length - 1) {
      if (steps[i] in node) change(node, steps[i]);
      return;
    }
    walk(node[steps[i]], i + 1);
  };
  walk(payload, 0);
  return payload;
}
const drop =
  (path: string): Variation =>
  (p) =>
    each(p, path, (node, key) => delete node[key]);
const nullify =
  (path: string): Variation =>
  (p) =>
    each(p, path, (node, key) => (node[key] = null));
const replace =
  (path: string, values: readonly unknown[]): Variation =>
  (p, pick) =>
    each(p, path, (node, key) => (node[key] = values[pick % values.length]));
const lower =
  (path: string): Variation =>
  (p) =>
    each(p, path, (node, key) => typeof node[key] === 'string' && (node[key] = node[key].toLowerCase()));

const VARIATIONS: Record<SourceName, Variation[]> = {
  coupa: [
    drop('custom-fields'),
    drop('department'),
    drop('requested-by.email'),
    nullify('need-by-date'),
    nullify('justification'),
    replace('total', AMOUNTS),
    lower('currency.code'),
    replace('submitted-at', ['2026-03-02', '2026-03-02T09:02:50Z', '2026-03-02 09:02:50']),
    replace('justification', [LONG]),
    replace('requisition-lines.description', ['Loom Business – annual subscription, 12 months', 'Seats', 'x'.repeat(600)]),
    nullify('requisition-lines.supplier'),
    replace('status', ['draft', 'withdrawn', 'approved', 'ordered']),
  ],
  servicenow: [
    drop('result.variables'),
    drop('variables'),
    replace('result.requested_for', [{ link: 'https://example.service-now.com/api/now/table/sys_user/1a2b', value: '1a2b' }]),
    replace('result.price', AMOUNTS),
    replace('result.sys_class_name', ['incident', 'problem', 'sc_req_item']),
    replace('result.variables.data_classification', ['Confidential', 'PII', 'Top secret']),
    replace('result.variables.billing_period', ['Yearly', 'per month', 'fortnightly']),
    replace('result.short_description', [LONG]),
    drop('requested_for.email'),
    replace('recurring_frequency', ['monthly', 'yearly', 'quarterly', 'semiannually']),
  ],
  'generic-form': [
    drop('department'),
    drop('requester_email'),
    drop('vendor_domain'),
    drop('billing_period'),
    drop('data_classification'),
    drop('currency'),
    replace('amount', AMOUNTS),
    lower('currency'),
    replace('data_classification', ['RESTRICTED', 'Sensitive', 'internal use only']),
    replace('billing_period', ['Annually', 'per month', 'weekly']),
    replace('justification', [LONG]),
    replace('vendor_domain', ['https://www.cultureamp.com/pricing', 'not a domain']),
  ],
  okta: [
    // Scope targets under the other names orgs and event versions use.
    (p, pick) =>
      each(p, 'detail.target', (node) => /scope|consent|grant/i.test(node.type ?? '') && (node.type = ['OAuth2Scope', 'Scope', 'ConsentGrant'][pick % 3])),
    replace('detail.target.displayName', [LONG, null]),
    drop('detail.actor.alternateId'),
    replace('detail.outcome.result', ['FAILURE', 'DENY']),
    replace('detail.eventType', ['user.session.start', 'application.lifecycle.update', 'app.oauth2.as.consent.grant']),
    (p) => each(p, 'target', (node) => /scope|consent|grant/i.test(node.type ?? '') && (node.type = 'OAuth2Scope')),
    (p) => each(p, 'detail.target', (node) => node.type === 'AppInstance' && ((node.displayName = null), (node.alternateId = null))),
    replace('data.events.outcome.result', ['FAILURE', 'DENY']),
    (p) => (Array.isArray(p) || p.data ? p : [p.detail ?? p]),
  ],
  'entra-id': [
    (p) => each(p, 'value.targetResources', (node) => node.type && ((node.Type = node.type), delete node.type)),
    (p) => each(p, 'targetResources', (node) => node.type && ((node.Type = node.type), delete node.type)),
    replace('value.result', ['success', 'failure']),
    nullify('initiatedBy.user'),
    replace('targetResources.displayName', [LONG]),
    (p) => (Array.isArray(p) ? { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits', value: p } : p),
  ],
  'google-workspace': [
    (p) => (Array.isArray(p) ? { kind: 'admin#reports#activities', items: p } : p),
    replace('events.name', ['authorize', 'revoke']),
    (p) =>
      each(
        p,
        'events.parameters',
        (node) => node.name === 'scope' && (node.multiValue = Array.from({ length: 320 }, (_, i) => `https://www.googleapis.com/auth/scope.${i}`)),
      ),
    drop('actor.email'),
  ],
  'iam-identity-center': [
    (p) => (p.detail ? { Records: [p.detail] } : p),
    replace('detail.requestParameters.name', [LONG, 'arn:aws:sso::123456789012:application/ssoins-1/apl-1']),
    replace('detail.errorCode', ['AccessDenied']),
    drop('detail.userIdentity'),
    replace('Records.eventName', ['ListApplications', 'DescribeApplication']),
  ],
};

describe.each(SOURCE_NAMES)('%s: real-looking payloads are decided or ignored with a reason', (source) => {
  const samples = acceptedSamples(source);
  const variations = VARIATIONS[source];

  it('never refuses them, and every event passes the canonical schema unchanged', () => {
    fc.assert(
      fc.property(fc.nat({ max: samples.length - 1 }), fc.subarray(variations.map((_, i) => i)), fc.nat(), (sampleIndex, chosen, pick) => {
        const sample = samples[sampleIndex];
        const payload = chosen.reduce((p, i) => variations[i](p, pick), sample.payload());
        const result = normalize(source, payload, sample.options as never);
        const context = { sample: sample.name, variations: chosen, result: JSON.stringify(result).slice(0, 600) };
        expect({ ...context, status: result.status }).toEqual({ ...context, status: expect.stringMatching(/^(ok|ignored)$/) });
        if (result.status === 'ignored') expect(result.reason).toMatch(/\S/);
        if (result.status !== 'ok') return;
        expect({ ...context, malformed: result.malformed ?? [] }).toEqual({ ...context, malformed: [] });
        for (const event of result.events) {
          const schema = event.kind === 'app-connected' ? AppConnectedSchema : PurchaseRequestSchema;
          expect(schema.parse(event.detail)).toStrictEqual(event.detail);
        }
      }),
      { numRuns: 250, seed: 1313 },
    );
  });
});

describe('only the unreadable is refused', () => {
  it.each([
    ['coupa', (p: Payload) => set(p, 'total', 'about 2k')],
    ['generic-form', (p: Payload) => set(p, 'amount', 'a lot')],
    ['servicenow', (p: Payload) => set(p, 'result.variables.seats', 'many')],
    ['okta', (p: Payload) => set(p, 'detail.published', 'yesterday')],
  ] as const)('%s with a value nobody can read', (source, damage) => {
    const named = { servicenow: 'table-api-ritm-variables.json', okta: 'eventbridge-application-created.json' } as Record<string, string>;
    const sample = acceptedSamples(source).find((s) => named[source] === undefined || s.name === named[source])!;
    expect(normalize(source, damage(sample.payload()), sample.options as never).status).toBe('malformed');
  });
});
