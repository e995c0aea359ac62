/**
 * The `policy` commands against "deployed" tables: dynalite standing in for
 * DynamoDB through DYNAMODB_ENDPOINT, tables named with --table as an
 * operator names the stack's outputs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbRequestStore } from '../../../functions/adapters/dynamodb/request-store';
import { runCli } from '../../../functions/cli/main';
import { startTestDynamo, type TestDynamo, type TestTables } from '../../support/dynalite';
import { recordFor, sampleEvent } from '../../support/fixtures';

// Each test drives whole commands (a runtime replaying every sample, Scans): generous on a busy 2-core machine.
jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..', '..');

let dynamo: TestDynamo;
let tables: TestTables;
let work: string;
let env: NodeJS.ProcessEnv;

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, cwd: ROOT });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dynamo = await startTestDynamo();
  tables = await dynamo.freshTables();
  work = mkdtempSync(join(tmpdir(), 'guardrail-deployed-'));
  env = { ...process.env, DYNAMODB_ENDPOINT: dynamo.endpoint, GUARDRAIL_DATA_DIR: join(work, 'unused') };
  const requests = new DynamoDbRequestStore(dynamo.documents, tables.requests);
  for (const sample of [
    'purchase-request/dropbox-marketing-confidential.json',
    'purchase-request/slack-seats-sanctioned.json',
    'app-connected/okta-app-created-unknown.json',
  ]) {
    await requests.createIfAbsent(recordFor(sampleEvent(sample)));
  }
  const changed = readFileSync(join(ROOT, 'policy', 'default.yaml'), 'utf8')
    .replace(/^version: .*$/m, 'version: "2026-12-01"')
    .replace(/(- id: dropbox\n(?:.*\n)*?\s+status: )tolerated/, '$1prohibited');
  writeFileSync(join(work, 'changed.yaml'), changed);
});

afterAll(async () => {
  await dynamo.teardown();
  rmSync(work, { recursive: true, force: true });
});

describe('policy commands on deployed tables', () => {
  it('imports, diffs against the current version, simulates on the requests table, and refuses an older version', async () => {
    const first = await cli(['policy', 'import', 'policy/default.yaml', '--table', tables.policy, '--region', 'eu-west-1']);
    expect(first.stdout).toBe(`Stored policy 2026-11-27.1 (27 vendors, 14 categories) in table ${tables.policy}; it is now current.\n`);

    const changed = join(work, 'changed.yaml');
    const diff = await cli(['policy', 'diff', 'current', changed, '--table', tables.policy, '--region', 'eu-west-1']);
    expect(diff.stdout).toContain('Vendors:\n  Dropbox: tolerated → prohibited\n');

    const simulated = await cli([
      'policy',
      'simulate',
      changed,
      '--table',
      tables.requests,
      '--policy-table',
      tables.policy,
      '--region',
      'eu-west-1',
      '--json',
    ]);
    expect(simulated.code).toBe(0);
    const answer = JSON.parse(simulated.stdout);
    expect(answer.current).toEqual({ version: '2026-11-27.1' });
    expect(answer.simulation.totals).toMatchObject({ scanned: 3, evaluated: 3, changed: 1, transitions: [{ from: 'review', to: 'block', count: 1 }] });
    expect(simulated.stderr).toMatch(/^simulating: 3 records read, 3 evaluated, 1 would change/m);

    const imported = await cli(['policy', 'import', changed, '--table', tables.policy, '--region', 'eu-west-1']);
    expect(imported.stdout).toMatch(/it is now current \(was 2026-11-27\.1\)\. Changes: Dropbox: tolerated → prohibited\.\n$/);
    const older = await cli(['policy', 'import', 'policy/default.yaml', '--table', tables.policy, '--region', 'eu-west-1']);
    expect(older).toMatchObject({ code: 1, stderr: expect.stringMatching(/is older than the current "2026-12-01".* with --force \(for a rollback\)\.\n$/) });
  });

  it('names flags that do not go together', async () => {
    expect((await cli(['policy', 'simulate', 'policy/default.yaml', '--policy-table', 'x'])).stderr).toContain('--policy-table goes with --table');
    expect((await cli(['policy', 'simulate', 'policy/default.yaml', '--limit', '0'])).stderr).toContain('--limit: "0" is not a whole number');
    expect((await cli(['policy', 'diff', 'a', 'b', 'c'])).code).toBe(2);
  });
});
