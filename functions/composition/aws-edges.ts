/**
 * The AWS edges of the guardrail and approvals Lambdas: their configuration
 * (each Lambda's environment, checked by its zod schema, which names every
 * missing or invalid variable at once) becomes the DynamoDB tables, SNS
 * topics, the EventBridge bus, the SQS dead-letter queue and the signing-key
 * source. The bench and the tests pass their own SDK clients (in-process
 * transports, aws-sdk-client-mock) and get exactly the adapters a Lambda
 * gets. The ingest Lambdas' edges are in aws-ingest-edges.ts.
 */
import { eventBridgeClient, secretsManagerClient, snsClient, sqsClient } from '../adapters/clients';
import { dynamoDbDocumentClient } from '../adapters/dynamodb/document-client';
import { SqsDeadLetterSink } from '../adapters/dead-letter/sqs-dead-letter-sink';
import { EventBridgeDecisionPublisher } from '../adapters/eventbridge/decision-publisher';
import { SnsDepartmentNotifier, SnsNotifier, SnsRequesterNotifier } from '../adapters/notifier/sns-notifier';
import { DECISION_LINK_KEY_PARAMETER_ENV, DECISION_LINK_KEY_SECRET_ENV } from '../adapters/security/decision-link-issuer';
import { SecretsManagerKeyProvider, type SigningKeyProvider } from '../adapters/security/signing-keys';
import { SsmParameterKeyProvider, ssmClient } from '../adapters/security/ssm-parameter-keys';
import type { ApprovalsConfig, LinkConfig, SigningKeySource } from '../handlers/shared/approvals-config';
import { InvalidConfigurationError, type GuardrailConfig } from '../handlers/shared/config';
import type { OutreachConfig } from '../handlers/shared/outreach-config';
import { awsRuntimeEdges, type AwsClients, type AwsEdgeOptions } from './aws-clients';
import type { ApprovalsEdges, GuardrailEdges, LinkEdges, OutreachEdges, TableEdges } from './edges';

/**
 * The key providers a bundle holds. The stack keeps the keys in Secrets
 * Manager and bundles every Lambda with this expression defined as
 * "secrets-manager" (esbuild `define`, see GuardrailFunction): esbuild then
 * drops the SSM branch below, and with it the SSM provider and client. Not
 * bundled (tests, `npm start`, the bench), both providers are there.
 */
export const KEY_PROVIDERS_BUILD_CONSTANT = 'process.env.DECISION_LINK_KEY_PROVIDERS';

/** Where the decision-link keys are read from; the key itself never passes through the environment. */
function signingKeyProvider(source: SigningKeySource, clients: Partial<AwsClients>): SigningKeyProvider {
  if (source.kind === 'secrets-manager') {
    return new SecretsManagerKeyProvider({ secretId: source.secretId, client: (clients.secretsManager ?? secretsManagerClient)() });
  }
  // Written out (not through the constant above) so that esbuild's define can replace it.
  if (process.env.DECISION_LINK_KEY_PROVIDERS !== 'secrets-manager') {
    return new SsmParameterKeyProvider({ name: source.parameterName, versions: source.versions, client: (clients.ssm ?? ssmClient)() });
  }
  throw new InvalidConfigurationError([
    `${DECISION_LINK_KEY_PARAMETER_ENV}: this bundle reads decision-link keys from Secrets Manager only; set ${DECISION_LINK_KEY_SECRET_ENV} instead`,
  ]);
}

function linkEdges(config: LinkConfig, clients: Partial<AwsClients>): LinkEdges {
  return { keys: signingKeyProvider(config.signingKey, clients), baseUrl: config.baseUrl, inboxEnabled: config.inboxEnabled };
}

function awsTables(config: GuardrailConfig | ApprovalsConfig | OutreachConfig, clients: Partial<AwsClients>): TableEdges {
  return {
    documents: (clients.documents ?? dynamoDbDocumentClient)(),
    policyTable: config.policyTableName,
    requestsTable: config.requestsTableName,
    // Every Lambda that names an inventory table reads it (the outreach one too: what departments started using, seats used).
    ...('inventoryTableName' in config && config.inventoryTableName ? { inventoryTable: config.inventoryTableName } : {}),
    policyCacheTtlSeconds: config.policyCacheTtlSeconds,
  };
}

/** The guardrail Lambdas (purchase request, app connected); `links` when the stack deploys the approvals API. */
export function awsGuardrailEdges(config: GuardrailConfig, links: LinkConfig | undefined, options: AwsEdgeOptions = {}): GuardrailEdges {
  const { clients = {} } = options;
  return {
    ...awsRuntimeEdges(options),
    tables: awsTables(config, clients),
    itApprovers: new SnsNotifier((clients.sns ?? snsClient)(), config.itTopicArn),
    ...(config.requesterTopicArn ? { requesters: new SnsRequesterNotifier((clients.sns ?? snsClient)(), config.requesterTopicArn) } : {}),
    decisions: new EventBridgeDecisionPublisher((clients.eventBridge ?? eventBridgeClient)(), config.eventBusName, options.putEvents),
    deadLetters: new SqsDeadLetterSink((clients.sqs ?? sqsClient)(), config.deadLetterQueueUrl),
    ...(links ? { links: linkEdges(links, clients) } : {}),
  };
}

/** The approvals Lambdas (decision API, escalation sweep, digest). */
export function awsApprovalsEdges(config: ApprovalsConfig, options: AwsEdgeOptions = {}): ApprovalsEdges {
  const { clients = {} } = options;
  return {
    ...awsRuntimeEdges(options),
    tables: awsTables(config, clients),
    itApprovers: new SnsNotifier((clients.sns ?? snsClient)(), config.itTopicArn),
    requesters: new SnsRequesterNotifier((clients.sns ?? snsClient)(), config.requesterTopicArn),
    decisions: new EventBridgeDecisionPublisher((clients.eventBridge ?? eventBridgeClient)(), config.eventBusName, options.putEvents),
    links: linkEdges(config, clients),
    signIn: {
      kind: 'identity-provider',
      emailClaim: config.approverEmailClaim,
      subjectClaim: config.approverSubjectClaim,
      // The inbox exists only with an identity provider; then a decision also needs the link's approver signed in.
      decisionsNeedSignIn: config.inboxEnabled,
    },
  };
}

/** The outreach Lambda (weekly department notes, monthly shadow-IT report). */
export function awsOutreachEdges(config: OutreachConfig, options: AwsEdgeOptions = {}): OutreachEdges {
  const { clients = {} } = options;
  const sns = (clients.sns ?? snsClient)();
  return {
    ...awsRuntimeEdges(options),
    tables: awsTables(config, clients),
    itApprovers: new SnsNotifier(sns, config.itTopicArn),
    departments: new SnsDepartmentNotifier(sns, config.outreachTopicArn),
    ...(config.consoleUrl ? { consoleUrl: config.consoleUrl } : {}),
  };
}
