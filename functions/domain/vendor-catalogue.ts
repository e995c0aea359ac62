/**
 * The vendor catalogue as lookup tables. Requesters and identity providers
 * spell vendors many ways ("Dropbox Business", "dropbox.com", "Okta SSO
 * login", "Salesforce Prod", "Box (Legal)", "Drop Box", "Dropbx"), so one
 * name is indexed several ways, each with its own confidence: approvers weigh
 * an exact or domain match above a similar-name guess, and a typo match
 * (`low`) is only ever a suggestion.
 *
 * Every lookup is a handful of Map reads (a domain costs one read per label)
 * plus, for a name nothing else recognises, a few hundred probes of the
 * deletion index (fuzzy-names.ts); never a scan of the vendors. A catalogue
 * of 100,000 entries answers as fast as one of ten, built once per policy version.
 */
import { FuzzyNameIndex } from './fuzzy-names';
import type { Vendor } from './policy';
import type { VendorMatch } from './decision';
import { readDomain } from './values';

export type MatchedBy = VendorMatch['matchedBy'];
export type MatchConfidence = VendorMatch['confidence'];

/**
 * A catalogue hit: what the decision records, plus the entry for the rules
 * and, for a typo match, other entries just as near ("did you mean A or B?").
 */
export type CatalogueMatch = VendorMatch & { vendor: Vendor; alsoLike?: string[] };

/**
 * Words that say which company or plan, not which product. Dropped only when
 * comparing by normalised name, so "Dropbox Business Inc." and "Dropbox" meet.
 */
const NOISE_WORDS: ReadonlySet<string> = new Set([
  // legal forms
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'llp',
  'gmbh',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'ag',
  'bv',
  'pty',
  'srl',
  'sarl',
  'oy',
  'ab',
  'as',
  'kk',
  // plans and editions
  'business',
  'enterprise',
  'team',
  'pro',
  'professional',
  'premium',
  'plus',
  'standard',
  'edition',
  'for',
  'the',
  'free',
  'trial',
  // how IdPs label an app tile, and the environments and tenants they add
  'sso',
  'saml',
  'oidc',
  'login',
  'app',
  'apps',
  'web',
  'prod',
  'production',
  'prd',
  'sandbox',
  'sbx',
  'dev',
  'development',
  'test',
  'testing',
  'staging',
  'stage',
  'stg',
  'uat',
  'qa',
  'preprod',
  'demo',
  'poc',
  'pilot',
  'tenant',
  'instance',
  // a name typed as a bare domain ("Monday.com")
  'com',
  'io',
  'net',
  'org',
  'ai',
]);

/**
 * Case- and spacing-insensitive form used for exact name and alias matches:
 * "  Google   Drive " and "google drive" are the same name.
 */
export function nameKey(name: string): string {
  return (ASCII.test(name) ? name : name.normalize('NFKC')).trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Plain ASCII is its own Unicode normal form (and has no accents to strip): normalising it is skipped. */
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The loose form used for the `normalised-name` match: accents, punctuation,
 * spacing, legal suffixes, plan and environment words removed ("Drop Box
 * Business" and "Dropbox" meet). Falls back to all the words when dropping
 * noise would leave nothing ("Team" stays "team").
 */
export function normalisedNameKey(name: string): string {
  const words = wordsOf(name);
  const meaningful = words.filter((w) => !NOISE_WORDS.has(w));
  return (meaningful.length > 0 ? meaningful : words).join('');
}

/**
 * The name without what an IdP or a person adds to say which tenant or
 * environment: "(Legal)", "[EU]", "- Sandbox", "| Marketing", ": prod".
 * Undefined when nothing was added.
 */
export function labelHead(name: string): string | undefined {
  const head = name
    .replace(/\([^)]*\)|\[[^\]]*\]|\{[^}]*\}/g, ' ')
    .split(/\s[-–—|:/]\s|\s[–—|]|:\s/)[0]
    .trim();
  return head !== '' && head !== name.trim() ? head : undefined;
}

/** Lower-case words without accents or punctuation: "Monday.com, Inc." → monday com inc. */
export function wordsOf(text: string): string[] {
  return (ASCII.test(text) ? text : text.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/**
 * A host name in canonical form, or undefined when the text is not one.
 * Accepts what people paste ("https://www.Dropbox.com/home", "dropbox.com.").
 */
export function domainKey(text: string): string | undefined {
  return readDomain(text);
}

/** Second-level labels under which a country code's registrable names sit (example.co.uk). */
const GENERIC_SECOND_LEVELS = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu', 'ne', 'or']);

/** The name a company registers: "files.eu.dropbox.com" → dropbox.com, "app.example.co.uk" → example.co.uk. */
export function registrableDomain(host: string): string {
  const labels = host.split('.');
  const size = labels.length >= 3 && labels[labels.length - 1].length === 2 && GENERIC_SECOND_LEVELS.has(labels[labels.length - 2]) ? 3 : 2;
  return labels.slice(-size).join('.');
}

/**
 * The domain and each parent that still has at least two labels:
 * "eu.files.dropbox.com" → eu.files.dropbox.com, files.dropbox.com, dropbox.com.
 * A bare top-level domain ("com") never identifies a vendor.
 */
function domainAndParents(domain: string): string[] {
  const labels = domain.split('.');
  const candidates: string[] = [];
  for (let i = 0; i + 2 <= labels.length; i++) candidates.push(labels.slice(i).join('.'));
  return candidates;
}

export class VendorCatalogue {
  private readonly byId = new Map<string, Vendor>();
  private readonly byName = new Map<string, Vendor>();
  private readonly byAlias = new Map<string, Vendor>();
  private readonly byDomain = new Map<string, Vendor>();
  /** Loose keys can collide between genuinely different vendors: keep all, match only when unambiguous. */
  private readonly byNormalisedName = new Map<string, Vendor[]>();
  private readonly sanctionedByCategory = new Map<string, Vendor[]>();
  /** Entries by the company that sells them (its `publisher`, else its own name), normalised. */
  private readonly byPublisher = new Map<string, Vendor[]>();
  private readonly fuzzy: FuzzyNameIndex<Vendor>;
  /** Per entry, its publisher key and registrable domains: computed once, compared on every request that names two entries. */
  private readonly companyOf = new Map<string, { publisher: string; registrable: Set<string> }>();
  /** Names and aliases together, only to spot one vendor's alias being another's name. */
  private readonly nameOwners = new Map<string, Vendor>();
  private readonly problemList: string[] = [];

  constructor(vendors: readonly Vendor[]) {
    vendors.forEach((vendor, index) => this.add(vendor, index));
    this.fuzzy = new FuzzyNameIndex(
      [...this.byId.values()].flatMap((vendor) => [vendor.name, ...vendor.aliases].map((name) => ({ key: normalisedNameKey(name), value: vendor }))),
    );
  }

  /** Number of vendors indexed. */
  get size(): number {
    return this.byId.size;
  }

  /**
   * Names, aliases or domains that two vendors both claim, and domains that are
   * not host names, each with its path in the policy. Matching stays
   * deterministic (the first vendor keeps a key) but the policy needs fixing.
   */
  get problems(): readonly string[] {
    return this.problemList;
  }

  get(vendorId: string): Vendor | undefined {
    return this.byId.get(vendorId);
  }

  /**
   * Recognises a vendor from the name a person or system used and, when known,
   * its domain. Tries the strongest evidence first: exact name, domain (also a
   * name that is itself a domain, "dropbox.com"), alias, normalised name (also
   * without a tenant or environment label), then a name a typo away (`low`,
   * with the other candidates as equally near when there are several).
   */
  match(name: string, domain?: string, options: { guess?: boolean } = {}): CatalogueMatch | undefined {
    const key = nameKey(name);
    const exact = this.byName.get(key);
    if (exact) return matchOf(exact, 'name', 'exact');

    for (const candidate of [domain, name]) {
      const host = candidate === undefined ? undefined : domainKey(candidate);
      const byDomain = host === undefined ? undefined : this.lookupDomain(host);
      if (byDomain) return matchOf(byDomain, 'domain', 'exact');
    }

    const alias = this.byAlias.get(key);
    if (alias) return matchOf(alias, 'alias', 'high');

    const head = labelHead(name);
    const looseKeys = [normalisedNameKey(name)];
    if (head !== undefined && normalisedNameKey(head) !== looseKeys[0]) looseKeys.push(normalisedNameKey(head));
    for (const loose of looseKeys) {
      const holders = this.byNormalisedName.get(loose);
      if (holders && holders.length === 1) return matchOf(holders[0], 'normalised-name', 'medium');
    }
    return options.guess === false ? undefined : this.similar(looseKeys);
  }

  /** The entries sold by the company of this name ("Atlassian" → Jira, Confluence, Trello), if any. */
  publishedBy(name: string): Vendor[] | undefined {
    return this.byPublisher.get(normalisedNameKey(name));
  }

  /** Whether two entries are products of one company: the same publisher, or a shared registrable domain. */
  samePublisher(a: Vendor, b: Vendor): boolean {
    if (a.id === b.id) return true;
    const ofA = this.company(a);
    const ofB = this.company(b);
    if (ofA.publisher === ofB.publisher) return true;
    for (const domain of ofB.registrable) if (ofA.registrable.has(domain)) return true;
    return false;
  }

  /** The company facts of an entry (indexed ones from the index; any other computed now). */
  private company(vendor: Vendor): { publisher: string; registrable: Set<string> } {
    const indexed = this.companyOf.get(vendor.id);
    return indexed && this.byId.get(vendor.id) === vendor ? indexed : companyFacts(vendor);
  }

  /** The nearest entry a typo away, when one is nearer than any other. */
  private similar(keys: readonly string[]): CatalogueMatch | undefined {
    for (const key of keys) {
      const hits = this.fuzzy.search(key);
      if (hits.length === 0) continue;
      const nearest = hits.filter((h) => h.distance === hits[0].distance);
      const vendors = [...new Map(nearest.map((h) => [h.value.id, h.value])).values()];
      return { ...matchOf(vendors[0], 'similar-name', 'low'), ...(vendors.length > 1 ? { alsoLike: vendors.slice(1, 4).map((v) => v.name) } : {}) };
    }
    return undefined;
  }

  /** Sanctioned vendors of a category, in policy order (the first is the preferred alternative). */
  sanctionedIn(categoryId: string): Vendor[] {
    return [...(this.sanctionedByCategory.get(categoryId) ?? [])];
  }

  private lookupDomain(host: string): Vendor | undefined {
    for (const candidate of domainAndParents(host)) {
      const vendor = this.byDomain.get(candidate);
      if (vendor) return vendor;
    }
    return undefined;
  }

  private add(vendor: Vendor, index: number): void {
    if (this.byId.has(vendor.id)) return; // duplicate ids are reported by policyConsistencyProblems
    this.byId.set(vendor.id, vendor);
    const at = `vendors[${index}]`;

    this.claimName(`${at}.name`, nameKey(vendor.name), vendor);
    setIfAbsent(this.byName, nameKey(vendor.name), vendor);
    vendor.aliases.forEach((alias, i) => {
      this.claimName(`${at}.aliases[${i}]`, nameKey(alias), vendor);
      setIfAbsent(this.byAlias, nameKey(alias), vendor);
    });

    vendor.domains.forEach((d, i) => {
      const host = domainKey(d);
      if (host === undefined) {
        this.problemList.push(`${at}.domains[${i}]: "${d}" is not a domain name such as dropbox.com`);
        return;
      }
      const holder = this.byDomain.get(host);
      if (holder === undefined) this.byDomain.set(host, vendor);
      else if (holder.id !== vendor.id) {
        this.problemList.push(`${at}.domains[${i}]: "${host}" is already a domain of vendor "${holder.id}"`);
      }
    });

    for (const loose of new Set([vendor.name, ...vendor.aliases].map(normalisedNameKey))) {
      const holders = this.byNormalisedName.get(loose) ?? [];
      holders.push(vendor);
      this.byNormalisedName.set(loose, holders);
    }

    const facts = companyFacts(vendor);
    this.companyOf.set(vendor.id, facts);
    const publisher = this.byPublisher.get(facts.publisher) ?? [];
    publisher.push(vendor);
    this.byPublisher.set(facts.publisher, publisher);

    if (vendor.status === 'sanctioned') {
      const list = this.sanctionedByCategory.get(vendor.category) ?? [];
      list.push(vendor);
      this.sanctionedByCategory.set(vendor.category, list);
    }
  }

  /** One vendor's name or alias must not be another vendor's name or alias. */
  private claimName(path: string, key: string, vendor: Vendor): void {
    const owner = this.nameOwners.get(key);
    if (owner === undefined) this.nameOwners.set(key, vendor);
    else if (owner.id !== vendor.id) {
      this.problemList.push(`${path}: "${key}" is already a name or alias of vendor "${owner.id}"`);
    }
  }
}

function publisherKey(vendor: Vendor): string {
  return normalisedNameKey(vendor.publisher ?? vendor.name);
}

function companyFacts(vendor: Vendor): { publisher: string; registrable: Set<string> } {
  const registrable = new Set<string>();
  for (const d of vendor.domains) {
    const host = domainKey(d);
    if (host !== undefined) registrable.add(registrableDomain(host));
  }
  return { publisher: publisherKey(vendor), registrable };
}

function setIfAbsent<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (!map.has(key)) map.set(key, value);
}

function matchOf(vendor: Vendor, matchedBy: MatchedBy, confidence: MatchConfidence): CatalogueMatch {
  return {
    vendorId: vendor.id,
    name: vendor.name,
    status: vendor.status,
    category: vendor.category,
    matchedBy,
    confidence,
    vendor,
  };
}
