/**
 * The stores that share one requests table, opened together: request
 * records, their approval side, used decision links, the digest queue and
 * the audit trail. Each use case takes only the ones it needs.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbApprovalStore } from './approval-store';
import { DynamoDbAuditLog } from './audit-log';
import { DynamoDbDecisionLinkStore } from './decision-link-store';
import { DynamoDbDigestQueue } from './digest-queue';
import { DynamoDbRequestStore } from './request-store';

export interface RequestsTableStores {
  requests: DynamoDbRequestStore;
  approvals: DynamoDbApprovalStore;
  usedLinks: DynamoDbDecisionLinkStore;
  digestQueue: DynamoDbDigestQueue;
  audit: DynamoDbAuditLog;
}

export function requestsTableStores(client: DynamoDBDocumentClient, tableName: string): RequestsTableStores {
  return {
    requests: new DynamoDbRequestStore(client, tableName),
    approvals: new DynamoDbApprovalStore(client, tableName),
    usedLinks: new DynamoDbDecisionLinkStore(client, tableName),
    digestQueue: new DynamoDbDigestQueue(client, tableName),
    audit: new DynamoDbAuditLog(client, tableName),
  };
}
