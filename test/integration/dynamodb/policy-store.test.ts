/**
 * The versioned policy store against a real DynamoDB API (dynalite): import,
 * immutability of versions, the conditional pointer flip, the cache that lets
 * a warm Lambda decide without reading anything, and a catalogue far larger
 * than one DynamoDB item could hold.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbPolicyStore, policyCacheTtlFromEnv } from '../../../functions/adapters/dynamodb/policy-store';
import {
  ConcurrentPolicyChangeError,
  InvalidPolicyError,
  PolicyLoadError,
  PolicyNotFoundError,
  PolicyVersionConflictError,
} from '../../../functions/adapters/dynamodb/policy-errors';
import { hashOf } from '../../../functions/adapters/dynamodb/policy-items';
import { policyKeys } from '../../../functions/adapters/dynamodb/tables';
import type { Policy, Vendor } from '../../../functions/domain/policy';
import { defaultPolicy } from '../../support/fixtures';
import { recordDynamoDbCalls, startTestDynamo } from '../../support/dynalite';
import type { TestDynamo } from '../../support/dynalite';

let dynamo: TestDynamo;
let table: string;

beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(async () => {
  await dynamo.teardown();
});
beforeEach(async () => {
  table = (await dynamo.freshTables()).policy;
});

function withVersion(version: string, change?: (p: Policy) => void): Policy {
  const policy = defaultPolicy();
  policy.version = version;
  change?.(policy);
  return policy;
}

/** A store with its own client (so its DynamoDB calls can be counted) and a clock the test moves. */
function storeWithClock(ttlSeconds = 60): { store: DynamoDbPolicyStore; calls: string[]; tick(ms: number): void; client: DynamoDBDocumentClient } {
  const client = dynamo.newDocumentClient();
  const recorder = recordDynamoDbCalls(client);
  let now = Date.parse('2026-11-27T12:00:00Z');
  const store = new DynamoDbPolicyStore(client, table, { cacheTtlSeconds: ttlSeconds, now: () => now });
  return { store, calls: recorder.calls, tick: (ms) => (now += ms), client };
}

describe('DynamoDbPolicyStore: import and load', () => {
  it('round-trips the default policy exactly, vendors in their original order', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    const policy = defaultPolicy();
    const result = await store.importPolicy(policy);
    expect(result).toMatchObject({ version: policy.version, written: true, activated: true, contentHash: hashOf(policy) });
    expect(result.previousVersion).toBeUndefined();
    expect(result.itemsWritten).toBe(policy.vendors.length + policy.categories.length + 1);

    const loaded = await store.loadCurrent();
    expect(loaded).toEqual(policy);
    expect(loaded.vendors.map((v) => v.id)).toEqual(policy.vendors.map((v) => v.id));
  });

  it('stores one item per vendor and category under the version, and a pointer naming it', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    const policy = defaultPolicy();
    await store.importPolicy(policy);
    const pointer = await dynamo.documents.send(new GetCommand({ TableName: table, Key: policyKeys.pointer() }));
    expect(pointer.Item).toMatchObject({ version: policy.version });
    const vendorItem = await dynamo.documents.send(new GetCommand({ TableName: table, Key: policyKeys.vendor(policy.version, policy.vendors[0].id) }));
    expect(vendorItem.Item?.vendor).toEqual(policy.vendors[0]);
    const meta = await dynamo.documents.send(new GetCommand({ TableName: table, Key: policyKeys.meta(policy.version) }));
    expect(meta.Item?.policy.vendors).toBeUndefined();
    expect(meta.Item?.vendorCount).toBe(policy.vendors.length);
  });

  it('says clearly when no policy has been imported yet', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    await expect(store.current()).rejects.toBeInstanceOf(PolicyNotFoundError);
    await expect(store.loadCurrent()).rejects.toThrow(/no current policy/);
  });

  it('refuses a policy that breaks the schema or its own cross-references, before writing anything', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    const broken = withVersion('broken.1', (p) => {
      p.vendors[0].category = 'no-such-category';
    });
    await expect(store.importPolicy(broken)).rejects.toThrow(InvalidPolicyError);
    await expect(store.importPolicy(broken)).rejects.toThrow(/vendors\[0\]\.category: "no-such-category" is not a category id/);
    const items = await dynamo.documents.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'POLICY#broken.1' } }),
    );
    expect(items.Items).toEqual([]);
  });
});

describe('DynamoDbPolicyStore: versions', () => {
  it('flips the pointer to a new version, records the previous one, and lists both', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    await store.importPolicy(withVersion('2026-11-27.1'));
    const second = await store.importPolicy(
      withVersion('2026-11-28.1', (p) => {
        p.contracts.maxTermMonths = 24;
      }),
    );
    expect(second).toMatchObject({ version: '2026-11-28.1', previousVersion: '2026-11-27.1', activated: true });
    expect((await store.loadCurrent()).contracts.maxTermMonths).toBe(24);
    expect(await store.currentPointer()).toMatchObject({ version: '2026-11-28.1', previousVersion: '2026-11-27.1' });

    const versions = await store.listVersions();
    expect(versions.map((v) => [v.version, v.current])).toEqual(
      expect.arrayContaining([
        ['2026-11-27.1', false],
        ['2026-11-28.1', true],
      ]),
    );
    expect(versions.every((v) => v.vendorCount === defaultPolicy().vendors.length)).toBe(true);
  });

  it('is idempotent for identical content: a repeated import writes nothing and keeps the pointer', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    await store.importPolicy(withVersion('v1'));
    const again = await store.importPolicy(withVersion('v1'));
    expect(again).toMatchObject({ written: false, itemsWritten: 0, activated: false, previousVersion: 'v1' });
  });

  it('treats a version as immutable: the same version with other content is refused', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    await store.importPolicy(withVersion('v1'));
    const changed = withVersion('v1', (p) => {
      p.vendors[0].status = 'prohibited';
    });
    await expect(store.importPolicy(changed)).rejects.toBeInstanceOf(PolicyVersionConflictError);
    expect((await store.loadCurrent()).vendors[0].status).toBe(defaultPolicy().vendors[0].status);
  });

  it('does not flip the pointer when someone else changed it since the import began', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    await store.importPolicy(withVersion('v1'));
    await store.importPolicy(withVersion('v2'));
    // This operator still believes v1 is current.
    await expect(store.importPolicy(withVersion('v3'), { expectedCurrentVersion: 'v1' })).rejects.toBeInstanceOf(ConcurrentPolicyChangeError);
    expect((await store.currentPointer())?.version).toBe('v2');
    // The version was stored, and can be activated deliberately.
    await store.activateVersion('v3', { expectedCurrentVersion: 'v2' });
    expect((await store.currentPointer())?.version).toBe('v3');
  });

  it('refuses a first import when a pointer appeared meanwhile', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    await store.importPolicy(withVersion('v1'));
    await expect(store.importPolicy(withVersion('v2'), { expectedCurrentVersion: null })).rejects.toThrow(/no longer \(none\)/);
  });

  it('can store a version without activating it, and roll back to an older one', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    await store.importPolicy(withVersion('v1'));
    const staged = await store.importPolicy(withVersion('v2'), { activate: false });
    expect(staged.activated).toBe(false);
    expect((await store.currentPointer())?.version).toBe('v1');
    await store.activateVersion('v2');
    expect(await store.activateVersion('v1')).toEqual({ previousVersion: 'v2' });
    expect((await store.loadCurrent()).version).toBe('v1');
    await expect(store.activateVersion('never-imported')).rejects.toBeInstanceOf(PolicyLoadError);
  });

  it('never lets a reader see a half-written version: the pointer moves only after every item is in', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    await store.importPolicy(withVersion('v1'));
    const reader = new DynamoDbPolicyStore(dynamo.newDocumentClient(), table, { cacheTtlSeconds: 0 });
    const big = withVersion('v2', (p) => {
      p.vendors.push(...syntheticVendors(600, p.categories[0].id));
    });
    const importing = store.importPolicy(big);
    const seen: number[] = [];
    // Poll while the import runs: every version seen must be complete.
    while (!(await Promise.race([importing.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 5))]))) {
      const current = await reader.current();
      seen.push(current.policy.vendors.length);
      expect([defaultPolicy().vendors.length, big.vendors.length]).toContain(current.policy.vendors.length);
    }
    await importing;
    expect((await reader.current()).policy.vendors.length).toBe(big.vendors.length);
    expect(seen.length).toBeGreaterThan(0);
  });

  it('cleans the leftovers of an import that died before finishing, so no stale vendor survives', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    // A crashed earlier attempt left a vendor item for v1 but no META.
    await dynamo.documents.send(
      new PutCommand({
        TableName: table,
        Item: { ...policyKeys.vendor('v1', 'ghost'), position: 0, vendor: { id: 'ghost' } },
      }),
    );
    await store.importPolicy(withVersion('v1'));
    const loaded = await store.loadCurrent();
    expect(loaded.vendors.find((v) => v.id === 'ghost')).toBeUndefined();
    expect(loaded).toEqual(withVersion('v1'));
  });

  it('reports a version whose items were tampered with instead of deciding with it', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    const policy = withVersion('v1');
    await store.importPolicy(policy);
    await dynamo.documents.send(
      new PutCommand({
        TableName: table,
        Item: { ...policyKeys.vendor('v1', policy.vendors[0].id), position: 0, vendor: { ...policy.vendors[0], status: 'banana' } },
      }),
    );
    await expect(store.loadCurrent()).rejects.toThrow(/policy version "v1" cannot be loaded: vendors\[0\]\.status/);
  });
});

describe('DynamoDbPolicyStore: cache', () => {
  it('reads nothing on a warm call, only the pointer after the TTL, and reloads only when the version changed', async () => {
    await new DynamoDbPolicyStore(dynamo.documents, table).importPolicy(withVersion('v1'));
    const { store, calls, tick } = storeWithClock(60);

    const cold = await store.current();
    expect(cold.policy.version).toBe('v1');
    expect(calls).toEqual(['GetItemCommand', 'QueryCommand']);

    calls.length = 0;
    for (let i = 0; i < 5; i++) expect(await store.current()).toBe(cold);
    expect(calls).toEqual([]);

    tick(61_000);
    expect(await store.current()).toBe(cold); // same object: nothing reloaded
    expect(calls).toEqual(['GetItemCommand']);

    calls.length = 0;
    await new DynamoDbPolicyStore(dynamo.documents, table).importPolicy(withVersion('v2'));
    tick(30_000);
    expect((await store.current()).policy.version).toBe('v1'); // still within the TTL of the last check
    expect(calls).toEqual([]);
    tick(31_000);
    expect((await store.current()).policy.version).toBe('v2');
    expect(calls).toEqual(['GetItemCommand', 'QueryCommand']);
  });

  it('shares one load between concurrent cold callers', async () => {
    await new DynamoDbPolicyStore(dynamo.documents, table).importPolicy(withVersion('v1'));
    const { store, calls } = storeWithClock(60);
    const results = await Promise.all(Array.from({ length: 10 }, () => store.current()));
    expect(new Set(results).size).toBe(1);
    expect(calls).toEqual(['GetItemCommand', 'QueryCommand']);
  });

  it('keeps deciding with the cached policy when the pointer cannot be read', async () => {
    await new DynamoDbPolicyStore(dynamo.documents, table).importPolicy(withVersion('v1'));
    const { store, tick, client } = storeWithClock(60);
    const warm = await store.current();
    tick(61_000);
    client.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('service unavailable'), { name: 'ServiceUnavailable' });
      },
      { step: 'initialize', name: 'failEverything' },
    );
    expect(await store.current()).toBe(warm);
  });

  it('reads the TTL from POLICY_CACHE_TTL_SECONDS and rejects nonsense', () => {
    expect(policyCacheTtlFromEnv({})).toBe(60);
    expect(policyCacheTtlFromEnv({ POLICY_CACHE_TTL_SECONDS: '5' })).toBe(5);
    expect(() => policyCacheTtlFromEnv({ POLICY_CACHE_TTL_SECONDS: 'soon' })).toThrow(/POLICY_CACHE_TTL_SECONDS must be a number/);
  });
});

describe('DynamoDbPolicyStore: large catalogues', () => {
  it('round-trips 2,500 vendors (far beyond one 400 KB item) through paginated queries', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    const policy = withVersion('big.1', (p) => {
      p.vendors.push(...syntheticVendors(2500, p.categories[0].id));
    });
    expect(Buffer.byteLength(JSON.stringify(policy))).toBeGreaterThan(400 * 1024);
    const result = await store.importPolicy(policy);
    expect(result.itemsWritten).toBe(policy.vendors.length + policy.categories.length + 1);
    const prepared = await store.current();
    expect(prepared.policy).toEqual(policy);
    const match = prepared.catalogue.match('Synthetic Vendor 2499');
    expect(match?.vendorId).toBe('synthetic-2499');
  });

  it('names the vendor whose entry alone is over the item limit', async () => {
    const store = new DynamoDbPolicyStore(dynamo.documents, table);
    const policy = withVersion('huge.1', (p) => {
      p.vendors[3].aliases = Array.from({ length: 2200 }, (_, i) => `alias ${i} `.padEnd(190, 'x'));
    });
    await expect(store.importPolicy(policy)).rejects.toThrow(
      new RegExp(`vendors\\[3\\] \\(${policy.vendors[3].id}\\): is \\d+ KB stored, over DynamoDB's 400 KB item limit`),
    );
  });
});

function syntheticVendors(count: number, category: string): Vendor[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `synthetic-${i}`,
    name: `Synthetic Vendor ${i}`,
    aliases: [`SynthCo ${i}`, `Synthetic ${i} Cloud`],
    domains: [`synthetic-${i}.example.com`],
    category,
    status: 'tolerated',
    securityReview: { status: 'approved', completedOn: '2026-01-01', expiresOn: '2027-12-31' },
    dpaSigned: true,
    ssoSupported: i % 2 === 0,
    scimSupported: false,
    approvedDataClassification: 'internal',
    agreement: { type: 'team', seats: 10, seatsUsed: 5, renewalDate: '2027-06-30', owner: 'owner@example.com' },
    notes: 'Synthetic catalogue entry used to exercise pagination and item sizing. '.repeat(3),
  }));
}
