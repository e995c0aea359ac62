/**
 * Lambda for `App Connected` events (SSO app added, user assigned, OAuth
 * consent): catches shadow IT at the moment an app is connected, records the
 * decision, notifies IT when it needs a look, and publishes the decision.
 */
import { createGuardrailHandler } from './shared/guardrail-handler';
import type { GuardrailHandlerDeps, GuardrailLambdaHandler } from './shared/guardrail-handler';
import { awsGuardrailEdges } from '../composition/aws-edges';
import { guardrailServices } from '../composition/root';
import { readOptionalLinkConfig } from './shared/approvals-config';
import { readGuardrailConfig } from './shared/config';

/** The handler with injected dependencies (tests, the local runtime). */
export function createAppConnectedHandler(deps: GuardrailHandlerDeps): GuardrailLambdaHandler {
  return createGuardrailHandler('app-connected', deps);
}

/** The deployed handler: the root's services over the AWS edges, built once per container from its environment. */
export const handler: GuardrailLambdaHandler = createGuardrailHandler('app-connected', () =>
  guardrailServices(awsGuardrailEdges(readGuardrailConfig(), readOptionalLinkConfig())),
);
