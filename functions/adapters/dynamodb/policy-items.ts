/**
 * A policy version as DynamoDB items: one per vendor and per category (in
 * import order, by `position`), a META item for the rest, a version-index
 * entry, and the pointer naming the current version. Mapping both ways, with
 * the checks an import and a load make.
 */
import { createHash } from 'node:crypto';
import { PolicySchema, policyConsistencyProblems, type Category, type Policy, type Vendor } from '../../domain/policy';
import { describeIssues } from '../../domain/problems';
import { stableJson } from '../../domain/stable-json';
import { InvalidPolicyError, PolicyLoadError } from './policy-errors';
import { POLICY_CATEGORY_SK_PREFIX, POLICY_META_SK, POLICY_VENDOR_SK_PREFIX, SORT_KEY, policyKeys, type TableKey } from './tables';

type Item = Record<string, unknown>;

/** DynamoDB's item limit is 400 KB; leave room for attribute-name overhead the estimate does not count. */
const MAX_ITEM_BYTES = 380 * 1024;

export interface PolicyPointer {
  version: string;
  updatedAt: string;
  previousVersion?: string;
}

export interface PolicyVersionInfo {
  version: string;
  importedAt: string;
  contentHash: string;
  vendorCount: number;
  categoryCount: number;
  description?: string;
  current: boolean;
}

/** SHA-256 of the policy with sorted keys: the same content always hashes the same, whatever the file's key order. */
export function hashOf(policy: Policy): string {
  return createHash('sha256').update(stableJson(policy)).digest('hex');
}

/** The policy as the schema and the consistency checks accept it, or every problem they find. */
export function validated(input: Policy): Policy {
  const parsed = PolicySchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidPolicyError(describeIssues(parsed.error.issues, '', '(policy)'));
  }
  const problems = policyConsistencyProblems(parsed.data);
  if (problems.length > 0) throw new InvalidPolicyError(problems);
  return parsed.data;
}

export function pointerItem(version: string, updatedAt: string, previousVersion: string | null): Item {
  return { ...policyKeys.pointer(), version, updatedAt, ...(previousVersion === null ? {} : { previousVersion }) };
}

export function pointerOf(item: Item): PolicyPointer {
  const pointer: PolicyPointer = { version: item.version as string, updatedAt: item.updatedAt as string };
  if (typeof item.previousVersion === 'string') pointer.previousVersion = item.previousVersion;
  return pointer;
}

/** A version's items: vendors and categories (each checked against the item limit), its META item and its index entry. */
export function versionItems(policy: Policy, contentHash: string, importedAt: string): { parts: Item[]; meta: Item; index: Item } {
  const { version, vendors, categories, ...rest } = policy;
  const parts = [
    ...vendors.map((vendor, position) =>
      sized({ ...policyKeys.vendor(version, vendor.id), entity: 'policy-vendor', position, vendor }, `vendors[${position}] (${vendor.id})`),
    ),
    ...categories.map((category, position) =>
      sized({ ...policyKeys.category(version, category.id), entity: 'policy-category', position, category }, `categories[${position}] (${category.id})`),
    ),
  ];
  const summary = {
    version,
    importedAt,
    contentHash,
    vendorCount: vendors.length,
    categoryCount: categories.length,
    ...(policy.description === undefined ? {} : { description: policy.description.slice(0, 500) }),
  };
  return {
    parts,
    meta: sized({ ...policyKeys.meta(version), entity: 'policy-meta', ...summary, policy: { version, ...rest } }, 'policy settings'),
    index: { ...policyKeys.versionIndex(version), entity: 'policy-version', ...summary },
  };
}

/** Every item of one version reassembled in import order, and validated again. */
export function policyOfItems(version: string, items: Item[]): Policy {
  const meta = items.find((i) => i[SORT_KEY] === POLICY_META_SK);
  if (!meta) throw new PolicyLoadError(version, ['no such version, or its import never finished (no META item)']);
  const vendors = byPosition<Vendor>(items, POLICY_VENDOR_SK_PREFIX, 'vendor');
  const categories = byPosition<Category>(items, POLICY_CATEGORY_SK_PREFIX, 'category');
  const problems: string[] = [];
  if (vendors.length !== meta.vendorCount) problems.push(`expected ${meta.vendorCount} vendors, found ${vendors.length}`);
  if (categories.length !== meta.categoryCount) problems.push(`expected ${meta.categoryCount} categories, found ${categories.length}`);
  if (problems.length > 0) throw new PolicyLoadError(version, problems);
  const parsed = PolicySchema.safeParse({ ...(meta.policy as object), vendors, categories });
  if (!parsed.success) throw new PolicyLoadError(version, describeIssues(parsed.error.issues.slice(0, 20), '', '(policy)'));
  return parsed.data;
}

export function versionInfoOf(item: Item, currentVersion: string | undefined): PolicyVersionInfo {
  const info: PolicyVersionInfo = {
    version: item.version as string,
    importedAt: item.importedAt as string,
    contentHash: item.contentHash as string,
    vendorCount: item.vendorCount as number,
    categoryCount: item.categoryCount as number,
    current: currentVersion === item.version,
  };
  if (typeof item.description === 'string') info.description = item.description;
  return info;
}

function byPosition<T>(items: Item[], skPrefix: string, field: string): T[] {
  return items
    .filter((i) => typeof i[SORT_KEY] === 'string' && (i[SORT_KEY] as string).startsWith(skPrefix))
    .sort((a, b) => (a.position as number) - (b.position as number))
    .map((i) => i[field] as T);
}

function sized(item: Item & TableKey, what: string): Item & TableKey {
  const bytes = Buffer.byteLength(JSON.stringify(item));
  if (bytes > MAX_ITEM_BYTES) {
    throw new InvalidPolicyError([`${what}: is ${Math.round(bytes / 1024)} KB stored, over DynamoDB's 400 KB item limit`]);
  }
  return item;
}
