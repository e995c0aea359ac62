/**
 * Outreach in `npm start` (issue 10 item 4, done-when): a week after
 * Marketing asked for Dropbox, Marketing's weekly note names Dropbox and the
 * sanctioned Box with its spare seats; IT's monthly shadow-IT report lists
 * it; running the same period again sends nothing twice; other departments'
 * notes never reach Marketing's audience. Box's complete assignment list is
 * imported, so its spare seats come from the inventory (and say so); the
 * apps Marketing started using come from the inventory too (four
 * assignments fold into one review: records alone would count one person).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '../../../functions/local/runtime';
import type { Clock } from '../../../functions/domain/ports/clock';

class Collector {
  text = '';
  write(chunk: string) {
    this.text += chunk;
    return true;
  }
}

describe('department outreach in the local runtime', () => {
  let dataDir: string;
  let runtime: LocalRuntime;
  let now = new Date('2026-12-01T10:00:00Z'); // a Tuesday
  const clock: Clock = { now: () => now };
  const at = (path: string) => `${runtime.url}${path}`;
  const getJson = async (path: string) => (await (await fetch(at(path), { headers: { accept: 'application/json' } })).json()) as any;
  const sweep = async (when: string) => {
    const response = await fetch(at('/admin/sweep'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at: when }) });
    expect(response.status).toBe(200);
    return (await response.json()) as any;
  };
  const submit = async (event: unknown) => {
    const response = await fetch(at('/events'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(response.status).toBeLessThan(300);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-local-outreach-'));
    runtime = await startLocalRuntime({ port: 0, dataDir, inMemory: true, replaySamples: false, sweepIntervalMs: 0, out: new Collector(), clock });
    const dropbox = JSON.parse(readFileSync('events/purchase-request/dropbox-marketing-confidential.json', 'utf8'));
    await submit(dropbox);
    // Sales connects Canva the same week: its note goes to Sales, never to Marketing.
    const canva = JSON.parse(readFileSync('events/app-connected/google-oauth-canva-duplicate.json', 'utf8'));
    canva.detail.department = 'Sales';
    await submit(canva);
    // Box's complete assignment list (Okta's Current Assignments report): 470 of its 500 seats are used.
    const rows = ['User,Login,Application name,Assigned on,Unassigned on'];
    for (let i = 0; i < 470; i++) rows.push(`Person ${i},box.user${i}@example.com,Box,2026-01-05T10:00:00Z,`);
    const imported = await fetch(at('/inventory/assignments'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app: 'Box', source: 'okta', format: 'csv', content: rows.join('\n') }),
    });
    expect(imported.status).toBe(200);
    // Four Marketing people are assigned an app nobody asked for: one review, four people in the inventory.
    for (let n = 1; n <= 4; n++) {
      await submit({
        source: 'procurement-guardrail',
        'detail-type': 'App Connected',
        detail: {
          source: 'okta',
          sourceEventId: `notionly-${n}`,
          occurredAt: '2026-12-02T09:00:00Z',
          app: { name: 'Notionly Boards' },
          actor: { type: 'user', email: 'okta.admin@example.com' },
          subject: { email: `marketer${n}@example.com` },
          connectionKind: 'user-assigned',
          department: 'Marketing',
        },
      });
    }
  });
  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("a week later, Marketing's note names Dropbox and Box with its spare seats; a second run sends nothing", async () => {
    now = new Date('2026-12-08T08:00:00Z');
    const report = await sweep('2026-12-08T08:00:00Z');
    expect(report.outreach.weekly).toMatchObject({ period: '2026-W49', sent: expect.arrayContaining(['Marketing', 'Sales']) });

    const outbox = await getJson('/outbox?audience=department');
    const marketing = outbox.notifications.filter((n: any) => n.attributes.department === 'Marketing');
    expect(marketing).toHaveLength(1);
    const note = marketing[0];
    expect(note.to).toBe('marketing-ops@example.com');
    expect(note.attributes).toEqual({ type: 'outreach', kind: 'outreach', department: 'Marketing', cadence: 'weekly' });
    expect(note.text).toContain('Dropbox Business Advanced (Dropbox), requested by Maria Lopez');
    expect(note.text).toContain('→ Already available: Box (File sharing), 30 spare seats (from the Okta assignment list imported 2026-12-01)');
    expect(note.text).toMatch(/Notionly Boards.*4 people/);
    expect(note.text).toContain('it-help@example.com');
    expect(note.subject).toBe('IT for Marketing, 30 Nov – 6 Dec 2026: Box already covers Dropbox');
    expect(note.data.outreach[0].requests[0]).toMatchObject({ vendor: 'Dropbox', alternatives: [{ name: 'Box', spareSeats: 30 }] });
    // Canva was Sales's: Marketing's note does not mention it.
    expect(note.text).not.toContain('Canva');
    expect(outbox.notifications.find((n: any) => n.attributes.department === 'Sales').text).toContain('Canva');

    const again = await sweep('2026-12-09T08:00:00Z');
    expect(again.outreach.weekly).toMatchObject({ period: '2026-W49', sent: [], alreadySent: expect.arrayContaining(['Marketing', 'Sales']) });
    expect((await getJson('/outbox?audience=department')).count).toBe(outbox.count);
  });

  it("IT's monthly shadow-IT report lists Dropbox for Marketing, once", async () => {
    now = new Date('2027-01-01T08:00:00Z');
    const report = await sweep('2027-01-01T08:00:00Z');
    expect(report.outreach.monthly).toMatchObject({ period: '2026-12', sent: true });
    const it = await getJson('/outbox?audience=it');
    const reports = it.notifications.filter((n: any) => n.attributes.type === 'shadow-it-report' && n.recordId === 'shadow-it:2026-12');
    expect(reports).toHaveLength(1);
    expect(reports[0].attributes).toMatchObject({ recipient: 'all-approvers', kind: 'outreach' });
    expect(reports[0].text).toMatch(/Marketing: .*1 request/);
    expect(reports[0].text).toContain('Marketing: Dropbox → Box (File sharing), 30 spare seats (from the Okta assignment list imported 2026-12-01)');
    expect(reports[0].text).toContain('Notionly Boards');
    expect(reports[0].text).toContain('Canva');
    expect(reports[0].text).toContain(`${runtime.url}/`);

    await sweep('2027-01-02T08:00:00Z');
    expect((await getJson('/outbox?audience=it')).notifications.filter((n: any) => n.recordId === 'shadow-it:2026-12')).toHaveLength(1);
  });
});
