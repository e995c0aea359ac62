/**
 * `guardrail directory import` and `guardrail inventory`, in-process through
 * `runCli`: on the local store directly, then through a running runtime that
 * holds the data folder (the same answers either way).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../functions/cli/main';
import { startLocalRuntime, type LocalRuntime } from '../../../functions/local/runtime';

const ROOT = join(__dirname, '..', '..', '..');

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, cwd: ROOT });
  return { code, stdout, stderr };
}

const envelope = (n: number, email: string, department?: string) => ({
  source: 'procurement-guardrail',
  'detail-type': 'App Connected',
  detail: {
    source: 'okta',
    sourceEventId: `cli-${n}`,
    occurredAt: '2026-11-27T09:00:00Z',
    app: { name: 'Whiteboardly' },
    actor: { type: 'user', email: 'okta.admin@example.com' },
    subject: { email },
    connectionKind: 'user-assigned',
    ...(department ? { department } : {}),
  },
});

describe('guardrail directory import and guardrail inventory', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let runtime: LocalRuntime | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-cli-inventory-'));
    env = { ...process.env, GUARDRAIL_DATA_DIR: dataDir };
    writeFileSync(
      join(dataDir, 'people.csv'),
      'email,name,department,manager,aliases\nana@example.com,Ana,Finance,,ana.alias@example.com\nbad-address,Bad,Sales,,\n',
    );
    writeFileSync(join(dataDir, 'people.json'), JSON.stringify({ people: [{ email: 'ben@example.com', name: 'Ben', department: 'Legal' }] }));
  });

  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('names every bad row and imports nothing unless told to skip them', async () => {
    const refused = await cli(['directory', 'import', join(dataDir, 'people.csv')], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('row 3: email is not an email address');
    const skipped = await cli(['directory', 'import', join(dataDir, 'people.csv'), '--skip-bad-rows'], env);
    expect(skipped).toMatchObject({ code: 0, stdout: `imported 1 person (1 aliases) from ${join(dataDir, 'people.csv')}\n` });
    expect(skipped.stderr).toContain('row 3: email is not an email address');
    expect(await cli(['inventory'], env)).toMatchObject({ code: 0, stdout: 'No apps in the inventory yet.\n' });
  });

  it('through a running runtime: an alias counts as its person, in the directory department', async () => {
    runtime = await startLocalRuntime({ port: 0, dataDir, replaySamples: false, out: { write: () => true } });
    const json = await cli(['directory', 'import', join(dataDir, 'people.json')], env);
    expect(json.code).toBe(0);
    for (const [n, email] of [
      [1, 'ana.alias@example.com'],
      [2, 'ana@example.com'],
      [3, 'ben@example.com'],
    ] as const) {
      const response = await fetch(`${runtime.url}/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope(n, email)),
      });
      expect(response.status).toBe(202);
    }
    const listed = await cli(['inventory', '--json'], env);
    expect(listed.code).toBe(0);
    const body = JSON.parse(listed.stdout) as { apps: { name: string; users: number; departments: string[] }[] };
    expect(body.apps).toEqual([expect.objectContaining({ name: 'Whiteboardly', users: 2, departments: ['Finance', 'Legal'] })]);
    const legal = await cli(['inventory', '--department', 'legal'], env);
    expect(legal.stdout).toMatch(/^APP +STATUS +PEOPLE/);
    expect(legal.stdout).toContain('Whiteboardly');
    expect(legal.stdout).toMatch(/1 app in legal\n$/);
    expect((await cli(['inventory', '--department', 'Sales'], env)).stdout).toBe('No apps in the inventory for Sales yet.\n');
  });
});

describe('guardrail inventory import-assignments', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let runtime: LocalRuntime | undefined;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-cli-assignments-'));
    env = { ...process.env, GUARDRAIL_DATA_DIR: dataDir };
    const rows = ['User,Login,Application name,Assigned on,Unassigned on'];
    for (let i = 0; i < 12; i++) rows.push(`Person ${i},person${i}@example.com,Box,2026-01-05T10:00:00Z,`);
    rows.push('Left,left@example.com,Box,2026-01-05T10:00:00Z,2026-03-01T10:00:00Z');
    writeFileSync(join(dataDir, 'box.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(dataDir, 'bad.csv'), 'User,Login,Application name\nAna,ana,Box\n');
  });

  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks for --app and a known source', async () => {
    expect((await cli(['inventory', 'import-assignments', join(dataDir, 'box.csv')], env)).code).toBe(2);
    const source = await cli(['inventory', 'import-assignments', join(dataDir, 'box.csv'), '--app', 'Box', '--source', 'okta-ish'], env);
    expect(source).toMatchObject({ code: 2 });
    expect(source.stderr).toContain('--source is one of okta, entra-id');
  });

  it('through the running runtime: imports Box’s list, names bad rows, and renewals count from it', async () => {
    runtime = await startLocalRuntime({ port: 0, dataDir, replaySamples: false, out: { write: () => true } });
    const bad = await cli(['inventory', 'import-assignments', join(dataDir, 'bad.csv'), '--app', 'Box'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('row 2: "ana" is not an email address');
    const done = await cli(['inventory', 'import-assignments', join(dataDir, 'box.csv'), '--app', 'Box'], env);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/^Box: 12 people assigned \(12 added, 0 removed\)/);
    expect(done.stdout).toContain('left out: 1 ended assignments');
    const unknown = await cli(['inventory', 'import-assignments', join(dataDir, 'box.csv'), '--app', 'Nowhere Tool'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no app "Nowhere Tool"');
    const renewals = await cli(['renewals', '--json'], env);
    const box = (JSON.parse(renewals.stdout) as { renewals: { key: string; seatsUsed?: number; seatsUsedFrom?: string }[] }).renewals.find(
      (r) => r.key === 'vendor:box',
    );
    expect(box).toMatchObject({ seatsUsed: 12, seatsUsedFrom: expect.stringMatching(/^from the Okta assignment list imported \d{4}-\d{2}-\d{2}$/) });
  });
});
