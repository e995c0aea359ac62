/**
 * The renewal guard's items in the requests table: under
 * `RENEWAL#<agreement key>#<renewal date>`, one `STEP#<step>` marker per step
 * sent and one `DECISION` item, each written with a conditional put (dynalite
 * and the hot path need no transactions); `RENEWALS` / `PASS#<day>` claims a
 * day's pass. Approved contracts are read with a Scan, once a day.
 */
import { DeleteCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApprovedContract } from '../../domain/renewals/calendar';
import { approvedContractOf } from '../../domain/renewals/contracts';
import { RENEWAL_STEPS, type RenewalDecision, type RenewalHistory, type RenewalStep } from '../../domain/renewals/schedule';
import type { ApprovedContractSource, RenewalStore } from '../../domain/ports/renewal-store';
import { isConditionalCheckFailed, putIfAbsent, queryAllPages } from './operations';
import { toRecord } from './record-item';
import { PARTITION_KEY, REQUEST_PK_PREFIX, REQUEST_RECORD_SK, SORT_KEY, TTL_ATTRIBUTE } from './tables';

const renewalPk = (key: string, renewalDate: string) => `RENEWAL#${key}#${renewalDate}`;
const DECISION_SK = 'DECISION';
const stepSk = (step: RenewalStep) => `STEP#${step}`;
/** Markers outlive their renewal by a year (the calendar shows the last decision), then go. */
const ttlAfter = (renewalDate: string) => Math.floor(Date.parse(`${renewalDate}T00:00:00Z`) / 1000) + 366 * 86_400;

export class DynamoDbRenewalStore implements RenewalStore, ApprovedContractSource {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async history(key: string, renewalDate: string): Promise<RenewalHistory> {
    const items = await queryAllPages(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': PARTITION_KEY },
      ExpressionAttributeValues: { ':pk': renewalPk(key, renewalDate) },
      ConsistentRead: true,
    });
    const history: RenewalHistory = { steps: {} };
    for (const item of items) {
      const sk = item[SORT_KEY];
      if (sk === DECISION_SK) history.decision = item.decision as RenewalDecision;
      const step = RENEWAL_STEPS.find((s) => stepSk(s) === sk);
      if (step) history.steps[step] = { sentAt: item.sentAt as string };
    }
    return history;
  }

  claimStep(key: string, renewalDate: string, step: RenewalStep, at: Date): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, {
      [PARTITION_KEY]: renewalPk(key, renewalDate),
      [SORT_KEY]: stepSk(step),
      entity: 'renewal-step',
      sentAt: at.toISOString(),
      [TTL_ATTRIBUTE]: ttlAfter(renewalDate),
    });
  }

  async releaseStep(key: string, renewalDate: string, step: RenewalStep, at: Date): Promise<void> {
    await this.deleteIf({ [PARTITION_KEY]: renewalPk(key, renewalDate), [SORT_KEY]: stepSk(step) }, at.toISOString());
  }

  recordDecision(key: string, renewalDate: string, decision: RenewalDecision): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, {
      [PARTITION_KEY]: renewalPk(key, renewalDate),
      [SORT_KEY]: DECISION_SK,
      entity: 'renewal-decision',
      decision,
      [TTL_ATTRIBUTE]: ttlAfter(renewalDate),
    });
  }

  claimDailyPass(day: string, at: Date): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, {
      [PARTITION_KEY]: 'RENEWALS',
      [SORT_KEY]: `PASS#${day}`,
      entity: 'renewal-pass',
      sentAt: at.toISOString(),
      [TTL_ATTRIBUTE]: Math.floor(at.getTime() / 1000) + 30 * 86_400,
    });
  }

  async releaseDailyPass(day: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: { [PARTITION_KEY]: 'RENEWALS', [SORT_KEY]: `PASS#${day}` } }));
  }

  /** Approved purchase requests that run for a term: a Scan of record items whose approval is `approved`. */
  async approvedContracts(): Promise<ApprovedContract[]> {
    const out: ApprovedContract[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#sk = :record AND begins_with(#pk, :prefix) AND #kind = :kind AND #approval.#status = :approved',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#sk': SORT_KEY, '#kind': 'kind', '#approval': 'approval', '#status': 'status' },
          ExpressionAttributeValues: { ':record': REQUEST_RECORD_SK, ':prefix': REQUEST_PK_PREFIX, ':kind': 'purchase-request', ':approved': 'approved' },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const contract = approvedContractOf(toRecord(item as Parameters<typeof toRecord>[0]));
        if (contract) out.push(contract);
      }
      start = page.LastEvaluatedKey as Record<string, unknown> | undefined;
    } while (start);
    return out;
  }

  private async deleteIf(key: Record<string, string>, sentAt: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteCommand({ TableName: this.tableName, Key: key, ConditionExpression: 'sentAt = :s', ExpressionAttributeValues: { ':s': sentAt } }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
