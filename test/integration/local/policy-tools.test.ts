/**
 * Policy tools against a running local runtime, as an IT engineer uses them
 * (issue 11's first "done when"): on the default policy with Dropbox made
 * prohibited, `policy diff` names the change, `policy simulate` shows the
 * Marketing Dropbox request turning to block, and nothing in the store (nor
 * the current policy) is different afterwards. Then the same simulation on
 * the data folder directly once the runtime has stopped.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { runCli } from '../../../functions/cli/main';
import { stableJson } from '../../../functions/domain/stable-json';
import { startLocalRuntime, type LocalRuntime } from '../../../functions/local/runtime';
import { LOCAL_POLICY_TABLE, LOCAL_REQUESTS_TABLE, openLocalTables } from '../../../functions/local/tables';
import { openPolicyStore } from '../../../functions/composition/root';
import { dataFiles } from '../../../functions/local/paths';

// Each test drives whole commands (a runtime replaying every sample, Scans): generous on a busy 2-core machine.
jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');
const DEFAULT_YAML = readFileSync(join(ROOT, 'policy', 'default.yaml'), 'utf8');

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, cwd: ROOT });
  return { code, stdout, stderr };
}

/** Every item of both tables and the runtime's files, in a fixed order: equal snapshots mean nothing was written. */
async function snapshot(documents: DynamoDBDocumentClient, dataDir: string): Promise<string> {
  const tables: Record<string, unknown[]> = {};
  for (const table of [LOCAL_POLICY_TABLE, LOCAL_REQUESTS_TABLE]) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await documents.send(new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }));
      items.push(...((page.Items ?? []) as Record<string, unknown>[]));
      start = page.LastEvaluatedKey;
    } while (start);
    tables[table] = items.sort((a, b) => (`${a.pk}|${a.sk}` < `${b.pk}|${b.sk}` ? -1 : 1));
  }
  const files = dataFiles(dataDir);
  const text = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return '';
    }
  };
  return stableJson({ tables, outbox: text(files.outbox), decisions: text(files.decisions), deadLetters: text(files.deadLetters) });
}

describe('policy diff and simulate against a running local runtime', () => {
  let dataDir: string;
  let changedFile: string;
  let env: NodeJS.ProcessEnv;
  let runtime: LocalRuntime | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-policy-tools-'));
    changedFile = join(dataDir, 'changed.yaml');
    const changed = DEFAULT_YAML.replace(/^version: .*$/m, 'version: "2026-12-01"').replace(/(- id: dropbox\n(?:.*\n)*?\s+status: )tolerated/, '$1prohibited');
    expect(changed).not.toBe(DEFAULT_YAML);
    writeFileSync(changedFile, changed);
    env = { ...process.env, GUARDRAIL_DATA_DIR: dataDir };
    delete env.GUARDRAIL_URL;
    runtime = await startLocalRuntime({ port: 0, dataDir, replaySamples: true, sweepIntervalMs: 0, out: { write: () => true } });
  });

  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('policy diff names Dropbox becoming prohibited, from files and from the stored current policy', async () => {
    const files = await cli(['policy', 'diff', 'policy/default.yaml', changedFile], env);
    expect(files.code).toBe(0);
    expect(files.stdout).toBe(
      `Policy 2026-11-27.1 (policy/default.yaml) → 2026-12-01 (${changedFile}): 1 change\nVendors:\n  Dropbox: tolerated → prohibited\n`,
    );

    const stored = await cli(['policy', 'diff', changedFile, '--json'], env);
    expect(stored.code).toBe(0);
    const diff = JSON.parse(stored.stdout);
    expect(diff).toMatchObject({ from: { version: '2026-11-27.1' }, to: { version: '2026-12-01' }, identical: false, changeCount: 1 });
    expect(diff.sections).toEqual([
      {
        id: 'vendors',
        title: 'Vendors',
        changes: [
          {
            path: 'vendors.dropbox.status',
            change: 'changed',
            subject: 'Dropbox',
            field: 'status',
            before: 'tolerated',
            after: 'prohibited',
            text: 'Dropbox: tolerated → prohibited',
          },
        ],
      },
    ]);
    const same = await cli(['policy', 'diff', '@2026-11-27.1', 'current'], env);
    expect(same.stdout).toMatch(/: no changes\n$/);
    const missing = await cli(['policy', 'diff', '@1999-01-01', 'current'], env);
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('no policy version "1999-01-01" is stored') });
  });

  it('policy simulate shows the Marketing Dropbox request turning to block, and changes nothing', async () => {
    const before = await snapshot(runtime!.context.tables.documents, dataDir);
    const text = await cli(['policy', 'simulate', changedFile], env);
    expect(text.code).toBe(0);
    expect(text.stderr).toContain(`Simulating through the local runtime at ${runtime!.url} (POST /policy?dryRun=1)`);
    expect(text.stdout).toMatch(/^coupa:PR-2026-1042 {2}Dropbox \(Marketing\), received \S+: review → block, severity high → critical$/m);
    expect(text.stdout).toMatch(/^ {4}\+ VENDOR_PROHIBITED \(critical\): Dropbox is prohibited by policy/m);
    expect(text.stdout).toMatch(/^ {4}- VENDOR_TOLERATED \(low\): /m);
    expect(text.stdout).toContain('Against the current policy 2026-11-27.1: Dropbox: tolerated → prohibited.');
    expect(text.stdout).toMatch(/^Totals: \d+ evaluated, 1 would change \(1 in outcome\), \d+ unchanged\.$/m);
    expect(text.stdout).toContain('  review → block: 1\n');

    const asJson = JSON.parse((await cli(['policy', 'simulate', changedFile, '--json'], env)).stdout);
    expect(asJson.current).toEqual({ version: '2026-11-27.1' });
    expect(asJson.simulation.totals).toMatchObject({ changed: 1, outcomeChanged: 1, failed: 0, transitions: [{ from: 'review', to: 'block', count: 1 }] });
    expect(asJson.simulation.totals.evaluated).toBe(runtime!.replayed.filter((r) => r.recordId).length);
    expect(asJson.simulation.changes[0]).toMatchObject({ recordId: 'coupa:PR-2026-1042', before: { outcome: 'review' }, after: { outcome: 'block' } });

    // Nothing was written: the tables, the outbox, the decision log and the current policy are as they were.
    expect(await snapshot(runtime!.context.tables.documents, dataDir)).toBe(before);
    const health = (await (await fetch(`${runtime!.url}/health`)).json()) as { policyVersion: string };
    expect(health.policyVersion).toBe('2026-11-27.1');
  });

  it('POST /policy?dryRun=1 answers the simulation for a YAML body, with or without its content type', async () => {
    const yaml = readFileSync(changedFile, 'utf8');
    for (const headers of [{ 'content-type': 'application/yaml' }, { 'content-type': 'text/plain' }, {}] as Record<string, string>[]) {
      const response = await fetch(`${runtime!.url}/policy?dryRun=1&limit=100`, { method: 'POST', headers, body: yaml });
      expect(response.status).toBe(200);
      const body = (await response.json()) as any;
      expect(body).toMatchObject({
        dryRun: true,
        current: { version: '2026-11-27.1' },
        diff: { changeCount: 1 },
        simulation: { limit: 100, totals: { changed: 1 } },
      });
    }
    const bad = await fetch(`${runtime!.url}/policy?dryRun=1&limit=lots&since=yesterday`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: yaml,
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).problems).toEqual([
      expect.stringMatching(/^since: "yesterday" is not a date/),
      expect.stringMatching(/^limit: "lots" is not a whole number/),
    ]);
    const broken = await fetch(`${runtime!.url}/policy?dryRun=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: `${yaml}\nversion: again\n  bad: [`,
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as any).problems[0]).toMatch(/^not valid YAML: /);
    expect(((await (await fetch(`${runtime!.url}/health`)).json()) as any).policyVersion).toBe('2026-11-27.1');
  });

  it('simulates on the data folder directly once the runtime has stopped, with a progress line on stderr', async () => {
    await runtime!.close();
    runtime = undefined;
    const stores = await openLocalTables(dataFiles(dataDir).dynamodb);
    const before = await snapshot(stores.documents, dataDir);
    await stores.close();

    const result = await cli(['policy', 'simulate', changedFile, '--since', '2000-01-01'], env);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^simulating: \d+ records read, \d+ evaluated, 1 would change \(\d+\.\d s\)\n$/);
    expect(result.stdout).toContain(`in the local store (${dataDir})`);
    expect(result.stdout).toMatch(/^coupa:PR-2026-1042 {2}Dropbox \(Marketing\).*: review → block/m);

    const after = await openLocalTables(dataFiles(dataDir).dynamodb);
    try {
      expect(await snapshot(after.documents, dataDir)).toBe(before);
      expect((await openPolicyStore(after.documents, after.policyTable).currentPointer())?.version).toBe('2026-11-27.1');
    } finally {
      await after.close();
    }
  });
});
