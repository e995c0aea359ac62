/**
 * The AWS edges of the two ingest Lambdas (HTTP ingest, native source): the
 * guardrail bus, the dead-letter queue, the per-source secrets and the
 * normaliser options from their checked configuration. Apart from
 * aws-edges.ts so these bundles load neither the tables nor SNS.
 */
import { eventBridgeClient, secretsManagerClient, sqsClient } from '../adapters/clients';
import { SqsDeadLetterSink } from '../adapters/dead-letter/sqs-dead-letter-sink';
import { eventBridgeIngestPublisher } from '../adapters/ingest/event-bridge-ingest-publisher';
import { SecretsManagerIngestSecrets } from '../adapters/ingest/secrets-manager-ingest-secrets';
import type { IngestConfig, NativeSourceConfig } from '../handlers/shared/ingest-config';
import { awsRuntimeEdges, type AwsEdgeOptions } from './aws-clients';
import type { IngestEdges, NativeSourceEdges } from './edges';

/** The native-source Lambda (EventBridge rules for the Okta partner bus and aws.sso). */
export function awsNativeSourceEdges(config: NativeSourceConfig, options: AwsEdgeOptions = {}): NativeSourceEdges {
  const { clients = {} } = options;
  return {
    ...awsRuntimeEdges(options),
    publish: eventBridgeIngestPublisher((clients.eventBridge ?? eventBridgeClient)(), config.eventBusName, options.putEvents),
    deadLetters: new SqsDeadLetterSink((clients.sqs ?? sqsClient)(), config.deadLetterQueueUrl),
    sourceOptions: config.sourceOptions,
  };
}

/** The HTTP ingest Lambda: the native-source edges and the per-source secrets. */
export function awsIngestEdges(config: IngestConfig, options: AwsEdgeOptions = {}): IngestEdges {
  const native = awsNativeSourceEdges(config, options);
  return {
    ...native,
    secrets: new SecretsManagerIngestSecrets({
      client: (options.clients?.secretsManager ?? secretsManagerClient)(),
      secretId: config.ingestSecretArn,
      // Entries the operator got wrong disable only their source: say which, once per read.
      onProblems: (problems) => native.logger.warn('Ingest secret has unusable entries; those sources are refused', { problems }),
    }),
  };
}
