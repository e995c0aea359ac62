/**
 * Builds the guardrail app the way `cdk synth` does (context from cdk.json,
 * the same factory as infra/app.ts) but without bundling, for template tests.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { createGuardrailApp } from '../../infra/create-app';
import type { GuardrailStack } from '../../infra/guardrail-stack';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const TEST_REGION = 'eu-west-1';

/** The `context` block of cdk.json: the defaults an operator deploys with. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

export interface SynthesisedGuardrail {
  app: App;
  stack: GuardrailStack;
  template: Template;
  /** Logical id of a construct's CloudFormation resource in the template. */
  logicalId(construct: IConstruct): string;
}

export function synthGuardrail(context: Record<string, unknown> = {}, options: { bundle?: boolean; outdir?: string } = {}): SynthesisedGuardrail {
  const { app, stack } = createGuardrailApp({
    appProps: {
      outdir: options.outdir,
      context: {
        ...cdkJsonContext(),
        // Template tests skip esbuild (1 s instead of several); the bundling test opts back in.
        ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
        ...context,
      },
    },
    // Pinned so the template does not depend on the machine's AWS profile.
    env: { region: TEST_REGION },
  });
  const template = Template.fromStack(stack);
  const logicalId = (construct: IConstruct) => {
    const element = (construct.node.defaultChild ?? construct) as CfnElement;
    return stack.getLogicalId(element);
  };
  return { app, stack, template, logicalId };
}

/**
 * A function's environment as Lambda would see it, for checking it against
 * the handler's own schema: CloudFormation references stand for the value
 * they resolve to (a name, an ARN or the API's https URL).
 */
export function resolvedEnv(vars: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, typeof value === 'string' ? value : 'https://resolved-at-deploy.example.com/']));
}
