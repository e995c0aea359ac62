/**
 * The audit trail in DynamoDB: one item per entry under its request's
 * partition (`REQUEST#<id>` / `AUDIT#<entry id>`), so one Query returns the
 * history in time order. Append-only by construction: entries are written
 * with a conditional put on their deterministic id (a retried step appends
 * nothing new) and this adapter has no update or delete; the deployed
 * functions are granted PutItem and Query on the table, and UpdateItem only
 * on records through the request store.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AUDIT_ENTRY_TYPES, auditEntryId, type AuditEntry } from '../../domain/approvals';
import type { AuditLog } from '../../domain/ports/audit-log';
import { putIfAbsent, queryAllPages } from './operations';
import { AUDIT_SK_PREFIX, PARTITION_KEY, REQUEST_PK_PREFIX, SORT_KEY, auditEntryKey } from './tables';

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

  async list(recordId: string): Promise<AuditEntry[]> {
    const items = await queryAllPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :audit)',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY },
      ExpressionAttributeValues: { ':pk': `${REQUEST_PK_PREFIX}${recordId}`, ':audit': AUDIT_SK_PREFIX },
      ConsistentRead: true,
    });
    const entries = items.map(
      (item): AuditEntry => ({
        recordId: item.recordId as string,
        at: item.at as string,
        type: item.type as AuditEntry['type'],
        actor: item.actor as AuditEntry['actor'],
        details: (item.details ?? {}) as AuditEntry['details'],
      }),
    );
    return sortByLifecycle(entries);
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
