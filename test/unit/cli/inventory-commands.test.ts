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
