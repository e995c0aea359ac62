/** The audit trail on dynalite: append-only, each entry once, listed in time and lifecycle order. */
import { DynamoDbAuditLog } from '../../../functions/adapters/dynamodb/audit-log';
import { auditEntry, SYSTEM_ACTOR } from '../../../functions/domain/approvals';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';

let dynamo: TestDynamo;
let audit: DynamoDbAuditLog;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  audit = new DynamoDbAuditLog(dynamo.documents, (await dynamo.freshTables()).requests);
});
afterAll(async () => {
  await dynamo.teardown();
});

it('appends each entry once and lists them in time and lifecycle order', async () => {
  const at = new Date('2026-11-27T12:00:00Z');
  const evaluated = auditEntry('PR-1', 'evaluated', { kind: 'policy', id: 'policy' }, at, { outcome: 'review' });
  const received = auditEntry('PR-1', 'received', SYSTEM_ACTOR, at, { source: 'coupa' });
  const notified = auditEntry('PR-1', 'notified', SYSTEM_ACTOR, new Date(at.getTime() + 1000), {});
  expect(await audit.append(notified)).toBe(true);
  expect(await audit.append(evaluated)).toBe(true);
  expect(await audit.append(received)).toBe(true);
  expect(await audit.append(received)).toBe(false);
  expect((await audit.list('PR-1')).map((e) => e.type)).toEqual(['received', 'evaluated', 'notified']);
  expect(await audit.list('PR-2')).toEqual([]);
});
