/**
 * Deterministic, realistic guardrail inputs for the benchmarks and the
 * reliability suite: purchase requests that name catalogue vendors every way
 * people do (exact name, alias, domain only, "Name, Inc. Business"), unknown
 * vendors (some whose product names point to a category), explicit, wrong
 * and absent categories, amounts from 50 to 500,000 in the base currency,
 * other known currencies and unknown ones, every billing period, terms,
 * auto-renewal, every data classification, departments with and without
 * spend overrides, and signing dates past, imminent, later and absent.
 *
 * The same seed always gives the same events, so figures are comparable
 * across runs and the json-rules-engine peer decides exactly what we decide.
 */
import { APP_SOURCES, CONNECTION_KINDS, type AppConnected, type PurchaseRequest } from '../../functions/domain/events';
import type { Policy, Vendor } from '../../functions/domain/policy';
import { DETAIL_TYPES, GUARDRAIL_SOURCE } from '../../functions/domain/event-routes';
import { Prng, capitalise, madeUpWord } from './prng';

/** The instant every benchmark decides at: the default policy's version date, mid-day. */
export const BENCH_NOW = new Date('2026-11-27T12:00:00Z');

const OTHER_DEPARTMENTS = ['Finance', 'Legal', 'Operations', 'People', 'Support', 'Research', 'Facilities', 'Sales'];
const UNKNOWN_CURRENCIES = ['BRL', 'MXN', 'ZAR', 'PLN', 'SGD', 'HKD'];
const PLANS = ['Business', 'Enterprise', 'Pro', 'Team', 'Premium'];
const FIRST_NAMES = ['ana', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo', 'kofi', 'lea'];

export interface GeneratorOptions {
  seed: number;
  /** Prefix of request ids (ids are `<prefix>-<n>`): distinct runs in one table need distinct prefixes. */
  idPrefix?: string;
}

/** `count` purchase requests decided against `policy`'s catalogue and departments. */
export function generatePurchaseRequests(policy: Policy, count: number, options: GeneratorOptions): PurchaseRequest[] {
  const prng = new Prng(options.seed);
  const context = generatorContext(policy);
  return Array.from({ length: count }, (_, i) => purchaseRequest(prng, context, `${options.idPrefix ?? 'BENCH'}-${i}`));
}

/** `count` app-connected events (SSO apps, user assignments, OAuth consents) against `policy`. */
export function generateAppConnectedEvents(policy: Policy, count: number, options: GeneratorOptions): AppConnected[] {
  const prng = new Prng(options.seed);
  const context = generatorContext(policy);
  return Array.from({ length: count }, (_, i) => appConnected(prng, context, `${options.idPrefix ?? 'BENCH'}-${i}`));
}

/** An event as EventBridge delivers it to the guardrail Lambda (ids and time included). */
export function deliveredEvent(kind: 'purchase-request' | 'app-connected', detail: PurchaseRequest | AppConnected, eventId: string): Record<string, unknown> {
  return {
    version: '0',
    id: eventId,
    source: GUARDRAIL_SOURCE,
    'detail-type': kind === 'purchase-request' ? DETAIL_TYPES['purchase-request'] : DETAIL_TYPES['app-connected'],
    account: '123456789012',
    time: BENCH_NOW.toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

interface GeneratorContext {
  vendors: readonly Vendor[];
  categoryIds: readonly string[];
  keywords: readonly string[];
  overrideDepartments: readonly string[];
  knownCurrencies: readonly string[];
  baseCurrency: string;
  riskyScopes: readonly string[];
  managedApps: readonly string[];
  systemActors: readonly string[];
}

function generatorContext(policy: Policy): GeneratorContext {
  return {
    vendors: policy.vendors,
    categoryIds: policy.categories.map((c) => c.id),
    keywords: policy.categories.flatMap((c) => c.keywords),
    overrideDepartments: policy.spend.departmentOverrides.map((o) => o.department),
    knownCurrencies: Object.keys(policy.spend.exchangeRates),
    baseCurrency: policy.spend.baseCurrency,
    // Prefix entries ("…/gmail.*") become a concrete scope under the prefix.
    riskyScopes: policy.oauth.riskyScopes.map((r) => (r.scope.endsWith('*') ? `${r.scope.slice(0, -1)}modify` : r.scope)),
    managedApps: policy.identityProvider.managedAppAllowList,
    systemActors: policy.identityProvider.systemActors,
  };
}

function purchaseRequest(prng: Prng, ctx: GeneratorContext, requestId: string): PurchaseRequest {
  const reference = prng.weighted({ name: 30, alias: 15, domain: 15, variant: 10, mismatch: 4, unknown: 26 });
  const vendor = ctx.vendors.length > 0 ? prng.pick(ctx.vendors) : undefined;
  let vendorName: string;
  let domain: string | undefined;
  let product: string;
  if (vendor === undefined || reference === 'unknown') {
    vendorName = `${capitalise(madeUpWord(prng, 3))}${prng.chance(0.3) ? ' Labs' : ''}`;
    // Half the unknown tools describe what they do: the category is then inferred from keywords.
    product = prng.chance(0.5) && ctx.keywords.length > 0 ? `${vendorName} ${prng.pick(ctx.keywords)}` : `${vendorName} ${prng.pick(PLANS)}`;
    if (prng.chance(0.4)) domain = `${vendorName.toLowerCase().replace(/[^a-z0-9]+/g, '')}.io`;
  } else if (reference === 'name') {
    vendorName = vendor.name;
    product = prng.chance(0.5) ? `${vendor.name} ${prng.pick(PLANS)}` : vendor.name;
    if (prng.chance(0.5) && vendor.domains.length > 0) domain = vendor.domains[0];
  } else if (reference === 'alias') {
    const alias = vendor.aliases.length > 0 ? prng.pick(vendor.aliases) : vendor.name;
    vendorName = `${vendor.name} Inc.`;
    product = alias;
  } else if (reference === 'domain') {
    // The legal entity's name, which the catalogue does not know; only the domain identifies the vendor.
    vendorName = `${capitalise(madeUpWord(prng, 2))} Holdings Ltd`;
    product = `${capitalise(madeUpWord(prng, 2))} subscription`;
    domain = vendor.domains.length > 0 ? `${prng.chance(0.3) ? 'app.' : ''}${vendor.domains[0]}` : undefined;
  } else if (reference === 'mismatch') {
    // A product name that belongs to another catalogue vendor ("WeTransfer" buying "Box Business"): the vendor decides.
    const others = ctx.vendors.filter((v) => v.id !== vendor.id && v.name !== vendor.name);
    const other = others.length > 0 ? prng.pick(others) : vendor;
    vendorName = vendor.name;
    product = `${other.name} ${prng.pick(PLANS)}`;
  } else {
    // "Dropbox, Inc. Business": matched by normalised name, with medium confidence.
    vendorName = `${vendor.name}, Inc. ${prng.pick(PLANS)}`;
    product = `${vendor.name} ${prng.pick(PLANS)}`;
  }

  const classification = prng.weighted({ public: 15, internal: 45, confidential: 30, restricted: 10 });
  const currency = prng.weighted({ base: 60, known: 30, unknown: 10 });
  const billingPeriod = prng.weighted({ annual: 50, monthly: 35, 'one-time': 15 });
  const department = ctx.overrideDepartments.length > 0 && prng.chance(0.5) ? prng.pick(ctx.overrideDepartments) : prng.pick(OTHER_DEPARTMENTS);
  const first = prng.pick(FIRST_NAMES);

  const request: PurchaseRequest = {
    schemaVersion: '1',
    requestId,
    source: prng.pick(['coupa', 'servicenow', 'form:intake']),
    submittedAt: new Date(BENCH_NOW.getTime() - prng.int(0, 72) * 3_600_000).toISOString(),
    requester: { email: `${first}.${prng.int(1, 999)}@example.com`, name: capitalise(first), department },
    vendor: domain ? { name: vendorName, domain } : { name: vendorName },
    product,
    amount: {
      value: Math.round(prng.logUniform(50, 500_000) * 100) / 100,
      currency:
        currency === 'base' || ctx.knownCurrencies.length === 0
          ? ctx.baseCurrency
          : currency === 'known'
            ? prng.pick(ctx.knownCurrencies)
            : prng.pick(UNKNOWN_CURRENCIES),
    },
    billingPeriod,
    dataClassification: classification,
  };
  const category = prng.weighted({ absent: 65, valid: 30, invalid: 5 });
  if (category === 'valid' && ctx.categoryIds.length > 0) request.category = prng.pick(ctx.categoryIds);
  if (category === 'invalid') request.category = `${madeUpWord(prng, 2)}-tools`;
  if (prng.chance(0.8)) request.termMonths = prng.pick([1, 6, 12, 12, 12, 24, 36]);
  const renew = prng.weighted({ yes: 40, no: 30, unsaid: 30 });
  if (renew !== 'unsaid') request.autoRenew = renew === 'yes';
  if (prng.chance(0.7)) request.seats = prng.int(1, 500);
  const signing = prng.weighted({ absent: 20, past: 10, soon: 15, later: 55 });
  if (signing !== 'absent') {
    const days = signing === 'past' ? -prng.int(1, 30) : signing === 'soon' ? prng.int(0, 4) : prng.int(5, 120);
    request.expectedSigningDate = new Date(BENCH_NOW.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  }
  if (prng.chance(0.6)) request.justification = `Needed by the ${department} team for ${product}.`;
  return request;
}

function appConnected(prng: Prng, ctx: GeneratorContext, id: string): AppConnected {
  const source = prng.pick(APP_SOURCES.filter((s) => s !== 'manual'));
  const kind = prng.pick(CONNECTION_KINDS);
  const appChoice = prng.weighted({ known: 45, unknown: 45, managed: 10 });
  const vendor = ctx.vendors.length > 0 ? prng.pick(ctx.vendors) : undefined;
  let app: AppConnected['app'];
  if (appChoice === 'managed' && ctx.managedApps.length > 0) app = { name: prng.pick(ctx.managedApps) };
  else if (appChoice === 'known' && vendor) {
    app = prng.chance(0.5) ? { name: vendor.name } : { name: `${vendor.name} SSO`, ...(vendor.domains[0] ? { domain: vendor.domains[0] } : {}) };
  } else app = { name: `${capitalise(madeUpWord(prng, 3))} ${prng.pick(['Notetaker', 'AI', 'Sync', 'Connect'])}` };

  const actorKind = prng.weighted({ user: 80, system: 10, app: 5, unknown: 5 });
  const first = prng.pick(FIRST_NAMES);
  const actor: AppConnected['actor'] =
    actorKind === 'user'
      ? { type: 'user', email: `${first}@example.com`, displayName: capitalise(first) }
      : actorKind === 'system'
        ? { type: 'system', ...(ctx.systemActors[0] ? { email: ctx.systemActors[0] } : {}) }
        : { type: actorKind };
  const event: AppConnected = {
    schemaVersion: '1',
    source,
    sourceEventId: id,
    occurredAt: new Date(BENCH_NOW.getTime() - prng.int(0, 3600) * 1000).toISOString(),
    app,
    actor,
    connectionKind: kind,
  };
  if (kind === 'user-assigned') event.subject = { email: `${prng.pick(FIRST_NAMES)}.${prng.int(1, 99)}@example.com` };
  if (kind === 'oauth-consent') {
    event.adminConsent = prng.chance(0.2);
    const scopes = ['openid', 'profile', 'email'];
    const risky = prng.int(0, 3);
    for (let i = 0; i < risky && ctx.riskyScopes.length > 0; i++) scopes.push(prng.pick(ctx.riskyScopes));
    event.scopes = scopes;
    event.subject = { email: `${first}@example.com` };
  }
  if (prng.chance(0.5)) event.department = prng.pick([...ctx.overrideDepartments, ...OTHER_DEPARTMENTS]);
  return event;
}
