/**
 * Deployment settings from CDK context: defaults, command-line string forms,
 * and errors that name the key. Also the app factory's region choice.
 */
import { App } from 'aws-cdk-lib';
import { CONTEXT_KEYS, DEFAULT_CONFIG, DeploymentConfigError, parseDeploymentConfig, readDeploymentConfig } from '../../infra/config';
import { createGuardrailApp, DEFAULT_REGION, STACK_NAME } from '../../infra/create-app';
import { toCdkEventPattern } from '../../infra/guardrail-stack';
import { cdkJsonContext } from './support';

describe('parseDeploymentConfig', () => {
  test('the cdk.json defaults are valid and mean: no subscriptions, 60 s policy cache, INFO logs', () => {
    const app = new App({ context: cdkJsonContext() });
    expect(readDeploymentConfig(app)).toEqual({ ...DEFAULT_CONFIG, alarmEmail: undefined });
  });

  test('nothing set at all falls back to the same defaults', () => {
    expect(parseDeploymentConfig({})).toEqual({ ...DEFAULT_CONFIG, alarmEmail: undefined });
  });

  test('accepts JSON values as cdk.json gives them', () => {
    expect(
      parseDeploymentConfig({
        busName: 'guardrail-staging',
        approverEmails: ['it@example.com', 'security@example.com'],
        alarmEmail: 'oncall@example.com',
        policyCacheTtlSeconds: 300,
        logLevel: 'debug',
      }),
    ).toEqual({
      busName: 'guardrail-staging',
      approverEmails: ['it@example.com', 'security@example.com'],
      alarmEmail: 'oncall@example.com',
      policyCacheTtlSeconds: 300,
      logLevel: 'DEBUG',
      ingestThrottle: DEFAULT_CONFIG.ingestThrottle,
      sourceOptions: {},
      outreachContacts: [],
      legacyApprovalsIndex: false,
      approvals: DEFAULT_CONFIG.approvals,
    });
  });

  test('the legacy approvals index flag: true or false, also as their strings from -c; anything else is named', () => {
    expect(parseDeploymentConfig({ legacyApprovalsIndex: true }).legacyApprovalsIndex).toBe(true);
    expect(parseDeploymentConfig({ legacyApprovalsIndex: 'true' }).legacyApprovalsIndex).toBe(true);
    expect(parseDeploymentConfig({ legacyApprovalsIndex: 'false' }).legacyApprovalsIndex).toBe(false);
    expect(() => parseDeploymentConfig({ legacyApprovalsIndex: 'yes' })).toThrow(/guardrail:legacyApprovalsIndex.*must be true or false/s);
  });

  test('outreach contacts: "<department>=<email>" pairs, as a list or comma-separated from -c; anything else is named', () => {
    expect(parseDeploymentConfig({ outreachContacts: ['Marketing=marketing-ops@example.com', ' Customer Success = cs@example.com'] }).outreachContacts).toEqual(
      [
        { department: 'Marketing', email: 'marketing-ops@example.com' },
        { department: 'Customer Success', email: 'cs@example.com' },
      ],
    );
    expect(parseDeploymentConfig({ outreachContacts: 'Sales=sales@example.com,Finance=fin@example.com' }).outreachContacts).toHaveLength(2);
    expect(() => parseDeploymentConfig({ outreachContacts: ['marketing-ops@example.com'] })).toThrow(
      /guardrail:outreachContacts.*"<department as the policy names it>=<contact email>"/s,
    );
  });

  test('ingest settings: the Okta partner source, API throttling and normaliser options', () => {
    expect(
      parseDeploymentConfig({
        oktaEventSourceName: ' aws.partner/okta.com/acme/guardrail ',
        ingestRateLimit: 12.5,
        ingestBurstLimit: '40',
        sourceOptions: '{"okta": {"appNames": {"0oa1": "Zoom"}}}',
      }),
    ).toMatchObject({
      oktaEventSourceName: 'aws.partner/okta.com/acme/guardrail',
      ingestThrottle: { rateLimit: 12.5, burstLimit: 40 },
      sourceOptions: { okta: { appNames: { '0oa1': 'Zoom' } } },
    });
    // Empty (the cdk.json default) means no Okta rule.
    expect(parseDeploymentConfig({ oktaEventSourceName: '' }).oktaEventSourceName).toBeUndefined();
  });

  test('ingest settings are checked, each problem naming its key', () => {
    let error: unknown;
    try {
      parseDeploymentConfig({
        oktaEventSourceName: 'aws.partner/salesforce.com/acme/x',
        ingestRateLimit: 0,
        ingestBurstLimit: 2.5,
        sourceOptions: { jira: {} },
      });
    } catch (err) {
      error = err;
    }
    expect((error as DeploymentConfigError).problems).toEqual([
      expect.stringMatching(
        /^guardrail:oktaEventSourceName: must be the Okta partner event source name, aws\.partner\/okta\.com\/<okta-org>\/<event-source-name>/,
      ),
      'guardrail:ingestRateLimit: must be a number from 1 to 10000 (got 0)',
      'guardrail:ingestBurstLimit: must be a whole number from 1 to 5000 (got 2.5)',
      expect.stringMatching(/^guardrail:sourceOptions\.jira: is not a source name/),
    ]);
  });

  test('accepts the strings `cdk deploy -c key=value` passes', () => {
    expect(parseDeploymentConfig({ approverEmails: 'it@example.com, security@example.com', policyCacheTtlSeconds: '0' })).toMatchObject({
      approverEmails: ['it@example.com', 'security@example.com'],
      policyCacheTtlSeconds: 0,
    });
    expect(parseDeploymentConfig({ approverEmails: '["it@example.com"]' }).approverEmails).toEqual(['it@example.com']);
  });

  test('reports every problem at once, each naming its context key', () => {
    let error: unknown;
    try {
      parseDeploymentConfig({
        busName: 'default',
        approverEmails: ['it@example.com', 'not-an-email', 'IT@example.com'],
        alarmEmail: 'oncall',
        policyCacheTtlSeconds: -5,
        logLevel: 'LOUD',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DeploymentConfigError);
    const problems = (error as DeploymentConfigError).problems;
    expect(problems).toEqual([
      expect.stringMatching(/^guardrail:busName: .*not "default"/),
      'guardrail:approverEmails[1]: "not-an-email" is not an email address',
      'guardrail:approverEmails: IT@example.com listed more than once',
      expect.stringMatching(/^guardrail:alarmEmail: "oncall" is not an email address/),
      expect.stringMatching(/^guardrail:policyCacheTtlSeconds: must be a whole number/),
      expect.stringMatching(/^guardrail:logLevel: must be one of DEBUG, INFO, WARN, ERROR/),
    ]);
    expect((error as Error).message).toContain('Invalid CDK context');
  });

  test('rejects a malformed JSON list and a list of non-strings', () => {
    expect(() => parseDeploymentConfig({ approverEmails: '["it@example.com"' })).toThrow(/guardrail:approverEmails: .* is not a JSON array/);
    expect(() => parseDeploymentConfig({ approverEmails: [42] })).toThrow(/guardrail:approverEmails: must be a list of strings/);
  });

  test('a bad context value stops the synth before any resource is built', () => {
    expect(() =>
      createGuardrailApp({ appProps: { context: { ...cdkJsonContext(), [CONTEXT_KEYS.approverEmails]: ['nobody'] } }, env: { region: 'eu-west-1' } }),
    ).toThrow(DeploymentConfigError);
  });
});

describe('createGuardrailApp region', () => {
  const saved = { region: process.env.CDK_DEFAULT_REGION, account: process.env.CDK_DEFAULT_ACCOUNT };
  afterEach(() => {
    for (const [name, value] of [
      ['CDK_DEFAULT_REGION', saved.region],
      ['CDK_DEFAULT_ACCOUNT', saved.account],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  const build = (context: Record<string, unknown> = {}) =>
    createGuardrailApp({ appProps: { context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context } } }).stack;

  test(`falls back to ${DEFAULT_REGION} with no context and no CDK_DEFAULT_REGION, account-agnostic`, () => {
    delete process.env.CDK_DEFAULT_REGION;
    delete process.env.CDK_DEFAULT_ACCOUNT;
    const stack = build();
    expect(stack.stackName).toBe(STACK_NAME);
    expect(stack.region).toBe(DEFAULT_REGION);
    expect(stack.resolve(stack.account)).toEqual({ Ref: 'AWS::AccountId' });
  });

  test("uses the CLI's CDK_DEFAULT_REGION / CDK_DEFAULT_ACCOUNT when set", () => {
    process.env.CDK_DEFAULT_REGION = 'eu-central-1';
    process.env.CDK_DEFAULT_ACCOUNT = '111122223333';
    const stack = build();
    expect(stack.region).toBe('eu-central-1');
    expect(stack.account).toBe('111122223333');
  });

  test('context guardrail:region wins over the environment', () => {
    process.env.CDK_DEFAULT_REGION = 'eu-central-1';
    expect(build({ [CONTEXT_KEYS.region]: 'eu-north-1' }).region).toBe('eu-north-1');
  });
});

describe('toCdkEventPattern', () => {
  test('renames detail-type for CDK and keeps every other key as is', () => {
    expect(toCdkEventPattern({ source: ['a'], 'detail-type': ['b'], detail: { x: [{ prefix: 'y' }] } })).toEqual({
      source: ['a'],
      detailType: ['b'],
      detail: { x: [{ prefix: 'y' }] },
    });
  });

  test('refuses a pattern EventBridge would reject, so the synth fails instead of the deploy', () => {
    expect(() => toCdkEventPattern({ source: 'a' })).toThrow(/source: must be an array/);
  });
});
