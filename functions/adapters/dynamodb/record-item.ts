/**
 * A request record as a DynamoDB item, shared by the stores that read and
 * write it (request-store, approval-store, digest-queue): the mapping both
 * ways, the bookkeeping attributes kept off the record type (claims, pending
 * effects, the keys of the two sparse indexes), and the reads and writes
 * every one of them makes on the item.
 */
import { brotliDecompressSync, deflateRawSync, inflateRawSync } from 'node:zlib';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { POLICY_ACTOR, SYSTEM_ACTOR, isUndecided, type ApprovalState, type AuditActor, type AuditEntry } from '../../domain/approvals';
import type { Finding } from '../../domain/decision';
import { requestRecordOf, type NotificationState, type RequestRecord } from '../../domain/records';
import { stableJson } from '../../domain/stable-json';
import type { ApprovalEffect } from '../../domain/ports/approval-store';
import {
  APPROVAL_DUE_ATTRIBUTE,
  APPROVAL_QUEUE_ATTRIBUTE,
  APPROVAL_QUEUE_OPEN,
  DIGEST_DUE_ATTRIBUTE,
  DIGEST_QUEUE_ATTRIBUTE,
  DIGEST_QUEUE_HELD,
  PARTITION_KEY,
  requestKey,
} from './tables';
import { queryAllPages, updateIf } from './operations';
import { CONTENT_DICTIONARIES, CURRENT_CONTENT_DICTIONARY } from './content-dictionary';

/** Item attribute holding effects still to perform, by effect id. */
export const EFFECTS_ATTRIBUTE = 'pendingEffects';
/** Due key of an open approval with nothing scheduled: it stays in the index (the inbox) but is never due. */
const NEVER = '9999-12-31T23:59:59.999Z';

type Item = Record<string, unknown>;

/**
 * The sweep index keys for an approval: undecided approvals and records with
 * effects pending stay in the index; due now when effects are pending, else
 * when escalation looks next (never, for an open request with nothing scheduled).
 */
export function queueKeys(recordId: string, approval: ApprovalState, effectsPending: boolean, now?: Date): { queue: string; due: string } | undefined {
  if (!effectsPending && !isUndecided(approval)) return undefined;
  const due = effectsPending && now ? now.toISOString() : (approval.escalation.nextDueAt ?? NEVER);
  return { queue: APPROVAL_QUEUE_OPEN, due: `${due}#${recordId}` };
}

export function effectsOf(item: Item): ApprovalEffect[] {
  const map = item[EFFECTS_ATTRIBUTE];
  return map && typeof map === 'object' ? Object.values(map as Record<string, ApprovalEffect>) : [];
}

/** Item attribute holding the current revision's side-effects lease (RecordState.lease). */
export const LEASE_ATTRIBUTE = 'lease';
/** Item attribute holding the arrival entries of the audit trail (RecordState.history), compacted. */
export const HISTORY_ATTRIBUTE = 'history';

/** The actor an arrival entry has unless it says otherwise: written once per type, not per entry. */
const DEFAULT_ACTORS: Partial<Record<AuditEntry['type'], AuditActor>> = { received: SYSTEM_ACTOR, notified: SYSTEM_ACTOR, evaluated: POLICY_ACTOR };

/**
 * An arrival entry as the record stores it: without the record id (the
 * item's own) and without the actor its type implies. Every byte here is
 * billed on every later write of the record.
 */
export function compactEntry(entry: AuditEntry, record?: Pick<RequestRecord, 'kind' | 'detail'>): Item {
  const actor = DEFAULT_ACTORS[entry.type];
  const sameActor = actor !== undefined && stableJson(actor) === stableJson(entry.actor);
  // A `received` entry says the record's own kind and source: implied, like its record id.
  const implied = entry.type === 'received' && record !== undefined && stableJson(entry.details) === stableJson(receivedDetails(record));
  const details = implied || Object.keys(entry.details).length === 0 ? {} : { details: entry.details };
  return { at: entry.at, type: entry.type, ...(sameActor ? {} : { actor: entry.actor }), ...details };
}

function receivedDetails(record: Pick<RequestRecord, 'kind' | 'detail'>): AuditEntry['details'] {
  return { kind: record.kind, source: record.detail.source ?? 'the event bus' };
}

function fullEntry(record: Pick<RequestRecord, 'recordId' | 'kind' | 'detail'>, item: Item): AuditEntry {
  const type = item.type as AuditEntry['type'];
  const implied = type === 'received' && item.details === undefined ? receivedDetails(record) : {};
  return {
    recordId: record.recordId,
    at: item.at as string,
    type,
    actor: (item.actor as AuditActor | undefined) ?? { ...(DEFAULT_ACTORS[type] ?? SYSTEM_ACTOR) },
    details: (item.details ?? implied) as AuditEntry['details'],
  };
}

/**
 * A finding as `[code, dimension, severity, message, suggestion?]`: the five
 * key names would otherwise be stored (and billed) once per finding.
 */
type FindingTuple = [Finding['code'], Finding['dimension'], Finding['severity'], Finding['message'], Finding['suggestion']?];

function findingTuple(f: Finding): FindingTuple {
  return f.suggestion === undefined ? [f.code, f.dimension, f.severity, f.message] : [f.code, f.dimension, f.severity, f.message, f.suggestion];
}

/** A stored finding: a tuple, or an object as records from before revisions hold them. */
function findingOf(stored: unknown): Finding {
  if (!Array.isArray(stored)) return stored as Finding;
  const [code, dimension, severity, message, suggestion] = stored as FindingTuple;
  return suggestion === undefined ? { code, dimension, severity, message } : { code, dimension, severity, message, suggestion };
}

/** Item attribute holding a revision's content (detail, decision, earlier content hashes), compressed. */
export const CONTENT_ATTRIBUTE = 'content';
/** Where records from before the packed content kept it: a revise of one of them removes these. */
export const LEGACY_CONTENT_ATTRIBUTES = ['detail', 'decision', 'earlierContent'] as const;

/** A revision's content as {@link CONTENT_ATTRIBUTE} holds it (JSON before compression). */
interface PackedContent {
  detail: RequestRecord['detail'];
  decision: Item;
  earlierContent?: string[];
}

/**
 * First byte of content packed with a dictionary. Content packed before that
 * is Brotli as Node writes it (window of 22 bits), whose first byte always
 * ends in the bits 1011; 0xFF would announce a 24-bit window and an empty
 * stream, which no record has. So one byte tells the two apart.
 */
export const DICTIONARY_PACKED = 0xff;

/** What new content is packed with, and the two bytes that say so. */
const PACKING_DICTIONARY = CONTENT_DICTIONARIES.get(CURRENT_CONTENT_DICTIONARY) as Buffer;
const PACKING_HEADER = Buffer.from([DICTIONARY_PACKED, CURRENT_CONTENT_DICTIONARY]);

/**
 * What a revision was sent and decided never changes until the next revision
 * replaces it whole, and no expression reads inside it: compressed into one
 * binary attribute it costs a fraction of its bytes on both writes of every
 * event (the put, and the update billed on the larger item). Raw deflate with
 * a dictionary of what every record repeats (content-dictionary.ts), behind
 * {@link PACKING_HEADER}.
 */
function packContent(content: PackedContent): Uint8Array {
  const packed = deflateRawSync(Buffer.from(JSON.stringify(content), 'utf8'), { dictionary: PACKING_DICTIONARY, level: 9 });
  return Buffer.concat([PACKING_HEADER, packed]);
}

function unpackContent(packed: Uint8Array): PackedContent {
  if (packed[0] !== DICTIONARY_PACKED) return JSON.parse(brotliDecompressSync(packed).toString('utf8')) as PackedContent;
  const dictionary = CONTENT_DICTIONARIES.get(packed[1]);
  if (!dictionary) throw new Error(`record content is packed with dictionary version ${packed[1]}, which this code does not have`);
  return JSON.parse(inflateRawSync(packed.subarray(2), { dictionary }).toString('utf8')) as PackedContent;
}

/** The content of a record item: packed, or (records from before the packing) in plain attributes. */
export function contentOfItem(item: Item): PackedContent | undefined {
  const packed = item[CONTENT_ATTRIBUTE];
  if (packed instanceof Uint8Array) return unpackContent(packed);
  if (!item.detail || !item.decision) return undefined;
  return {
    detail: item.detail as RequestRecord['detail'],
    decision: item.decision as Item,
    ...(Array.isArray(item.earlierContent) ? { earlierContent: item.earlierContent as string[] } : {}),
  };
}

/** The digest index keys of a record held for the digest (DIGEST_INDEX); none otherwise. */
export function digestKeys(recordId: string, notification: NotificationState): Item {
  return notification.state === 'held-for-digest'
    ? { [DIGEST_QUEUE_ATTRIBUTE]: DIGEST_QUEUE_HELD, [DIGEST_DUE_ATTRIBUTE]: `${notification.digestAt}#${recordId}` }
    : {};
}

export function toItem(record: RequestRecord, effects: readonly ApprovalEffect[] = [], now?: Date): Item {
  const queue = queueKeys(record.recordId, record.approval, effects.length > 0, now);
  // The decision's kind, record id and policy version are the record's own: stored once. Findings as tuples.
  const { kind: _kind, recordId: _recordId, policyVersion: _policyVersion, findings, ...rest } = record.decision;
  const decision = { ...rest, findings: findings.map(findingTuple) };
  return {
    ...requestKey(record.recordId),
    entity: 'request',
    recordId: record.recordId,
    kind: record.kind,
    revision: record.revision,
    [CONTENT_ATTRIBUTE]: packContent({
      detail: record.detail,
      decision,
      ...(record.earlierContent && record.earlierContent.length > 0 ? { earlierContent: record.earlierContent } : {}),
    }),
    // A top-level copy for filters and a future index (outcome dashboards).
    outcome: record.decision.outcome,
    policyVersion: record.policyVersion,
    receivedAt: record.receivedAt,
    notification: record.notification,
    decisionEvent: record.decisionEvent,
    ...(record.lease ? { [LEASE_ATTRIBUTE]: record.lease } : {}),
    approval: record.approval,
    [HISTORY_ATTRIBUTE]: record.history.map((entry) => compactEntry(entry, record)),
    [EFFECTS_ATTRIBUTE]: Object.fromEntries(effects.map((e) => [e.id, e])),
    ...(queue ? { [APPROVAL_QUEUE_ATTRIBUTE]: queue.queue, [APPROVAL_DUE_ATTRIBUTE]: queue.due } : {}),
    ...digestKeys(record.recordId, record.notification),
  };
}

/**
 * The decision of a record item, whole again: records from before revisions
 * keep it whole; later ones without what the record holds once.
 */
export function decisionOfItem(item: Item, content: PackedContent | undefined = contentOfItem(item)): RequestRecord['decision'] {
  const decision = (content?.decision ?? {}) as Partial<RequestRecord['decision']>;
  return {
    ...decision,
    kind: item.kind,
    recordId: item.recordId,
    policyVersion: decision.policyVersion ?? item.policyVersion,
    findings: ((decision.findings ?? []) as unknown[]).map(findingOf),
  } as RequestRecord['decision'];
}

export function toRecord(item: Item): RequestRecord {
  // Written by toItem (or, for records from before revisions, without revision, history and lease; before the packing, with the content in plain attributes).
  const stored = item as unknown as Omit<RequestRecord, 'decision' | 'detail' | 'earlierContent'>;
  const content = contentOfItem(item);
  if (!content) throw new Error(`record item ${String(item.recordId)} holds no content`);
  const decision = decisionOfItem(item, content);
  const own = { recordId: stored.recordId, kind: stored.kind, detail: content.detail } as RequestRecord;
  return requestRecordOf(own, {
    recordId: stored.recordId,
    revision: typeof stored.revision === 'number' ? stored.revision : 1,
    ...(Array.isArray(content.earlierContent) ? { earlierContent: content.earlierContent } : {}),
    decision,
    policyVersion: stored.policyVersion,
    receivedAt: stored.receivedAt,
    notification: stored.notification,
    decisionEvent: stored.decisionEvent,
    ...(typeof stored.lease === 'string' ? { lease: stored.lease } : {}),
    history: ((item[HISTORY_ATTRIBUTE] ?? []) as Item[]).map((entry) => fullEntry(own, entry)),
    approval: stored.approval,
  });
}

/** The record items of one requests table, for the stores that share them. */
export class RecordItems {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  /** The item of a record, read consistently. */
  async get(recordId: string): Promise<Item | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: requestKey(recordId), ConsistentRead: true }));
    return Item;
  }

  /** Updates a record's item if `condition` holds: false when it did not (nothing written). */
  updateIf(recordId: string, input: Omit<UpdateCommandInput, 'TableName' | 'Key'>): Promise<boolean> {
    return updateIf(this.client, { TableName: this.tableName, Key: requestKey(recordId), ...input });
  }

  /**
   * Updates a record's item; a failed condition throws. Without a condition of
   * its own the record must exist (an update would otherwise create a stub item).
   */
  async update(recordId: string, input: Omit<UpdateCommandInput, 'TableName' | 'Key'>): Promise<void> {
    const exists = input.ConditionExpression
      ? {}
      : { ConditionExpression: 'attribute_exists(#pk)', ExpressionAttributeNames: { ...input.ExpressionAttributeNames, '#pk': PARTITION_KEY } };
    await this.client.send(new UpdateCommand({ TableName: this.tableName, Key: requestKey(recordId), ...input, ...exists }));
  }

  /** Marks the notification sent; a request held for the digest leaves the digest queue with it. */
  markNotified(recordId: string, messageId: string, sentAt: Date): Promise<void> {
    return this.update(recordId, {
      UpdateExpression: 'SET #n = :sent REMOVE #dq, #dd',
      ExpressionAttributeNames: { '#n': 'notification', '#dq': DIGEST_QUEUE_ATTRIBUTE, '#dd': DIGEST_DUE_ATTRIBUTE },
      ExpressionAttributeValues: { ':sent': { state: 'sent', sentAt: sentAt.toISOString(), messageId } },
    });
  }

  /** Every page of a Query on the table (up to `limit` items). */
  query(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey' | 'Limit'>, limit?: number): Promise<Item[]> {
    return queryAllPages(this.client, { TableName: this.tableName, ...input }, limit);
  }
}
