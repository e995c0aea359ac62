/**
 * The production wiring: AWS adapters from the environment. Called once per
 * container (module scope), so SDK clients and the policy cache survive
 * between invocations.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { dynamoDbDocumentClient, eventBridgeClient, snsClient, sqsClient } from '../../adapters/clients';
import { DynamoDbPolicyStore } from '../../adapters/dynamodb/policy-store';
import { requestsTableStores } from '../../adapters/dynamodb/requests-table';
import { SnsNotifier, SnsRequesterNotifier } from '../../adapters/notifier/sns-notifier';
import { EventBridgeDecisionPublisher } from '../../adapters/eventbridge/decision-publisher';
import { SqsDeadLetterSink } from '../../adapters/dead-letter/sqs-dead-letter-sink';
import { SignedDecisionLinkIssuer } from '../../adapters/security/decision-link-issuer';
import { systemClock } from '../../domain/ports/clock';
import { readGuardrailConfig } from './config';
import { readOptionalLinkConfig } from './approvals-config';
import { signingKeyProvider } from './approvals-wiring';
import type { GuardrailHandlerDeps } from './guardrail-handler';

/** Builds every dependency from env vars; throws MissingConfigurationError naming what is missing. */
export function defaultHandlerDeps(env: NodeJS.ProcessEnv = process.env): GuardrailHandlerDeps {
  const config = readGuardrailConfig(env);
  // POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE / POWERTOOLS_LOG_LEVEL come from the environment.
  const logger = new Logger();
  const metrics = new Metrics();
  const documents = dynamoDbDocumentClient();
  const { requests, audit, digestQueue } = requestsTableStores(documents, config.requestsTableName);
  // Decision links need the approvals API (its URL) and the signing key; without them notifications go out without links.
  const linkConfig = readOptionalLinkConfig(env);
  return {
    service: {
      policy: new DynamoDbPolicyStore(documents, config.policyTableName, {
        cacheTtlSeconds: config.policyCacheTtlSeconds,
        logger,
      }),
      requests,
      notifier: new SnsNotifier(snsClient(), config.itTopicArn),
      ...(config.requesterTopicArn ? { requesterNotifier: new SnsRequesterNotifier(snsClient(), config.requesterTopicArn) } : {}),
      decisions: new EventBridgeDecisionPublisher(eventBridgeClient(), config.eventBusName),
      clock: systemClock,
      audit,
      ...(linkConfig
        ? {
            links: new SignedDecisionLinkIssuer({ keys: signingKeyProvider(linkConfig.signingKey), baseUrl: linkConfig.baseUrl, inbox: linkConfig.inboxEnabled }),
            digestQueue,
          }
        : {}),
    },
    deadLetters: new SqsDeadLetterSink(sqsClient(), config.deadLetterQueueUrl),
    logger,
    metrics,
  };
}
