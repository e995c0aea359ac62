/**
 * Lambda for `Purchase Request Submitted` events: evaluates a request before
 * the contract is signed, records the decision, notifies IT when it needs a
 * look, and answers on the bus with a `Guardrail Decision`.
 */
import { createGuardrailHandler } from './shared/guardrail-handler';
import type { GuardrailHandlerDeps, GuardrailLambdaHandler } from './shared/guardrail-handler';
import { awsGuardrailEdges } from '../composition/aws-edges';
import { guardrailServices } from '../composition/root';
import { readOptionalLinkConfig } from './shared/approvals-config';
import { readGuardrailConfig } from './shared/config';

/** The handler with injected dependencies (tests, the local runtime). */
export function createPurchaseRequestHandler(deps: GuardrailHandlerDeps): GuardrailLambdaHandler {
  return createGuardrailHandler('purchase-request', deps);
}

/** The deployed handler: the root's services over the AWS edges, built once per container from its environment. */
export const handler: GuardrailLambdaHandler = createGuardrailHandler('purchase-request', () =>
  guardrailServices(awsGuardrailEdges(readGuardrailConfig(), readOptionalLinkConfig())),
);
