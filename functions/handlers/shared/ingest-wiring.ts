/**
 * Production wiring of the two ingest Lambdas: AWS adapters from the
 * environment, built once per container so SDK connections and the secrets
 * cache survive between invocations. Also the small piece both handlers
 * share with the guardrail handler's approach: dependencies resolved at
 * module scope, a configuration error kept and thrown on every invocation
 * (clear in the logs and alarmed through Errors) instead of crashing the import.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { eventBridgeClient, secretsManagerClient, sqsClient } from '../../adapters/clients';
import { SqsDeadLetterSink } from '../../adapters/dead-letter/sqs-dead-letter-sink';
import { eventBridgeIngestPublisher } from '../../adapters/ingest/event-bridge-ingest-publisher';
import { SecretsManagerIngestSecrets } from '../../adapters/ingest/secrets-manager-ingest-secrets';
import { systemClock } from '../../domain/ports/clock';
import { readIngestConfig, readNativeSourceConfig } from './ingest-config';
import type { IngestHandlerDeps, NativeSourceHandlerDeps } from './ingest-handlers';

/** Deps of the HTTP API ingest function; throws MissingConfigurationError naming what is missing. */
export function defaultIngestHandlerDeps(env: NodeJS.ProcessEnv = process.env): IngestHandlerDeps {
  const config = readIngestConfig(env);
  const logger = new Logger();
  const metrics = new Metrics();
  return {
    ingest: {
      secrets: new SecretsManagerIngestSecrets({
        client: secretsManagerClient(),
        secretId: config.ingestSecretArn,
        // Entries the operator got wrong disable only their source: say which, once per read.
        onProblems: (problems) => logger.warn('Ingest secret has unusable entries; those sources are refused', { problems }),
      }),
      publish: eventBridgeIngestPublisher(eventBridgeClient(), config.eventBusName),
      deadLetters: new SqsDeadLetterSink(sqsClient(), config.deadLetterQueueUrl),
      sourceOptions: config.sourceOptions,
      clock: systemClock,
    },
    logger,
    metrics,
  };
}

/** Deps of the native-source function (Okta partner bus, aws.sso). */
export function defaultNativeSourceHandlerDeps(env: NodeJS.ProcessEnv = process.env): NativeSourceHandlerDeps {
  const config = readNativeSourceConfig(env);
  return {
    native: {
      publish: eventBridgeIngestPublisher(eventBridgeClient(), config.eventBusName),
      deadLetters: new SqsDeadLetterSink(sqsClient(), config.deadLetterQueueUrl),
      sourceOptions: config.sourceOptions,
      clock: systemClock,
    },
    logger: new Logger(),
    metrics: new Metrics(),
  };
}
