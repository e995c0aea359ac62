/**
 * Lambda for `Purchase Request Submitted` events: evaluates a request before
 * the contract is signed, records the decision, notifies IT when it needs a
 * look, and answers on the bus with a `Guardrail Decision`.
 */
import { createGuardrailBatchHandler, createGuardrailHandler } from './shared/guardrail-handler';
import type { GuardrailBatchLambdaHandler, GuardrailHandlerDeps, GuardrailLambdaHandler } from './shared/guardrail-handler';
import { awsGuardrailEdges } from '../composition/aws-edges';
import { guardrailServices } from '../composition/root';
import { readOptionalLinkConfig } from './shared/approvals-config';
import { readGuardrailConfig } from './shared/config';

/** The single-event handler with injected dependencies (tests, the local runtime). */
export function createPurchaseRequestHandler(deps: GuardrailHandlerDeps): GuardrailLambdaHandler {
  return createGuardrailHandler('purchase-request', deps);
}

/** The batch handler with injected dependencies (tests, the benchmark). */
export function createPurchaseRequestBatchHandler(deps: GuardrailHandlerDeps): GuardrailBatchLambdaHandler {
  return createGuardrailBatchHandler('purchase-request', deps);
}

/**
 * The deployed handler: SQS batches from the purchase-request queue, over the root's
 * services on the AWS edges, built once per container from its environment.
 */
export const handler: GuardrailBatchLambdaHandler = createGuardrailBatchHandler('purchase-request', () =>
  guardrailServices(awsGuardrailEdges(readGuardrailConfig(), readOptionalLinkConfig())),
);
