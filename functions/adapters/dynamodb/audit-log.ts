/**
 * The audit trail in DynamoDB, under its request's partition: the arrival
 * entries inside the record (appended by the guardrail's own writes, see
 * RecordState.history) and one item per later entry (`AUDIT#<entry id>`), so
 * one Query returns the whole history. Append-only by construction: entries are written
 * with a conditional put on their deterministic id (a retried step appends
 * nothing new) and this adapter has no update or delete; the deployed
 * functions are granted PutItem and Query on the table, and UpdateItem only
 * on records through the request store.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AUDIT_ENTRY_TYPES, auditEntryId, type AuditEntry } from '../../domain/approvals';
import type { AuditLog } from '../../domain/ports/audit-log';
import { putIfAbsent, queryAllPages } from './operations';
import { AUDIT_SK_PREFIX, PARTITION_KEY, REQUEST_PK_PREFIX, REQUEST_RECORD_SK, SORT_KEY, auditEntryKey } from './tables';
import { toRecord } from './record-item';

export class DynamoDbAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(entry: AuditEntry): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, {
      ...auditEntryKey(entry.recordId, auditEntryId(entry)),
      entity: 'audit',
      recordId: entry.recordId,
      at: entry.at,
      type: entry.type,
      actor: entry.actor,
      details: entry.details,
    });
  }

  /**
   * One Query of the request's partition: its audit items and the record,
   * whose arrival entries (RecordState.history) are merged in. An entry in
   * both places (records from before revisions wrote arrival entries as
   * items) is listed once.
   */
  async list(recordId: string): Promise<AuditEntry[]> {
    const items = await queryAllPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY },
      ExpressionAttributeValues: { ':pk': `${REQUEST_PK_PREFIX}${recordId}` },
      ConsistentRead: true,
    });
    const entries = new Map<string, AuditEntry>();
    for (const item of items) {
      const found =
        item[SORT_KEY] === REQUEST_RECORD_SK
          ? toRecord(item).history
          : String(item[SORT_KEY]).startsWith(AUDIT_SK_PREFIX)
            ? [
                {
                  recordId: item.recordId as string,
                  at: item.at as string,
                  type: item.type as AuditEntry['type'],
                  actor: item.actor as AuditEntry['actor'],
                  details: (item.details ?? {}) as AuditEntry['details'],
                },
              ]
            : [];
      for (const entry of found) entries.set(auditEntryId(entry), entry);
    }
    return sortByLifecycle([...entries.values()]);
  }
}

/**
 * Time order; entries of one instant (received and evaluated share the
 * arrival time) in lifecycle order rather than by their ids' type names.
 */
function sortByLifecycle(entries: AuditEntry[]): AuditEntry[] {
  const rank = (t: AuditEntry['type']) => AUDIT_ENTRY_TYPES.indexOf(t);
  return [...entries].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : rank(a.type) - rank(b.type)));
}
