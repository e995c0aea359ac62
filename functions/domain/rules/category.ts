/**
 * Which capability a request or app is about. Duplicate detection and the
 * suggested alternatives hang on it, so the decision also records how it was
 * determined: a category the requester chose is firmer than a guessed one.
 */
import type { Category } from '../policy';
import type { PreparedPolicy } from '../prepared-policy';
import type { CatalogueMatch } from '../vendor-catalogue';
import { finding, quoted, type RuleFinding } from './findings';

export type CategorySource = { by: 'request' } | { by: 'catalogue'; vendorName: string } | { by: 'keywords'; keywords: string[]; text: string; weak: boolean };

export interface ResolvedCategory {
  category: Category;
  source: CategorySource;
}

export interface CategoryResolution {
  resolved?: ResolvedCategory;
  findings: RuleFinding[];
}

/**
 * The request's own category when it names one the policy knows, else the
 * matched vendor's catalogue category, else a guess from keywords in the
 * names people wrote (identifiers such as ARNs and client ids are not read).
 * An unknown explicit category is reported, not silently replaced.
 */
export function resolveCategory(prepared: PreparedPolicy, input: { explicit?: string; match?: CatalogueMatch; keywordText: string }): CategoryResolution {
  const findings: RuleFinding[] = [];
  if (input.explicit !== undefined) {
    const category = prepared.categories.get(input.explicit.trim().toLowerCase());
    if (category) return { resolved: { category, source: { by: 'request' } }, findings };
    findings.push(unknownCategoryFinding(input.explicit));
  }
  if (input.match) {
    const category = prepared.categories.get(input.match.category);
    if (category) return { resolved: { category, source: { by: 'catalogue', vendorName: input.match.name } }, findings };
  }
  const inferred = prepared.categoryKeywords.infer(input.keywordText);
  if (inferred) {
    return {
      resolved: {
        category: inferred.category,
        source: { by: 'keywords', keywords: inferred.keywords, text: input.keywordText, weak: inferred.weak },
      },
      findings,
    };
  }
  return { findings };
}

/** "category chosen in the request" / "category from the catalogue entry for Dropbox" / … */
export function describeCategorySource(source: CategorySource): string {
  switch (source.by) {
    case 'request':
      return 'category chosen in the request';
    case 'catalogue':
      return `category from the catalogue entry for ${source.vendorName}`;
    case 'keywords':
      return `category ${source.weak ? 'guessed (weakly, from one word)' : 'inferred'} from ${source.keywords.map(quoted).join(', ')} in ${quoted(source.text)}`;
  }
}

function unknownCategoryFinding(explicit: string): RuleFinding {
  return finding(
    'CATEGORY_UNKNOWN',
    'integration',
    'low',
    `The request names category ${quoted(explicit)}, which the policy does not define; the category was determined another way.`,
    `category ${quoted(explicit)} is not in the policy`,
    'Pick one of the categories IT publishes so duplicates and alternatives can be found.',
  );
}
