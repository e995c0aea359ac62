/**
 * A policy turned into the lookup tables evaluation needs, built once per
 * policy version and then shared by every decision: a warm Lambda answers
 * from Maps instead of re-reading lists for each event.
 */
import type { CompleteSeatCount } from './inventory/seat-counts';
import { DATA_CLASSIFICATIONS, type DataClassification } from './events';
import type { Category, Policy, RiskyScope, SpendTier } from './policy';
import { nameKey, VendorCatalogue, wordsOf } from './vendor-catalogue';

export interface PreparedPolicy {
  policy: Policy;
  catalogue: VendorCatalogue;
  /** Categories by id. */
  categories: ReadonlyMap<string, Category>;
  /** Guesses a category from a product or app name when nothing else says. */
  categoryKeywords: CategoryKeywordIndex;
  /** Department overrides keyed by department name, case-insensitively. */
  departmentTiers: ReadonlyMap<string, { department: string; tiers: SpendTier[] }>;
  riskyScopes: RiskyScopeMatcher;
  /** Lower-cased names of platform-managed apps (never shadow IT). */
  managedApps: ReadonlySet<string>;
  /** Lower-cased AWS service principals whose managed apps are never shadow IT. */
  managedAppServices: ReadonlySet<string>;
  /** Lower-cased actor emails that are systems, not people. */
  systemActors: ReadonlySet<string>;
  /** Classification names and the policy's synonyms, by {@link nameKey}. */
  classificationWords: ReadonlyMap<string, DataClassification>;
  /** Seats used from the inventory, by vendor id, where an app's assignment list is complete (inventory/seat-counts.ts). */
  seatCounts?: ReadonlyMap<string, CompleteSeatCount>;
}

/** Builds every index once. Pure: the same policy always gives equal lookups. */
export function preparePolicy(policy: Policy): PreparedPolicy {
  return {
    policy,
    catalogue: new VendorCatalogue(policy.vendors),
    categories: new Map(policy.categories.map((c) => [c.id, c])),
    categoryKeywords: new CategoryKeywordIndex(policy.categories),
    departmentTiers: departmentTierIndex(policy),
    riskyScopes: new RiskyScopeMatcher(policy.oauth.riskyScopes),
    managedApps: new Set(policy.identityProvider.managedAppAllowList.map(nameKey)),
    managedAppServices: new Set(policy.identityProvider.managedAppServicePrincipals.map((p) => p.trim().toLowerCase())),
    systemActors: new Set(policy.identityProvider.systemActors.map((a) => a.trim().toLowerCase())),
    classificationWords: classificationWordIndex(policy),
  };
}

function classificationWordIndex(policy: Policy): Map<string, DataClassification> {
  const index = new Map<string, DataClassification>(DATA_CLASSIFICATIONS.map((c) => [c, c]));
  for (const level of DATA_CLASSIFICATIONS) {
    for (const word of policy.intake.classificationSynonyms[level] ?? []) {
      const key = nameKey(word);
      if (!index.has(key)) index.set(key, level);
    }
  }
  return index;
}

/** The spend tiers that apply to a department: its override when there is one, else the defaults. */
export function spendTiersFor(prepared: PreparedPolicy, department: string | undefined): { tiers: SpendTier[]; overrideFor?: string } {
  const override = department === undefined ? undefined : prepared.departmentTiers.get(nameKey(department));
  return override ? { tiers: override.tiers, overrideFor: override.department } : { tiers: prepared.policy.spend.tiers };
}

function departmentTierIndex(policy: Policy): Map<string, { department: string; tiers: SpendTier[] }> {
  const index = new Map<string, { department: string; tiers: SpendTier[] }>();
  for (const o of policy.spend.departmentOverrides) {
    const key = nameKey(o.department);
    if (!index.has(key)) index.set(key, { department: o.department, tiers: o.tiers });
  }
  return index;
}

/** A category guessed from words, with the words that pointed to it (the decision says how it knew). */
export interface InferredCategory {
  category: Category;
  keywords: string[];
  /** One single-word keyword is all that points to it: said as a weak guess. */
  weak: boolean;
}

/**
 * Category keywords (and each category's own name) indexed by their words, so
 * a product name is read once: every run of up to N words is one Map lookup.
 * Words are compared singular and without punctuation ("E-Signatures" meets
 * "e-signature"); a keyword never matches inside a word ("box" is not in "Dropbox").
 */
export class CategoryKeywordIndex {
  /** Phrase → the categories using it, each with the keyword as the policy spells it. */
  private readonly byPhrase = new Map<string, { category: Category; keyword: string }[]>();
  private readonly order = new Map<string, number>();
  private readonly longestPhrase: number;

  constructor(categories: readonly Category[]) {
    let longest = 1;
    categories.forEach((category, position) => {
      this.order.set(category.id, position);
      for (const keyword of new Set([category.name, ...category.keywords])) {
        const phrase = phraseOf(keyword);
        if (phrase.length === 0) continue;
        longest = Math.max(longest, phrase.split(' ').length);
        const holders = this.byPhrase.get(phrase) ?? [];
        if (!holders.some((h) => h.category.id === category.id)) holders.push({ category, keyword });
        this.byPhrase.set(phrase, holders);
      }
    });
    this.longestPhrase = longest;
  }

  /**
   * The category whose keywords the text mentions most (longer phrases weigh
   * more; ties go to the category listed first in the policy), or undefined.
   */
  infer(text: string): InferredCategory | undefined {
    const words = wordsOf(humanText(text)).map(singular);
    const scores = new Map<string, { category: Category; score: number; keywords: string[] }>();
    for (let start = 0; start < words.length; start++) {
      for (let length = 1; length <= this.longestPhrase && start + length <= words.length; length++) {
        const phrase = words.slice(start, start + length).join(' ');
        for (const { category, keyword } of this.byPhrase.get(phrase) ?? []) {
          const entry = scores.get(category.id) ?? { category, score: 0, keywords: [] };
          if (!entry.keywords.includes(keyword)) {
            entry.score += length;
            entry.keywords.push(keyword);
          }
          scores.set(category.id, entry);
        }
      }
    }
    const ranked = [...scores.values()].sort((a, b) => b.score - a.score || (this.order.get(a.category.id) ?? 0) - (this.order.get(b.category.id) ?? 0));
    if (ranked.length === 0) return undefined;
    return { category: ranked[0].category, keywords: ranked[0].keywords, weak: ranked[0].score <= 1 };
  }
}

/**
 * The words of a name a person wrote, without the identifiers sources put
 * where a name should be: ARNs ("arn:aws:sso::…" must not read as "sso"),
 * URLs, email addresses, UUIDs, and long tokens mixing letters and digits
 * (Okta client ids, OAuth client ids).
 */
export function humanText(text: string): string {
  return text
    .split(/\s+/)
    .filter((token) => !isIdentifier(token))
    .join(' ');
}

function isIdentifier(token: string): boolean {
  // Each test below needs a ':' or '@', or at least 12 characters: most words of a name are shorter and have neither.
  if (token.length < 12 && !token.includes(':') && !token.includes('@')) return false;
  if (/^arn:/i.test(token) || /^[a-z][a-z0-9+.-]*:\/\//i.test(token) || token.includes('@')) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token)) return true;
  if (/\.apps\.googleusercontent\.com$/i.test(token)) return true;
  // Generated ids switch between letters and digits again and again ("0oa9q2zyxWVU8tsr7q6p"); names rarely do ("Office365ProPlus").
  const core = token.replace(/[^A-Za-z0-9]/g, '');
  return core.length >= 12 && (core.match(/[A-Za-z]+|\d+/g) ?? []).length >= 5;
}

function phraseOf(text: string): string {
  return wordsOf(text).map(singular).join(' ');
}

/** Crude but symmetric: applied to keywords and text alike, so "tools" meets "tool". */
function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** Graph scopes arrive both bare (`Mail.ReadWrite`) and as resource URIs. */
const GRAPH_RESOURCE_PREFIXES = ['https://graph.microsoft.com/', 'https://graph.microsoft.us/'];

/**
 * Risky OAuth scopes: exact scopes in a Map, `*`-suffixed ones as prefixes,
 * all compared case-insensitively. Google scopes are full URLs
 * (`https://www.googleapis.com/auth/drive`); Microsoft ones are names.
 */
export class RiskyScopeMatcher {
  private readonly exact = new Map<string, RiskyScope>();
  /** Longest prefix first, so the most specific entry decides. */
  private readonly prefixes: { prefix: string; risky: RiskyScope }[] = [];

  constructor(riskyScopes: readonly RiskyScope[]) {
    for (const risky of riskyScopes) {
      const scope = risky.scope.trim().toLowerCase();
      if (scope.endsWith('*')) this.prefixes.push({ prefix: scope.slice(0, -1), risky });
      else if (!this.exact.has(scope)) this.exact.set(scope, risky);
    }
    this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** The policy entry a granted scope falls under, or undefined when it is not risky. */
  match(grantedScope: string): RiskyScope | undefined {
    for (const candidate of scopeForms(grantedScope)) {
      const exact = this.exact.get(candidate);
      if (exact) return exact;
      const byPrefix = this.prefixes.find((p) => candidate.startsWith(p.prefix));
      if (byPrefix) return byPrefix.risky;
    }
    return undefined;
  }
}

function scopeForms(scope: string): string[] {
  const lower = scope.trim().toLowerCase();
  const forms = [lower];
  for (const prefix of GRAPH_RESOURCE_PREFIXES) {
    if (lower.startsWith(prefix) && lower.length > prefix.length) forms.push(lower.slice(prefix.length));
  }
  return forms;
}
