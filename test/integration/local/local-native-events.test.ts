/**
 * Native events posted to the local /events: Okta partner events and IAM
 * Identity Center CloudTrail calls reach the native-source handler through the
 * CDK rules' own patterns, their canonical events are decided on the bus, and
 * normaliser options come from <data dir>/source-options.json.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime } from '../../../functions/local/runtime';

const ROOT = join(__dirname, '..', '..', '..');
const sample = (name: string) => JSON.parse(readFileSync(join(ROOT, 'events', name), 'utf8')) as Record<string, any>;
const quiet = { write: () => true };

async function post(runtime: LocalRuntime, body: unknown) {
  const response = await fetch(`${runtime.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as any };
}

describe('local bus: native events', () => {
  let dataDir: string;
  let runtime: LocalRuntime;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-native-test-'));
    const appArn = sample('iam-identity-center/create-application-assignment.json').detail.requestParameters.applicationArn;
    writeFileSync(join(dataDir, 'source-options.json'), JSON.stringify({ 'iam-identity-center': { appNames: { [appArn]: 'Dropbox (Legal)' } } }));
    runtime = await startLocalRuntime({ port: 0, dataDir, inMemory: true, replaySamples: false, out: quiet, sweepIntervalMs: 0 });
  });

  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('routes an Okta partner event to the native-source handler and decides what it becomes', async () => {
    const answer = await post(runtime, sample('okta/eventbridge-application-created.json'));
    expect(answer.status).toBe(202);
    expect(answer.body.rule).toBe('guardrail-native-source (okta)');
    expect(answer.body.result).toMatchObject({ status: 'published', source: 'okta', accepted: 1 });
    expect(answer.body.result.deliveries[0]).toMatchObject({ status: 202, body: { kind: 'app-connected', outcome: expect.any(String) } });
  });

  it('routes an aws.sso CloudTrail call, naming the app from source-options.json', async () => {
    const answer = await post(runtime, sample('iam-identity-center/create-application-assignment.json'));
    expect(answer.status).toBe(202);
    const recordId = answer.body.result.ids[0];
    const record = await runtime.context.requests.get(recordId);
    expect(record?.detail).toMatchObject({ app: { name: 'Dropbox (Legal)' } });
    expect(record?.decision.vendor).toMatchObject({ vendorId: 'dropbox' });
  });

  it('leaves to AWS what its rules would drop: a failed call matches no rule', async () => {
    const failed = sample('iam-identity-center/ignored-access-denied.json');
    const answer = await post(runtime, failed);
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatch(/native-source rules/);
  });
});
