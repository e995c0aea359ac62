/**
 * An item's size as DynamoDB counts it for capacity units, from the rules in
 * the DynamoDB developer guide ("Item sizes and formats"): attribute names
 * count, strings are UTF-8 bytes, a number is about one byte per two
 * significant digits plus one, booleans and nulls one byte, and a list or map
 * costs 3 bytes plus 1 per element. The cost model turns this into write and
 * read request units (1 KB per WRU, 4 KB per strongly consistent RRU).
 */
export function dynamoItemBytes(item: Record<string, unknown>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value === undefined) continue;
    size += Buffer.byteLength(name, 'utf8') + valueBytes(value);
  }
  return size;
}

function valueBytes(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return numberBytes(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce<number>((sum, v) => sum + 1 + valueBytes(v), 0);
  if (typeof value === 'object') {
    let size = 3;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      size += 1 + Buffer.byteLength(key, 'utf8') + valueBytes(v);
    }
    return size;
  }
  // Strings, numbers and booleans by now (objects and lists were sized above).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return Buffer.byteLength(String(value), 'utf8');
}

function numberBytes(value: number): number {
  const digits = Math.abs(value).toExponential().split('e')[0].replace('.', '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}

/** Write request units for one write of an item this size (1 per started KB). */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}

/** Read request units for one strongly consistent read (1 per started 4 KB). */
export function strongReadUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 4096));
}

/** DynamoDB sizes an index entry as its projected attributes plus 100 bytes ("Item sizes and formats"). */
const INDEX_ENTRY_OVERHEAD_BYTES = 100;

export interface IndexShape {
  partitionKey: string;
  sortKey: string;
  projection: 'ALL' | 'KEYS_ONLY';
}

/**
 * Write units an item's writes cost in a table's global secondary indexes: a
 * put of an item that has an index's key attributes writes its entry there
 * (1 per started KB of the entry); each later update that leaves the keys as
 * they are rewrites the entry only where whole items are projected (a
 * keys-only entry has nothing else that could change).
 */
export function indexWriteUnits(item: Record<string, unknown>, tableKeys: readonly string[], indexes: readonly IndexShape[], updatesAfterPut: number): number {
  let units = 0;
  for (const index of indexes) {
    if (item[index.partitionKey] === undefined || item[index.sortKey] === undefined) continue;
    const projected =
      index.projection === 'ALL' ? item : Object.fromEntries([...tableKeys, index.partitionKey, index.sortKey].map((name) => [name, item[name]]));
    const entry = writeUnits(dynamoItemBytes(projected) + INDEX_ENTRY_OVERHEAD_BYTES);
    units += entry * (1 + (index.projection === 'ALL' ? updatesAfterPut : 0));
  }
  return units;
}
