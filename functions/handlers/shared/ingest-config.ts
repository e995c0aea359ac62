/**
 * What the two ingest Lambdas read from their environment, checked in one
 * place like the guardrail functions' config: a missing variable names
 * itself (a deployment mistake), and the optional normaliser options are
 * parsed with the same validator the synth ran.
 */
import { DEAD_LETTER_QUEUE_URL_ENV } from '../../adapters/dead-letter/sqs-dead-letter-sink';
import { EVENT_BUS_NAME_ENV } from '../../adapters/eventbridge/decision-publisher';
import { INGEST_SECRET_ARN_ENV } from '../../adapters/ingest/secrets-manager-ingest-secrets';
import { SOURCE_OPTIONS_ENV, parseSourceOptions } from '../../adapters/ingest/source-options';
import type { SourceOptions } from '../../adapters/sources';
import { MissingConfigurationError } from './config';

/** The variables the stack must set on the ingest (HTTP API) function. */
export const INGEST_REQUIRED_ENV = [INGEST_SECRET_ARN_ENV, EVENT_BUS_NAME_ENV, DEAD_LETTER_QUEUE_URL_ENV] as const;
/** The variables the stack must set on the native-source (EventBridge rules) function. */
export const NATIVE_SOURCE_REQUIRED_ENV = [EVENT_BUS_NAME_ENV, DEAD_LETTER_QUEUE_URL_ENV] as const;

export interface NativeSourceConfig {
  eventBusName: string;
  deadLetterQueueUrl: string;
  sourceOptions: Partial<SourceOptions>;
}

export interface IngestConfig extends NativeSourceConfig {
  ingestSecretArn: string;
}

export function readNativeSourceConfig(env: NodeJS.ProcessEnv = process.env): NativeSourceConfig {
  requireEnv(NATIVE_SOURCE_REQUIRED_ENV, env);
  return {
    eventBusName: (env[EVENT_BUS_NAME_ENV] as string).trim(),
    deadLetterQueueUrl: (env[DEAD_LETTER_QUEUE_URL_ENV] as string).trim(),
    sourceOptions: parseSourceOptions(env[SOURCE_OPTIONS_ENV], SOURCE_OPTIONS_ENV),
  };
}

export function readIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  requireEnv(INGEST_REQUIRED_ENV, env);
  return { ...readNativeSourceConfig(env), ingestSecretArn: (env[INGEST_SECRET_ARN_ENV] as string).trim() };
}

function requireEnv(names: readonly string[], env: NodeJS.ProcessEnv): void {
  const missing = names.filter((name) => !env[name] || env[name]?.trim() === '');
  if (missing.length > 0) throw new MissingConfigurationError(missing);
}
