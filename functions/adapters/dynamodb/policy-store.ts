/**
 * The policy in DynamoDB, versioned. One item per vendor and per category plus
 * a META item for the rest, so a catalogue of ten thousand vendors never meets
 * the 400 KB item limit; a pointer item names the current version.
 *
 * An import writes every item of the new version first and flips the pointer
 * last, with a conditional write on the version it expects to replace: a
 * reader sees the old version or the new one, never half of one, and two
 * operators importing at once cannot silently overwrite each other. Versions
 * are immutable: re-importing one with different content is refused, so the
 * version a decision recorded always means the same rules.
 *
 * `current()` is what the Lambdas call per event: it answers from memory while
 * the cache is fresh, then re-reads only the small pointer item and reloads the
 * catalogue only when the version changed.
 */
import { createHash } from 'node:crypto';
import { BatchWriteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PolicySchema, policyConsistencyProblems } from '../../domain/policy';
import type { Category, Policy, Vendor } from '../../domain/policy';
import { preparePolicy } from '../../domain/prepared-policy';
import type { PreparedPolicy } from '../../domain/prepared-policy';
import type { PolicySource } from '../../domain/ports/policy-source';
import type { ServiceLogger } from '../../domain/ports/logger';
import { errorMessage } from '../../domain/errors';
import { describeIssues } from '../../domain/problems';
import {
  PARTITION_KEY,
  POLICY_CATEGORY_SK_PREFIX,
  POLICY_META_SK,
  POLICY_POINTER_KEY,
  POLICY_VENDOR_SK_PREFIX,
  POLICY_VERSION_SK_PREFIX,
  SORT_KEY,
  policyKeys,
} from './tables';
import type { TableKey } from './tables';
import { isConditionalCheckFailed, queryAllPages } from './operations';

/** Env var: seconds a warm Lambda trusts its cached policy before re-reading the pointer. */
export const POLICY_CACHE_TTL_ENV = 'POLICY_CACHE_TTL_SECONDS';
export const DEFAULT_POLICY_CACHE_TTL_SECONDS = 60;

/** DynamoDB's item limit is 400 KB; leave room for attribute-name overhead the estimate does not count. */
const MAX_ITEM_BYTES = 380 * 1024;
const BATCH_SIZE = 25;

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

export interface ImportResult {
  version: string;
  /** The version the pointer named before (undefined for the first import). */
  previousVersion?: string;
  /** False when this exact version was already stored: nothing was written for it. */
  written: boolean;
  /** Items written for the version (vendors + categories + meta). */
  itemsWritten: number;
  /** The pointer now names this version (false when `activate: false` or it already did). */
  activated: boolean;
  contentHash: string;
}

export interface ImportOptions {
  /** Flip the pointer to the new version (default true). False stores it for a later `activateVersion`. */
  activate?: boolean;
  /**
   * The version the caller believes is current (null: none yet). The flip fails
   * if another import changed it meanwhile. Defaults to whatever is current when
   * the import starts.
   */
  expectedCurrentVersion?: string | null;
}

export interface PolicyStoreOptions {
  cacheTtlSeconds?: number;
  /** Milliseconds clock for the cache (tests move it). */
  now?: () => number;
  logger?: ServiceLogger;
  /** BatchWrite calls in flight at once during an import. */
  writeConcurrency?: number;
  /** Attempts per batch before unprocessed items fail the import. */
  maxBatchAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

export class PolicyNotFoundError extends Error {
  constructor(message = 'no current policy: import one (for example policy/default.yaml) before sending events') {
    super(message);
    this.name = 'PolicyNotFoundError';
  }
}

/** The version already exists with other content: versions are immutable, so the import needs a new version. */
export class PolicyVersionConflictError extends Error {
  constructor(readonly version: string) {
    super(`policy version "${version}" already exists with different content; give the changed policy a new version`);
    this.name = 'PolicyVersionConflictError';
  }
}

/** Someone else moved the pointer between reading it and flipping it. */
export class ConcurrentPolicyChangeError extends Error {
  constructor(readonly expected: string | null, readonly attempted: string) {
    super(
      `the current policy is no longer ${expected === null ? '(none)' : `"${expected}"`}: another import or activation ran meanwhile; ` +
        `"${attempted}" was stored but not activated; check the current version and activate it again if still wanted`,
    );
    this.name = 'ConcurrentPolicyChangeError';
  }
}

/** Stored items do not add up to a valid policy (edited by hand, or an import that never finished). */
export class PolicyLoadError extends Error {
  constructor(readonly version: string, readonly problems: string[]) {
    super(`policy version "${version}" cannot be loaded: ${problems.join('; ')}`);
    this.name = 'PolicyLoadError';
  }
}

export class InvalidPolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`policy is not valid:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidPolicyError';
  }
}

interface CacheEntry {
  version: string;
  prepared: PreparedPolicy;
  checkedAt: number;
}

export class DynamoDbPolicyStore implements PolicySource {
  private readonly ttlMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private cache?: CacheEntry;
  private refreshing?: Promise<PreparedPolicy>;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: PolicyStoreOptions = {},
  ) {
    const ttl = options.cacheTtlSeconds ?? DEFAULT_POLICY_CACHE_TTL_SECONDS;
    if (!Number.isFinite(ttl) || ttl < 0) throw new Error(`policy cache TTL must be a number of seconds ≥ 0, got ${ttl}`);
    this.ttlMs = ttl * 1000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * The current policy, prepared. Fresh cache: no reads. Stale cache: one
   * GetItem for the pointer, and a reload only when the version moved.
   * Concurrent callers share one refresh.
   */
  async current(): Promise<PreparedPolicy> {
    if (this.cache && this.now() - this.cache.checkedAt < this.ttlMs) return this.cache.prepared;
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Forget the cached policy: the next `current()` reads the pointer. */
  invalidate(): void {
    this.cache = undefined;
  }

  private async refresh(): Promise<PreparedPolicy> {
    const stale = this.cache;
    let pointer: PolicyPointer | undefined;
    try {
      pointer = await this.currentPointer();
    } catch (error) {
      if (!stale) throw error;
      // Keep deciding with the policy we have rather than failing every event; the next call tries again.
      this.options.logger?.warn('Could not read the policy pointer; using the cached policy', {
        version: stale.version,
        error: errorMessage(error),
      });
      return stale.prepared;
    }
    if (!pointer) throw new PolicyNotFoundError();
    if (stale && stale.version === pointer.version) {
      stale.checkedAt = this.now();
      return stale.prepared;
    }
    const prepared = preparePolicy(await this.loadVersion(pointer.version));
    this.cache = { version: pointer.version, prepared, checkedAt: this.now() };
    if (stale) this.options.logger?.info('Policy version changed', { from: stale.version, to: pointer.version });
    return prepared;
  }

  /** The pointer item, or undefined before the first import. */
  async currentPointer(): Promise<PolicyPointer | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: policyKeys.pointer(), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const pointer: PolicyPointer = { version: Item.version as string, updatedAt: Item.updatedAt as string };
    if (typeof Item.previousVersion === 'string') pointer.previousVersion = Item.previousVersion;
    return pointer;
  }

  /** Reads the pointer and the whole current version (no cache). */
  async loadCurrent(): Promise<Policy> {
    const pointer = await this.currentPointer();
    if (!pointer) throw new PolicyNotFoundError();
    return this.loadVersion(pointer.version);
  }

  /** Every item of one version, reassembled in the order it was imported, and validated again. */
  async loadVersion(version: string): Promise<Policy> {
    const items = await this.queryAll(policyKeys.versionPartition(version));
    const meta = items.find((i) => i[SORT_KEY] === POLICY_META_SK);
    if (!meta) throw new PolicyLoadError(version, ['no such version, or its import never finished (no META item)']);
    const vendors = byPosition<Vendor>(items, POLICY_VENDOR_SK_PREFIX, 'vendor');
    const categories = byPosition<Category>(items, POLICY_CATEGORY_SK_PREFIX, 'category');
    const problems: string[] = [];
    if (vendors.length !== meta.vendorCount) problems.push(`expected ${meta.vendorCount} vendors, found ${vendors.length}`);
    if (categories.length !== meta.categoryCount) {
      problems.push(`expected ${meta.categoryCount} categories, found ${categories.length}`);
    }
    if (problems.length > 0) throw new PolicyLoadError(version, problems);
    const parsed = PolicySchema.safeParse({ ...(meta.policy as object), vendors, categories });
    if (!parsed.success) {
      throw new PolicyLoadError(
        version,
        describeIssues(parsed.error.issues.slice(0, 20), '', '(policy)'),
      );
    }
    return parsed.data;
  }

  /** Imported versions, newest first, with the current one marked. */
  async listVersions(): Promise<PolicyVersionInfo[]> {
    const [items, pointer] = await Promise.all([
      this.queryAll(POLICY_POINTER_KEY.pk, POLICY_VERSION_SK_PREFIX),
      this.currentPointer(),
    ]);
    return items
      .map((i) => {
        const info: PolicyVersionInfo = {
          version: i.version as string,
          importedAt: i.importedAt as string,
          contentHash: i.contentHash as string,
          vendorCount: i.vendorCount as number,
          categoryCount: i.categoryCount as number,
          current: pointer?.version === i.version,
        };
        if (typeof i.description === 'string') info.description = i.description;
        return info;
      })
      .sort((a, b) => (a.importedAt < b.importedAt ? 1 : a.importedAt > b.importedAt ? -1 : 0));
  }

  /**
   * Stores a policy as a new immutable version and (by default) makes it
   * current. Re-importing identical content is a no-op for the items, so a
   * crashed or repeated import can simply be run again.
   */
  async importPolicy(input: Policy, options: ImportOptions = {}): Promise<ImportResult> {
    const policy = validated(input);
    const { version } = policy;
    const contentHash = hashOf(policy);
    const expected =
      options.expectedCurrentVersion !== undefined
        ? options.expectedCurrentVersion
        : ((await this.currentPointer())?.version ?? null);

    const existing = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: policyKeys.meta(version), ConsistentRead: true }),
    );
    let itemsWritten = 0;
    if (existing.Item) {
      if (existing.Item.contentHash !== contentHash) throw new PolicyVersionConflictError(version);
    } else {
      itemsWritten = await this.writeVersion(policy, contentHash);
    }

    let activated = false;
    if ((options.activate ?? true) && expected !== version) {
      await this.flipPointer(version, expected);
      activated = true;
    }
    const result: ImportResult = { version, written: !existing.Item, itemsWritten, activated, contentHash };
    if (expected !== null) result.previousVersion = expected;
    return result;
  }

  /** Makes an already-imported version current (a rollback is just this with an older version). */
  async activateVersion(version: string, options: { expectedCurrentVersion?: string | null } = {}): Promise<{ previousVersion?: string }> {
    const meta = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: policyKeys.meta(version), ConsistentRead: true }),
    );
    if (!meta.Item) throw new PolicyLoadError(version, ['no such version, or its import never finished (no META item)']);
    const expected =
      options.expectedCurrentVersion !== undefined
        ? options.expectedCurrentVersion
        : ((await this.currentPointer())?.version ?? null);
    if (expected !== version) await this.flipPointer(version, expected);
    return expected === null ? {} : { previousVersion: expected };
  }

  private async flipPointer(version: string, expected: string | null): Promise<void> {
    const item: Record<string, unknown> = { ...policyKeys.pointer(), version, updatedAt: new Date(this.now()).toISOString() };
    if (expected !== null) item.previousVersion = expected;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ...(expected === null
            ? { ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': PARTITION_KEY } }
            : {
                ConditionExpression: '#v = :expected',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':expected': expected },
              }),
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        throw new ConcurrentPolicyChangeError(expected, version);
      }
      throw error;
    }
    this.invalidate();
  }

  /** Vendors and categories first, META (the "version is complete" mark) last, then the index entry. */
  private async writeVersion(policy: Policy, contentHash: string): Promise<number> {
    const { version, vendors, categories, ...rest } = policy;
    // A version without META is an unfinished import: clear its leftovers so no stale vendor survives into it.
    const leftovers = await this.queryAll(policyKeys.versionPartition(version), undefined, true);
    await this.batchWrite(
      leftovers.map((i) => ({ DeleteRequest: { Key: { [PARTITION_KEY]: i[PARTITION_KEY], [SORT_KEY]: i[SORT_KEY] } } })),
    );

    const importedAt = new Date(this.now()).toISOString();
    const puts: Record<string, unknown>[] = [
      ...vendors.map((vendor, position) =>
        sized({ ...policyKeys.vendor(version, vendor.id), entity: 'policy-vendor', position, vendor }, `vendors[${position}] (${vendor.id})`),
      ),
      ...categories.map((category, position) =>
        sized(
          { ...policyKeys.category(version, category.id), entity: 'policy-category', position, category },
          `categories[${position}] (${category.id})`,
        ),
      ),
    ];
    await this.batchWrite(puts.map((Item) => ({ PutRequest: { Item } })));

    const summary = {
      version,
      importedAt,
      contentHash,
      vendorCount: vendors.length,
      categoryCount: categories.length,
      ...(policy.description === undefined ? {} : { description: policy.description.slice(0, 500) }),
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: sized({ ...policyKeys.meta(version), entity: 'policy-meta', ...summary, policy: { version, ...rest } }, 'policy settings'),
          // Two imports of one version racing: the second must not replace the first's META with other content.
          ConditionExpression: 'attribute_not_exists(#pk) OR #h = :hash',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#h': 'contentHash' },
          ExpressionAttributeValues: { ':hash': contentHash },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new PolicyVersionConflictError(version);
      throw error;
    }
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: { ...policyKeys.versionIndex(version), entity: 'policy-version', ...summary } }),
    );
    return puts.length + 1;
  }

  /** BatchWriteItem in chunks of 25, a few in flight, unprocessed items retried with backoff. */
  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < requests.length; i += BATCH_SIZE) chunks.push(requests.slice(i, i + BATCH_SIZE));
    const concurrency = Math.max(1, this.options.writeConcurrency ?? 4);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length) await this.writeChunk(chunks[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, worker));
  }

  private async writeChunk(chunk: Record<string, unknown>[]): Promise<void> {
    const maxAttempts = this.options.maxBatchAttempts ?? 8;
    let pending = chunk;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const { UnprocessedItems } = await this.client.send(
        // The document client's request type is a union per operation; each entry here is one Put or Delete request.
        new BatchWriteCommand({ RequestItems: { [this.tableName]: pending as never } }),
      );
      pending = (UnprocessedItems?.[this.tableName] ?? []) as Record<string, unknown>[];
      if (pending.length === 0) return;
      if (attempt >= maxAttempts) {
        throw new Error(`DynamoDB left ${pending.length} policy items unprocessed after ${attempt} attempts; run the import again`);
      }
      // Unprocessed items mean throttling: back off exponentially, with jitter so parallel chunks spread out.
      await this.sleep(Math.min(2000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }

  private queryAll(pk: string, skPrefix?: string, keysOnly = false): Promise<Record<string, unknown>[]> {
    return queryAllPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: skPrefix ? '#pk = :pk AND begins_with(#sk, :prefix)' : '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, ...(skPrefix || keysOnly ? { '#sk': SORT_KEY } : {}) },
      ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':prefix': skPrefix } : {}) },
      ...(keysOnly ? { ProjectionExpression: '#pk, #sk' } : {}),
      // Items written just before a pointer flip must be visible to the reader that follows it.
      ConsistentRead: true,
    });
  }
}

/** The cache TTL from the environment, with a clear error for a value that is not a number. */
export function policyCacheTtlFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[POLICY_CACHE_TTL_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_POLICY_CACHE_TTL_SECONDS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new Error(`${POLICY_CACHE_TTL_ENV} must be a number of seconds ≥ 0, got "${raw}"`);
  }
  return seconds;
}

function validated(input: Policy): Policy {
  const parsed = PolicySchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidPolicyError(describeIssues(parsed.error.issues, '', '(policy)'));
  }
  const problems = policyConsistencyProblems(parsed.data);
  if (problems.length > 0) throw new InvalidPolicyError(problems);
  return parsed.data;
}

function byPosition<T>(items: Record<string, unknown>[], skPrefix: string, field: string): T[] {
  return items
    .filter((i) => typeof i[SORT_KEY] === 'string' && (i[SORT_KEY] as string).startsWith(skPrefix))
    .sort((a, b) => (a.position as number) - (b.position as number))
    .map((i) => i[field] as T);
}

function sized(item: Record<string, unknown> & TableKey, what: string): Record<string, unknown> & TableKey {
  const bytes = Buffer.byteLength(JSON.stringify(item));
  if (bytes > MAX_ITEM_BYTES) {
    throw new InvalidPolicyError([`${what}: is ${Math.round(bytes / 1024)} KB stored, over DynamoDB's 400 KB item limit`]);
  }
  return item;
}

/** SHA-256 of the policy with sorted keys: the same content always hashes the same, whatever the file's key order. */
export function hashOf(policy: Policy): string {
  const canonical = JSON.stringify(policy, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('hex');
}
