/**
 * The production wiring of the approvals Lambdas: AWS adapters from the
 * environment, built once per container so SDK clients, the policy cache and
 * the signing keyring (cached five minutes) survive between invocations.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { dynamoDbDocumentClient, eventBridgeClient, snsClient } from '../../adapters/clients';
import { DynamoDbPolicyStore } from '../../adapters/dynamodb/policy-store';
import { requestsTableStores } from '../../adapters/dynamodb/requests-table';
import { EventBridgeDecisionPublisher } from '../../adapters/eventbridge/decision-publisher';
import { SnsNotifier, SnsRequesterNotifier } from '../../adapters/notifier/sns-notifier';
import { SignedDecisionLinkIssuer } from '../../adapters/security/decision-link-issuer';
import { SecretsManagerKeyProvider, SsmParameterKeyProvider, type SigningKeyProvider } from '../../adapters/security/signing-keys';
import type { ApprovalAppDeps } from '../../adapters/web/approvals-app';
import { systemClock } from '../../domain/ports/clock';
import { readApprovalsConfig, type SigningKeySource } from './approvals-config';

export interface ApprovalsHandlerDeps {
  /** The web app's dependencies (a superset of what the sweeps need). */
  app: ApprovalAppDeps;
  logger: Logger;
  metrics: Metrics;
  /** Which JWT claim names the signed-in approver's email. */
  approverEmailClaim: string;
  /** Which JWT claim holds the approver's immutable subject (default `sub`). */
  approverSubjectClaim?: string;
}

/** Where the decision-link keys are read from; the key itself never passes through the environment. */
export function signingKeyProvider(source: SigningKeySource): SigningKeyProvider {
  return source.kind === 'secrets-manager'
    ? new SecretsManagerKeyProvider({ secretId: source.secretId })
    : new SsmParameterKeyProvider({ name: source.parameterName, versions: source.versions });
}

/** Builds every dependency from env vars; throws naming what is missing or invalid. */
export function defaultApprovalsDeps(env: NodeJS.ProcessEnv = process.env): ApprovalsHandlerDeps {
  const config = readApprovalsConfig(env);
  const logger = new Logger();
  const metrics = new Metrics();
  const documents = dynamoDbDocumentClient();
  const keys = signingKeyProvider(config.signingKey);
  const { approvals, usedLinks, digestQueue, audit } = requestsTableStores(documents, config.requestsTableName);
  const links = new SignedDecisionLinkIssuer({ keys, baseUrl: config.baseUrl, inbox: config.inboxEnabled });
  return {
    app: {
      policy: new DynamoDbPolicyStore(documents, config.policyTableName, { cacheTtlSeconds: config.policyCacheTtlSeconds, logger }),
      approvals,
      usedLinks,
      digestQueue,
      audit,
      notifier: new SnsNotifier(snsClient(), config.itTopicArn),
      requesterNotifier: new SnsRequesterNotifier(snsClient(), config.requesterTopicArn),
      decisions: new EventBridgeDecisionPublisher(eventBridgeClient(), config.eventBusName),
      links,
      clock: systemClock,
      logger,
      keys,
      baseUrl: config.baseUrl,
      inboxEnabled: config.inboxEnabled,
      // The inbox exists only with an identity provider; then a decision also needs the link's approver signed in.
      decisionsNeedSignIn: config.inboxEnabled,
    },
    logger,
    metrics,
    approverEmailClaim: config.approverEmailClaim,
    approverSubjectClaim: config.approverSubjectClaim,
  };
}
