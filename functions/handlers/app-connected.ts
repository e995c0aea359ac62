/**
 * Lambda for `App Connected` events (SSO app added, user assigned, OAuth
 * consent): catches shadow IT at the moment an app is connected, records the
 * decision, notifies IT when it needs a look, and publishes the decision.
 */
import { createGuardrailBatchHandler, createGuardrailHandler } from './shared/guardrail-handler';
import type { GuardrailBatchLambdaHandler, GuardrailHandlerDeps, GuardrailLambdaHandler } from './shared/guardrail-handler';
import { awsGuardrailEdges } from '../composition/aws-edges';
import { guardrailServices } from '../composition/root';
import { readOptionalLinkConfig } from './shared/approvals-config';
import { readGuardrailConfig } from './shared/config';

/** The single-event handler with injected dependencies (tests, the local runtime). */
export function createAppConnectedHandler(deps: GuardrailHandlerDeps): GuardrailLambdaHandler {
  return createGuardrailHandler('app-connected', deps);
}

/** The batch handler with injected dependencies (tests, the benchmark). */
export function createAppConnectedBatchHandler(deps: GuardrailHandlerDeps): GuardrailBatchLambdaHandler {
  return createGuardrailBatchHandler('app-connected', deps);
}

/**
 * The deployed handler: SQS batches from the app-connected queue, over the root's
 * services on the AWS edges, built once per container from its environment.
 */
export const handler: GuardrailBatchLambdaHandler = createGuardrailBatchHandler('app-connected', () =>
  guardrailServices(awsGuardrailEdges(readGuardrailConfig(), readOptionalLinkConfig())),
);
