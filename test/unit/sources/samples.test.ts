/**
 * Every native sample under events/<source>/ normalises to exactly the
 * `<name>.expected.json` beside it (options from `<name>.options.json`).
 * The samples double as documentation of what each source sends and what
 * the guardrail makes of it, so they must never drift from the code.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppConnectedSchema, PurchaseRequestSchema } from '../../../functions/domain/events';
import {
  ENTRA_ID_RELEVANT_ACTIVITIES,
  IAM_IDENTITY_CENTER_EVENT_NAMES,
  OKTA_RELEVANT_EVENT_TYPES,
  SOURCE_NAMES,
  normalize,
  type SourceName,
} from '../../../functions/adapters/sources';
import type { NormalizeResult } from '../../../functions/domain/normalization';

const eventsRoot = join(__dirname, '../../../events');
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

interface Sample {
  source: SourceName;
  name: string;
  raw: string;
  options: unknown;
  expected: NormalizeResult;
}

function samplesOf(source: SourceName): Sample[] {
  const dir = join(eventsRoot, source);
  return readdirSync(dir)
    .filter((f) => /\.(json|xml)$/.test(f) && !f.endsWith('.expected.json') && !f.endsWith('.options.json'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.(json|xml)$/, '');
      const optionsPath = join(dir, `${name}.options.json`);
      return {
        source,
        name,
        raw: readFileSync(join(dir, file), 'utf8'),
        options: existsSync(optionsPath) ? readJson(optionsPath) : undefined,
        expected: readJson(join(dir, `${name}.expected.json`)) as NormalizeResult,
      };
    });
}

const allSamples = SOURCE_NAMES.flatMap(samplesOf);

describe.each(SOURCE_NAMES)('%s samples', (source) => {
  const samples = allSamples.filter((s) => s.source === source);

  it('has realistic samples of accepted and ignored payloads', () => {
    expect(samples.some((s) => s.expected.status === 'ok')).toBe(true);
    expect(samples.some((s) => s.expected.status === 'ignored')).toBe(true);
  });

  it('pairs every expected file with a sample', () => {
    const dir = join(eventsRoot, source);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.expected.json') || f.endsWith('.options.json'))) {
      const sampleFile = file.replace(/\.(expected|options)\.json$/, '');
      expect(existsSync(join(dir, `${sampleFile}.json`)) || existsSync(join(dir, `${sampleFile}.xml`))).toBe(true);
    }
  });

  it.each(samples.map((s) => [s.name, s] as const))('%s normalises to its expected result', (_name, sample) => {
    const body = sample.raw.trimStart().startsWith('<') ? sample.raw : JSON.parse(sample.raw);
    const result = normalize(source, body, sample.options as never);
    expect(result).toStrictEqual(sample.expected);
  });

  it.each(samples.map((s) => [s.name, s] as const))('%s gives the same result from the raw body text', (_name, sample) => {
    expect(normalize(source, sample.raw, sample.options as never)).toStrictEqual(sample.expected);
  });
});

describe('sample coverage', () => {
  const okEvents = allSamples.flatMap((s) => (s.expected.status === 'ok' ? s.expected.events : []));

  it('every produced event in a sample passes the canonical schema unchanged', () => {
    for (const event of okEvents) {
      const schema = event.kind === 'app-connected' ? AppConnectedSchema : PurchaseRequestSchema;
      expect(schema.parse(event.detail)).toStrictEqual(event.detail);
    }
  });

  const nativeSamples = (source: SourceName) => allSamples.filter((s) => s.source === source).map((s) => s.raw);

  it.each(OKTA_RELEVANT_EVENT_TYPES)('an accepted Okta sample covers %s', (eventType) => {
    const covered = allSamples.some((s) => s.source === 'okta' && s.expected.status === 'ok' && s.raw.includes(`"eventType": "${eventType}"`));
    expect(covered).toBe(true);
  });

  it.each(IAM_IDENTITY_CENTER_EVENT_NAMES)('an IAM Identity Center sample covers %s', (eventName) => {
    expect(nativeSamples('iam-identity-center').some((raw) => raw.includes(`"eventName": "${eventName}"`))).toBe(true);
  });

  it.each(ENTRA_ID_RELEVANT_ACTIVITIES)('an Entra ID sample covers %s', (activity) => {
    expect(nativeSamples('entra-id').some((raw) => raw.includes(`"activityDisplayName": "${activity}`))).toBe(true);
  });

  it('covers every connection kind and both canonical kinds', () => {
    const kinds = new Set(okEvents.map((e) => (e.kind === 'app-connected' ? e.detail.connectionKind : e.kind)));
    expect([...kinds].sort()).toEqual(['oauth-consent', 'purchase-request', 'sso-app-created', 'user-assigned']);
  });

  it('keeps sample data anonymised (example.com people, documentation IP ranges)', () => {
    for (const { raw, source, name } of allSamples) {
      const emails = raw.match(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g) ?? [];
      const foreign = emails.filter((e) => !/@example\.com$/i.test(e) && e !== 'system@okta.com');
      expect({ sample: `${source}/${name}`, foreign }).toEqual({ sample: `${source}/${name}`, foreign: [] });
      // Not preceded by "/" or a digit: "Chrome/122.0.0.0" is a version, not an address.
      const ips = raw.match(/(?<![\w/.])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g) ?? [];
      const publicIps = ips.filter((ip) => !/^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(ip));
      expect({ sample: `${source}/${name}`, publicIps }).toEqual({ sample: `${source}/${name}`, publicIps: [] });
    }
  });
});
