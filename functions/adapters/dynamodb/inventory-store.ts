/**
 * The app inventory on its DynamoDB table (tables.ts, `inventoryKeys`).
 *
 * One entry item per app, written only when its facts change (a set gains a
 * member, the risk rises, lastSeen moves by a minute): a burst of thousands
 * of assignments of one app reads it and writes it once or twice. Each person
 * using the app is one usage item in one of 16 partitions (by a hash of the
 * person), created with a conditional put: redelivery adds nothing, and no
 * partition takes more than a sixteenth of a burst. The count is the usage
 * items themselves (16 parallel COUNT queries), so it cannot drift; each
 * shard's tally only hints when a spike check is worth making.
 */
import { BatchGetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  CONNECTION_FACTS,
  MAX_REVIEW_CHANGES,
  severityRank,
  type AppReview,
  type AppUser,
  type EntryFacts,
  type InventoryEntry,
  type ReviewChange,
} from '../../domain/inventory/app-inventory';
import type { AssignmentsComplete, CompleteSeatCount } from '../../domain/inventory/seat-counts';
import type { AppInventoryStore } from '../../domain/ports/app-inventory';
import { batchGetAll, batchWriteAll, putIfAbsent, queryAllPages, updateIf } from './operations';
import { INVENTORY_SHARDS, inventoryKeys } from './tables';

/** FNV-1a: a stable, even spread of people over the shards (not a security hash). */
export function shardOf(personKey: string, shards = INVENTORY_SHARDS): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < personKey.length; i++) {
    hash ^= personKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % shards;
}

const SET_FIELDS = ['departments', 'sources', 'connections', 'riskyScopes', 'requests'] as const;

export class DynamoDbAppInventory implements AppInventoryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(appKey: string): Promise<InventoryEntry | undefined> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': inventoryKeys.entry(appKey).pk, ':sk': inventoryKeys.entry(appKey).sk },
        ConsistentRead: true,
      }),
    );
    return Items?.[0] ? entryFromItem(Items[0]) : undefined;
  }

  async createIfAbsent(entry: InventoryEntry): Promise<{ created: boolean; entry: InventoryEntry }> {
    if (await putIfAbsent(this.client, this.tableName, itemOf(entry))) return { created: true, entry };
    const stored = await this.get(entry.appKey);
    if (!stored) throw new Error(`inventory entry ${entry.appKey} exists and cannot be read`);
    return { created: false, entry: stored };
  }

  async addFacts(appKey: string, facts: EntryFacts): Promise<boolean> {
    const key = inventoryKeys.entry(appKey);
    let changed = false;
    const additions = (['departments', 'sources', 'connections', 'riskyScopes'] as const).filter((f) => facts[f].length > 0);
    if (additions.length > 0) {
      // ADD to a set is idempotent: a redelivery or a concurrent writer adds nothing twice.
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `ADD ${additions.map((f) => `#${f} :${f}`).join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: Object.fromEntries(additions.map((f) => [`#${f}`, f])),
          ExpressionAttributeValues: Object.fromEntries(additions.map((f) => [`:${f}`, new Set(facts[f])])),
        }),
      );
      changed = true;
    }
    if (facts.risk) {
      changed =
        (await updateIf(this.client, {
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET highestRisk = :risk, riskRank = :rank',
          ConditionExpression: 'riskRank < :rank',
          ExpressionAttributeValues: { ':risk': facts.risk, ':rank': severityRank(facts.risk) },
        })) || changed;
    }
    if (facts.lastSeen) {
      changed =
        (await updateIf(this.client, {
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET lastSeen = :at',
          ConditionExpression: 'lastSeen < :at',
          ExpressionAttributeValues: { ':at': facts.lastSeen },
        })) || changed;
    }
    return changed;
  }

  async recordUser(appKey: string, user: AppUser): Promise<{ newUser: boolean; tally?: number }> {
    const shard = shardOf(user.personKey);
    const created = await putIfAbsent(this.client, this.tableName, { ...inventoryKeys.user(appKey, shard, user.personKey), ...user });
    if (!created) return { newUser: false };
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: inventoryKeys.tally(appKey, shard),
        UpdateExpression: 'ADD people :one',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return { newUser: true, tally: Number(Attributes?.people ?? 0) };
  }

  async countUsers(appKey: string): Promise<number> {
    const counts = await Promise.all(shards().map((shard) => this.countShard(appKey, shard)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async countShard(appKey: string, shard: number): Promise<number> {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :user)',
          ExpressionAttributeValues: { ':pk': inventoryKeys.usagePartition(appKey, shard), ':user': inventoryKeys.userSkPrefix },
          Select: 'COUNT',
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start);
    return count;
  }

  async estimateUsers(appKey: string): Promise<number> {
    const { Responses } = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: shards().map((s) => inventoryKeys.tally(appKey, s)), ProjectionExpression: 'people' } },
      }),
    );
    return (Responses?.[this.tableName] ?? []).reduce((sum, item) => sum + Number(item.people ?? 0), 0);
  }

  async listUsers(appKey: string, limit = 200): Promise<AppUser[]> {
    const pages = await Promise.all(
      shards().map((shard) =>
        queryAllPages(
          this.client,
          {
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :user)',
            ExpressionAttributeValues: { ':pk': inventoryKeys.usagePartition(appKey, shard), ':user': inventoryKeys.userSkPrefix },
          },
          limit,
        ),
      ),
    );
    return pages
      .flat()
      .map(userFromItem)
      .sort((a, b) => b.lastSeen.localeCompare(a.lastSeen) || a.personKey.localeCompare(b.personKey))
      .slice(0, limit);
  }

  async claimReview(appKey: string, review: AppReview, expected: string | undefined): Promise<boolean> {
    return updateIf(this.client, {
      TableName: this.tableName,
      Key: inventoryKeys.entry(appKey),
      UpdateExpression: 'SET review = :review REMOVE reviewChangeKeys',
      ConditionExpression: expected === undefined ? 'attribute_exists(pk) AND attribute_not_exists(review)' : 'review.recordId = :expected',
      ExpressionAttributeValues: { ':review': review, ...(expected === undefined ? {} : { ':expected': expected }) },
    });
  }

  async noteReviewChanges(appKey: string, recordId: string, changes: ReviewChange[], people?: number): Promise<boolean> {
    let noted = false;
    for (const change of changes) {
      const changeKey = `${change.kind}:${change.detail}`.slice(0, 600);
      // Each change once per review, and only on the review it was meant for.
      noted =
        (await updateIf(this.client, {
          TableName: this.tableName,
          Key: inventoryKeys.entry(appKey),
          UpdateExpression: `SET review.changes = list_append(review.changes, :change)${people === undefined ? '' : ', review.people = :people'} ADD reviewChangeKeys :keys`,
          ConditionExpression:
            'review.recordId = :rid AND size(review.changes) < :max AND (attribute_not_exists(reviewChangeKeys) OR NOT contains(reviewChangeKeys, :key))',
          ExpressionAttributeValues: {
            ':change': [change],
            ':rid': recordId,
            ':max': MAX_REVIEW_CHANGES,
            ':key': changeKey,
            ':keys': new Set([changeKey]),
            ...(people === undefined ? {} : { ':people': people }),
          },
        })) || noted;
    }
    return noted;
  }

  async linkRequest(seed: InventoryEntry, recordId: string): Promise<void> {
    await this.createIfAbsent(seed);
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: inventoryKeys.entry(seed.appKey),
        UpdateExpression: 'ADD requests :request',
        ExpressionAttributeValues: { ':request': new Set([recordId]) },
      }),
    );
  }

  async list(): Promise<InventoryEntry[]> {
    const items = await queryAllPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :app)',
      ExpressionAttributeValues: { ':pk': inventoryKeys.entryPartition(), ':app': inventoryKeys.entrySkPrefix },
    });
    return items.map(entryFromItem);
  }

  async replaceUsers(appKey: string, users: readonly AppUser[]): Promise<{ added: number; removed: number; kept: number }> {
    const stored = await Promise.all(
      shards().map((shard) =>
        queryAllPages(this.client, {
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :user)',
          ExpressionAttributeValues: { ':pk': inventoryKeys.usagePartition(appKey, shard), ':user': inventoryKeys.userSkPrefix },
          ProjectionExpression: 'personKey',
        }),
      ),
    );
    const present = new Set(stored.flat().map((item) => String(item.personKey)));
    const wanted = new Set(users.map((u) => u.personKey));
    // People already counted keep their item (first seen, the event that showed them); only the difference is written.
    const puts = users
      .filter((u) => !present.has(u.personKey))
      .map((u) => ({ PutRequest: { Item: { ...inventoryKeys.user(appKey, shardOf(u.personKey), u.personKey), ...u } } }));
    const deletes = [...present].filter((key) => !wanted.has(key)).map((key) => ({ DeleteRequest: { Key: inventoryKeys.user(appKey, shardOf(key), key) } }));
    await batchWriteAll(this.client, this.tableName, [...puts, ...deletes], {
      describe: { items: 'assignment items', remedy: 'run the import again (it writes only what is still missing)' },
    });
    // The tallies become exact again: the import's count is what later assignments add to.
    await Promise.all(
      shards().map(async (shard) =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: inventoryKeys.tally(appKey, shard),
            UpdateExpression: 'SET people = :count',
            ExpressionAttributeValues: { ':count': await this.countShard(appKey, shard) },
          }),
        ),
      ),
    );
    return { added: puts.length, removed: deletes.length, kept: users.length - puts.length };
  }

  async markAssignmentsComplete(appKey: string, complete: AssignmentsComplete, vendorId?: string): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: inventoryKeys.entry(appKey),
        UpdateExpression: 'SET assignmentsComplete = :complete',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':complete': complete },
      }),
    );
    if (vendorId)
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...inventoryKeys.seatCount(appKey), appKey, vendorId, complete } }));
  }

  async completeSeatCounts(): Promise<CompleteSeatCount[]> {
    const marks = await queryAllPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': inventoryKeys.seatCountPartition() },
    });
    if (marks.length === 0) return [];
    // Seats used = the shards' tallies (exact at the import, +1 per person assigned since): 16 small items per app.
    const keys = marks.flatMap((m) => shards().map((s) => inventoryKeys.tally(String(m.appKey), s)));
    const used = new Map<string, number>();
    const tallies = await batchGetAll(this.client, this.tableName, keys as unknown as Record<string, unknown>[], {
      projection: 'pk, people',
      maxAttempts: 5,
      describe: { items: 'seat tallies', remedy: 'the next refresh tries again' },
    });
    for (const item of tallies) {
      const appKey = String(item.pk)
        .replace(/^USAGE#/, '')
        .replace(/#S\d+$/, '');
      used.set(appKey, (used.get(appKey) ?? 0) + Number(item.people ?? 0));
    }
    return marks.map((m) => ({
      vendorId: String(m.vendorId),
      appKey: String(m.appKey),
      used: used.get(String(m.appKey)) ?? 0,
      complete: m.complete as AssignmentsComplete,
    }));
  }
}

function shards(): number[] {
  return Array.from({ length: INVENTORY_SHARDS }, (_, i) => i);
}

function itemOf(entry: InventoryEntry): Record<string, unknown> {
  const item: Record<string, unknown> = { ...inventoryKeys.entry(entry.appKey), ...entry, riskRank: severityRank(entry.highestRisk) };
  // DynamoDB sets (so ADD is idempotent) cannot be empty: an empty one is left out.
  for (const field of SET_FIELDS) {
    const values = entry[field];
    if (values.length > 0) item[field] = new Set(values);
    else delete item[field];
  }
  return item;
}

function entryFromItem(item: Record<string, unknown>): InventoryEntry {
  const { pk: _pk, sk: _sk, riskRank: _rank, reviewChangeKeys: _keys, ...rest } = item;
  const entry = rest as unknown as InventoryEntry;
  const list = (value: unknown): string[] => (value instanceof Set ? [...(value as Set<string>)] : Array.isArray(value) ? (value as string[]) : []).sort();
  const connections = list(item.connections);
  return {
    ...entry,
    departments: list(item.departments),
    sources: list(item.sources),
    connections: CONNECTION_FACTS.filter((c) => connections.includes(c)),
    riskyScopes: list(item.riskyScopes),
    requests: list(item.requests),
  };
}

function userFromItem(item: Record<string, unknown>): AppUser {
  const { pk: _pk, sk: _sk, ...user } = item;
  return user as unknown as AppUser;
}
