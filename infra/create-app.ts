/**
 * Builds the CDK app without synthesising it, so `infra/app.ts` (the CLI's
 * entry) and the tests construct exactly the same tree: same stack, same
 * context validation, same cdk-nag registration.
 */
import { App, type AppProps, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CONTEXT_KEYS, readDeploymentConfig } from './config';
import { GuardrailStack } from './guardrail-stack';

export const STACK_NAME = 'ProcurementGuardrail';
export const DEFAULT_REGION = 'eu-west-1';

export interface CreateGuardrailAppOptions {
  appProps?: AppProps;
  /**
   * Overrides the deployment environment. By default: region from context
   * `guardrail:region`, else `CDK_DEFAULT_REGION` (the CLI's profile), else
   * eu-west-1; account from `CDK_DEFAULT_ACCOUNT` when the CLI knows it.
   */
  env?: Environment;
}

/**
 * The app with the guardrail stack and the AwsSolutions checks registered:
 * any unacknowledged finding fails `cdk synth`.
 */
export function createGuardrailApp(options: CreateGuardrailAppOptions = {}): { app: App; stack: GuardrailStack } {
  const app = new App(options.appProps);
  const contextRegion: unknown = app.node.tryGetContext(CONTEXT_KEYS.region);
  const env: Environment = options.env ?? {
    // An explicit region is required: TableV2 with a customer-managed key cannot be
    // rendered region-agnostic. No lookups are made, so synth needs no credentials.
    region: typeof contextRegion === 'string' && contextRegion !== '' ? contextRegion : process.env.CDK_DEFAULT_REGION || DEFAULT_REGION,
    account: process.env.CDK_DEFAULT_ACCOUNT || undefined,
  };
  const stack = new GuardrailStack(app, STACK_NAME, { env, config: readDeploymentConfig(app) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
