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
 * `current()` is what the Lambdas call per event, answered by the policy cache
 * (policy-cache.ts); the items a version is made of are in policy-items.ts.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Policy } from '../../domain/policy';
import { preparePolicy, type PreparedPolicy } from '../../domain/prepared-policy';
import type { PolicySource } from '../../domain/ports/policy-source';
import type { PolicyImportResult, PolicyVersionStore } from '../../domain/ports/policy-versions';
import type { ServiceLogger } from '../../domain/ports/logger';
import { PARTITION_KEY, POLICY_POINTER_KEY, POLICY_VERSION_SK_PREFIX, SORT_KEY, policyKeys } from './tables';
import { batchWriteAll, isConditionalCheckFailed, queryAllPages } from './operations';
import { PolicyCache } from './policy-cache';
import { ConcurrentPolicyChangeError, PolicyLoadError, PolicyNotFoundError, PolicyVersionConflictError } from './policy-errors';
import {
  hashOf,
  pointerItem,
  pointerOf,
  policyOfItems,
  validated,
  versionInfoOf,
  versionItems,
  type PolicyPointer,
  type PolicyVersionInfo,
} from './policy-items';

/** Env var: seconds a warm Lambda trusts its cached policy before re-reading the pointer. */
export const POLICY_CACHE_TTL_ENV = 'POLICY_CACHE_TTL_SECONDS';
export const DEFAULT_POLICY_CACHE_TTL_SECONDS = 60;

/** What an import did (the domain's port type, named as this store's callers know it). */
export type ImportResult = PolicyImportResult;

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

export class DynamoDbPolicyStore implements PolicySource, PolicyVersionStore {
  private readonly now: () => number;
  private readonly cache: PolicyCache;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: PolicyStoreOptions = {},
  ) {
    const ttl = options.cacheTtlSeconds ?? DEFAULT_POLICY_CACHE_TTL_SECONDS;
    if (!Number.isFinite(ttl) || ttl < 0) throw new Error(`policy cache TTL must be a number of seconds ≥ 0, got ${ttl}`);
    this.now = options.now ?? Date.now;
    this.cache = new PolicyCache(
      {
        currentVersion: async () => (await this.currentPointer())?.version,
        prepare: async (version) => preparePolicy(await this.loadVersion(version)),
      },
      { ttlMs: ttl * 1000, now: this.now, logger: options.logger },
    );
  }

  /** The current policy, prepared; cached (policy-cache.ts). */
  current(): Promise<PreparedPolicy> {
    return this.cache.current();
  }

  /** Forget the cached policy: the next `current()` reads the pointer. */
  invalidate(): void {
    this.cache.invalidate();
  }

  /** The pointer item, or undefined before the first import. */
  async currentPointer(): Promise<PolicyPointer | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: policyKeys.pointer(), ConsistentRead: true }));
    return Item ? pointerOf(Item) : undefined;
  }

  /** Reads the pointer and the whole current version (no cache). */
  async loadCurrent(): Promise<Policy> {
    const pointer = await this.currentPointer();
    if (!pointer) throw new PolicyNotFoundError();
    return this.loadVersion(pointer.version);
  }

  /** Every item of one version, reassembled in the order it was imported, and validated again. */
  async loadVersion(version: string): Promise<Policy> {
    return policyOfItems(version, await this.queryAll(policyKeys.versionPartition(version)));
  }

  /** Imported versions, newest first, with the current one marked. */
  async listVersions(): Promise<PolicyVersionInfo[]> {
    const [items, pointer] = await Promise.all([this.queryAll(POLICY_POINTER_KEY.pk, POLICY_VERSION_SK_PREFIX), this.currentPointer()]);
    return items.map((i) => versionInfoOf(i, pointer?.version)).sort((a, b) => (a.importedAt < b.importedAt ? 1 : a.importedAt > b.importedAt ? -1 : 0));
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
    const expected = options.expectedCurrentVersion !== undefined ? options.expectedCurrentVersion : ((await this.currentPointer())?.version ?? null);

    const existing = await this.client.send(new GetCommand({ TableName: this.tableName, Key: policyKeys.meta(version), ConsistentRead: true }));
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
    const meta = await this.client.send(new GetCommand({ TableName: this.tableName, Key: policyKeys.meta(version), ConsistentRead: true }));
    if (!meta.Item) throw new PolicyLoadError(version, ['no such version, or its import never finished (no META item)']);
    const expected = options.expectedCurrentVersion !== undefined ? options.expectedCurrentVersion : ((await this.currentPointer())?.version ?? null);
    if (expected !== version) await this.flipPointer(version, expected);
    return expected === null ? {} : { previousVersion: expected };
  }

  private async flipPointer(version: string, expected: string | null): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: pointerItem(version, new Date(this.now()).toISOString(), expected),
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
    const { version } = policy;
    const { parts, meta, index } = versionItems(policy, contentHash, new Date(this.now()).toISOString());
    // A version without META is an unfinished import: clear its leftovers so no stale vendor survives into it.
    const leftovers = await this.queryAll(policyKeys.versionPartition(version), undefined, true);
    await this.batchWrite(leftovers.map((i) => ({ DeleteRequest: { Key: { [PARTITION_KEY]: i[PARTITION_KEY], [SORT_KEY]: i[SORT_KEY] } } })));
    await this.batchWrite(parts.map((Item) => ({ PutRequest: { Item } })));
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: meta,
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
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: index }));
    return parts.length + 1;
  }

  private batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    return batchWriteAll(this.client, this.tableName, requests, {
      concurrency: this.options.writeConcurrency,
      maxAttempts: this.options.maxBatchAttempts,
      sleep: this.options.sleep,
      describe: { items: 'policy items', remedy: 'run the import again' },
    });
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
