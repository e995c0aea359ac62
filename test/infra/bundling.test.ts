/**
 * The real synth path: every handler (the two guardrail kinds, ingest,
 * native source, and the approvals API, sweep and digest) bundled by the local esbuild (never Docker), each bundle
 * loadable, and the app's own cdk-nag plugin passing.
 * Slower than the template tests (esbuild runs for real), so it is one test.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ENV } from '../../infra/constructs/guardrail-function';
import { synthGuardrail } from './support';

const KINDS = ['purchase-request', 'app-connected'] as const;

/** Modules only `npm start` uses: a Lambda bundle that contains one has picked up a local edge. */
const LOCAL_ONLY =
  /functions\/local\/|composition\/local-edges|outbox-notifier|file-dead-letter-sink|file-ingest-secrets|local-session|local-ingest|node_modules\/dynalite\//;

const NEVER_CALLED =
  /node_modules\/zod\/v4\/classic\/|client-ssm\/|ssm-parameter-keys|node_modules\/bowser\/|credential-provider-(ini|sso|process|web-identity)\//;

/** What Lambda would set; values are placeholders, enough for module initialisation. */
const FAKE_LAMBDA_ENV: Record<string, string> = {
  [ENV.policyTable]: 'policy-table',
  [ENV.requestsTable]: 'requests-table',
  [ENV.itTopicArn]: 'arn:aws:sns:eu-west-1:111122223333:it-approvers',
  [ENV.eventBusName]: 'procurement-guardrail',
  [ENV.deadLetterQueueUrl]: 'https://sqs.eu-west-1.amazonaws.com/111122223333/dlq',
  [ENV.policyCacheTtlSeconds]: '60',
  [ENV.serviceName]: 'procurement-guardrail',
  [ENV.metricsNamespace]: 'ProcurementGuardrail',
  [ENV.logLevel]: 'ERROR',
  [ENV.ingestSecretArn]: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:guardrail-ingest-AbCdEf',
  [ENV.requesterTopicArn]: 'arn:aws:sns:eu-west-1:111122223333:requesters',
  [ENV.decisionLinkKeySecretArn]: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:guardrail-links-AbCdEf',
  [ENV.approvalsBaseUrl]: 'https://abc123.execute-api.eu-west-1.amazonaws.com/',
  AWS_LAMBDA_FUNCTION_NAME: 'bundling-test',
  // As Lambda sets it: tracing switches itself on (every client gets its X-Ray middleware).
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
};

describe('cdk synth with bundling', () => {
  let outdir: string;
  const savedDocker = process.env.CDK_DOCKER;

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'guardrail-cdk-out-'));
    // Any attempt to fall back to Docker would fail loudly.
    process.env.CDK_DOCKER = path.join(outdir, 'no-docker-here');
  });
  afterAll(() => {
    if (savedDocker === undefined) delete process.env.CDK_DOCKER;
    else process.env.CDK_DOCKER = savedDocker;
    rmSync(outdir, { recursive: true, force: true });
  });

  test('bundles every handler locally into minified, source-mapped CommonJS that exports handler', () => {
    const g = synthGuardrail({}, { bundle: true, outdir });
    // app.synth() ran the registered AwsSolutions plugin; it would have thrown on a finding.
    const assembly = g.app.synth();
    const validation = JSON.parse(readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(validation.pluginReports).toEqual([]);

    const resources = g.template.toJSON().Resources as Record<string, { Properties: { Code: { S3Key: string } } }>;
    const functions = [
      ...KINDS.map((kind) => g.stack.functions[kind]),
      g.stack.ingest.function,
      g.stack.nativeSources.function,
      g.stack.approvals.apiFunction,
      g.stack.approvals.sweepFunction,
      g.stack.approvals.digestFunction,
    ];
    for (const fn of functions) {
      const fnId = g.logicalId(fn);
      // The code's S3 key is the asset hash; the staged bundle sits in asset.<hash>/.
      const assetHash = resources[fnId].Properties.Code.S3Key.replace(/\.zip$/, '');
      const assetDir = path.join(assembly.directory, `asset.${assetHash}`);
      const files = readdirSync(assetDir).sort();
      expect(files).toEqual(['index.js', 'index.js.map']);

      const bundlePath = path.join(assetDir, 'index.js');
      const code = readFileSync(bundlePath, 'utf8');
      // Minified: long lines (only template literals keep their newlines).
      expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
      expect(code).toContain('//# sourceMappingURL=index.js.map');
      // A Lambda bundle stays well under the 50 MB zipped / 250 MB unzipped limits.
      expect(statSync(bundlePath).size).toBeLessThan(10 * 1024 * 1024);
      // Local-only edges (dynalite, the outbox, files, the local sign-in) stay in modules no handler imports.
      const sources = (JSON.parse(readFileSync(`${bundlePath}.map`, 'utf8')) as { sources: string[] }).sources;
      expect(sources.some((source) => source.endsWith('functions/composition/root.ts') || source.endsWith('functions/composition/ingest.ts'))).toBe(true);
      expect(sources.filter((source) => LOCAL_ONLY.test(source))).toEqual([]);
      // Nothing the function never calls: classic zod (zod/mini validates), the SSM key provider and client
      // (the stack's keys are in Secrets Manager), browser and file-based credential code.
      expect(sources.filter((source) => NEVER_CALLED.test(source))).toEqual([]);
      // The ingest functions touch no table.
      if (fn === g.stack.ingest.function || fn === g.stack.nativeSources.function) {
        expect(sources.filter((source) => source.includes('@aws-sdk/client-dynamodb/'))).toEqual([]);
      }

      // Self-contained CommonJS exposing the configured handler: load it in a plain Node
      // process (no jest transform, no node_modules on the path) with the stack's env names set.
      const env = { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1', NODE_PATH: '', ...FAKE_LAMBDA_ENV };
      const out = execFileSync(process.execPath, ['-e', 'process.stdout.write(typeof require(process.argv[1]).handler)', bundlePath], {
        cwd: outdir,
        env,
        encoding: 'utf8',
      });
      expect(out.trim().split('\n').pop()).toBe('function');
    }
    expect(existsSync(path.join(assembly.directory, 'ProcurementGuardrail.template.json'))).toBe(true);
  }, 120_000);
});
