/**
 * The approvals story in `npm start`, over HTTP like a person would use it:
 * a sample purchase request produces a notification in the outbox whose link
 * opens a page; approving there records the decision, emits the decision
 * event and the requester message; the same link then says it has been used;
 * the inbox (after the local sign-in) lists what is still pending with its
 * deadline; the sweep runs on demand. Also: a data folder from before the
 * approvals indexes is refused with a clear message.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamoDb } from '../../../functions/local/dynalite';
import { startLocalRuntime, type LocalRuntime } from '../../../functions/local/runtime';
import { dataFiles } from '../../../functions/local/paths';
import { LOCAL_REQUESTS_TABLE } from '../../../functions/local/tables';
import {
  APPROVALS_DUE_INDEX,
  DIGEST_INDEX,
  LEGACY_APPROVALS_INDEX,
  REQUESTS_TABLE_INDEXES,
  requestsTableDefinition,
} from '../../../functions/adapters/dynamodb/tables';
import { cookiePairs, hiddenField } from '../../support/approvals';

class Collector {
  text = '';
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

const cookiesOf = (response: Response) => cookiePairs(response.headers.getSetCookie());

describe('approvals in the local runtime (npm start)', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  const out = new Collector();
  const at = (path: string) => `${runtime.url}${path}`;
  const getJson = async (path: string) => (await (await fetch(at(path))).json()) as any;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-local-approvals-'));
    runtime = await startLocalRuntime({ port: 0, dataDir, replaySamples: true, sweepIntervalMs: 0, out });
  });
  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('links in the outbox open the decision page; approving records it, emits the event and the requester message; the link is then used', async () => {
    // The replayed Dropbox sample (review, Marketing) reached Marcus, the IT manager for Marketing, with his own links.
    const it = await getJson('/outbox?audience=it');
    const notification = it.notifications.find((n: any) => n.recordId === 'coupa:PR-2026-1042');
    expect(notification.attributes).toMatchObject({ recipient: 'marcus.lee@example.com', tier: 'it-manager' });
    const link = /^\s*Approve: (\S+)$/m.exec(notification.text)![1];
    expect(link.startsWith(`${runtime.url}/decide?token=eyJhbGciOiJIUzI1NiIs`)).toBe(true);
    // Chat and machine copies never carry the link: they point at the request page (sign-in).
    expect(JSON.stringify([notification.chat, notification.data])).not.toContain('/decide?token=');
    expect(notification.chat.content.nextSteps).toContain(`<${runtime.url}/requests/coupa%3APR-2026-1042|Open the request page \\(sign-in\\)>`);

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain('Decide: Dropbox Business Advanced from Dropbox');
    expect(html).toContain('DUPLICATE_CAPABILITY');
    const cookies = cookiesOf(page);
    expect(cookies[0]).toMatch(/^guardrail-csrf-/);

    const decided = await fetch(at('/decide'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
      body: new URLSearchParams({
        token: hiddenField(html, 'token'),
        csrf: hiddenField(html, 'csrf'),
        action: 'approve',
        comment: 'OK for the agency; Box at renewal.',
      }),
    });
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain('<h1>Approved</h1>');

    const record = await getJson('/requests/coupa:PR-2026-1042');
    expect(record.approval).toMatchObject({
      status: 'approved',
      steps: [{ by: { email: 'marcus.lee@example.com' }, comment: 'OK for the agency; Box at renewal.' }],
    });
    expect(record.history.map((e: any) => e.type)).toEqual(['received', 'evaluated', 'notified', 'decided']);

    const decisions = await getJson('/decisions');
    const approval = decisions.decisions.find((d: any) => d.detail.recordId === 'coupa:PR-2026-1042' && d.detail.approval);
    expect(approval.detail).toMatchObject({ outcome: 'allow', decidedBy: { approver: 'marcus.lee@example.com' }, approval: { status: 'approved' } });
    expect(approval['detail-type']).toBe('Guardrail Decision');

    const requester = await getJson('/outbox?audience=requester');
    expect(requester.notifications).toEqual([
      expect.objectContaining({
        audience: 'requester',
        to: 'maria.lopez@example.com',
        subject: 'Approved: Dropbox Business Advanced from Dropbox',
        recordId: 'coupa:PR-2026-1042',
      }),
    ]);

    const again = await fetch(link);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('This link has already been used');
    expect(out.text).toContain(`sign in at ${runtime.url}/sign-in as an approver`);
  });

  it('the inbox, after the local sign-in, lists what is still pending with its deadline', async () => {
    const anonymous = await fetch(at('/inbox'), { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/sign-in?returnTo=%2Finbox');

    const form = await fetch(at('/sign-in?returnTo=%2Finbox'));
    const formHtml = await form.text();
    const signIn = await fetch(at('/sign-in'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(form).join('; ') },
      body: new URLSearchParams({ email: 'dana.okafor@example.com', csrf: hiddenField(formHtml, 'csrf'), returnTo: hiddenField(formHtml, 'returnTo') }),
    });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/inbox');
    const session = cookiesOf(signIn);

    const inbox = await fetch(at('/inbox'), { headers: { cookie: session.join('; ') } });
    expect(inbox.status).toBe(200);
    const html = await inbox.text();
    expect(html).toContain('Signed in as Dana Okafor');
    const ids = [...html.matchAll(/<span class="hint">([^<]+)<\/span>/g)].map((m) => m[1].split(' · ')[0]).filter((id) => /^PR-|:/.test(id));
    expect(ids).not.toContain('coupa:PR-2026-1042'); // approved above
    expect(ids).toContain('coupa:PR-2026-1044'); // Salesforce, two-step, CIO tier
    expect(html).toMatch(/<time datetime="2027-01-04T00:00:00\.000Z">4 Jan 2027<\/time>/); // monday.com's signing date
    // Soonest signing date first: monday.com (2027-01-04) before Salesforce (2027-02-15).
    expect(ids.indexOf('coupa:PR-2026-1047')).toBeLessThan(ids.indexOf('coupa:PR-2026-1044'));

    const page = await fetch(at('/requests/coupa:PR-2026-1044'), { headers: { accept: 'text/html', cookie: session.join('; ') } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h2>History</h2>');
  });

  it('POST /admin/sweep runs the escalation sweep now, or as if at a given time', async () => {
    const now = (await (await fetch(at('/admin/sweep'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as any;
    expect(now.sweep).toMatchObject({ reminded: 0, escalated: 0, failures: [] });
    // 72 hours before monday.com's signing date (2027-01-04): its IT manager is reminded.
    const later = (await (
      await fetch(at('/admin/sweep'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at: '2027-01-01T00:00:00Z' }) })
    ).json()) as any;
    expect(later.sweep.reminded).toBeGreaterThanOrEqual(1);
    const reminders = (await getJson('/outbox?audience=it')).notifications.filter((n: any) => n.subject.startsWith('Reminder: decision needed'));
    expect(reminders.map((n: any) => n.recordId)).toContain('coupa:PR-2026-1047');
    const bad = await fetch(at('/admin/sweep'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at: 'soon' }) });
    expect(bad.status).toBe(400);
  });

  it('keeps the signing key in the data folder, private to the user', async () => {
    const { statSync } = await import('node:fs');
    const stat = statSync(join(dataDir, 'decision-link-keys.json'));
    expect(stat.mode & 0o077).toBe(0);
  });
});

describe('a data folder from before the keys-only approvals index', () => {
  it('is rebuilt with the current indexes at start, every item kept, and a copy of them left beside it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'guardrail-old-data-'));
    try {
      // The requests table as versions before 2026-12 created it: whole records projected into `approvals-due`.
      const old = await startLocalDynamoDb({ path: dataFiles(dataDir).dynamodb });
      const definition = requestsTableDefinition();
      await old.client.send(
        new CreateTableCommand({
          ...definition,
          GlobalSecondaryIndexes: [LEGACY_APPROVALS_INDEX, ...REQUESTS_TABLE_INDEXES.filter((i) => i.indexName !== APPROVALS_DUE_INDEX)].map((i) => ({
            IndexName: i.indexName,
            KeySchema: [
              { AttributeName: i.partitionKey, KeyType: 'HASH' as const },
              { AttributeName: i.sortKey, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: i.projection },
          })),
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const open = {
        pk: { S: 'REQUEST#coupa:OLD-1' },
        sk: { S: 'RECORD' },
        approvalQueue: { S: 'OPEN' },
        approvalDueKey: { S: '2027-01-01T00:00:00.000Z#coupa:OLD-1' },
        content: { B: Uint8Array.from([0xff, 1, 2, 3, 250]) },
      };
      const audit = { pk: { S: 'REQUEST#coupa:OLD-1' }, sk: { S: 'AUDIT#2026-11-30T10:00:00.000Z#a' }, note: { S: 'kept' } };
      for (const Item of [open, audit]) await old.client.send(new PutItemCommand({ TableName: LOCAL_REQUESTS_TABLE, Item }));
      await old.close();

      const out = new Collector();
      const runtime = await startLocalRuntime({ port: 0, dataDir, sweepIntervalMs: 0, out });
      // The store held a request: nothing replayed over it; the banner says what was done and where the copy is.
      expect(runtime.firstStart).toBe(false);
      expect(out.text).toMatch(
        /upgrade {2}the requests table was rebuilt with the approvals-open index of this version: 2 items kept, a copy in .*requests-before-approvals-open-\d+\.json/,
      );
      await runtime.close();

      const reopened = await startLocalDynamoDb({ path: dataFiles(dataDir).dynamodb });
      try {
        const client = reopened.client;
        const { Table } = await client.send(new DescribeTableCommand({ TableName: LOCAL_REQUESTS_TABLE }));
        expect((Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.Projection?.ProjectionType]).sort()).toEqual([
          [APPROVALS_DUE_INDEX, 'KEYS_ONLY'],
          [DIGEST_INDEX, 'KEYS_ONLY'],
        ]);
        for (const item of [open, audit]) {
          const { Item } = await client.send(new GetItemCommand({ TableName: LOCAL_REQUESTS_TABLE, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }));
          expect(Item).toEqual(item);
        }
        const listed = await client.send(
          new QueryCommand({
            TableName: LOCAL_REQUESTS_TABLE,
            IndexName: APPROVALS_DUE_INDEX,
            KeyConditionExpression: 'approvalQueue = :open',
            ExpressionAttributeValues: { ':open': { S: 'OPEN' } },
          }),
        );
        expect(listed.Items?.map((i) => i.pk.S)).toEqual(['REQUEST#coupa:OLD-1']);
      } finally {
        await reopened.close();
      }
      const backups = readdirSync(dataDir).filter((name) => name.startsWith('requests-before-'));
      expect(backups).toHaveLength(1);
      const saved = JSON.parse(readFileSync(join(dataDir, backups[0]), 'utf8')) as Record<string, { S?: string; B?: string }>[];
      expect(saved.map((i) => i.sk.S).sort()).toEqual(['AUDIT#2026-11-30T10:00:00.000Z#a', 'RECORD']);
      expect(saved.find((i) => i.sk.S === 'RECORD')?.content.B).toBe(Buffer.from([0xff, 1, 2, 3, 250]).toString('base64'));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
