/**
 * What the two ingest Lambdas read from their environment, as zod schemas
 * like the guardrail functions' config: a missing variable names itself (a
 * deployment mistake), and the normaliser options are checked by the schema
 * the synth ran.
 */
import * as z from '../../domain/zod-mini';
import { DEAD_LETTER_QUEUE_URL_ENV } from '../../adapters/dead-letter/sqs-dead-letter-sink';
import { EVENT_BUS_NAME_ENV } from '../../adapters/eventbridge/decision-publisher';
import { INGEST_SECRET_ARN_ENV } from '../../adapters/ingest/secrets-manager-ingest-secrets';
import { SOURCE_OPTIONS_ENV, SourceOptionsSchema } from '../../adapters/ingest/source-options';
import { readEnv, requiredVar } from './env';

const NATIVE_SOURCE_VARS = {
  [EVENT_BUS_NAME_ENV]: requiredVar,
  [DEAD_LETTER_QUEUE_URL_ENV]: requiredVar,
  [SOURCE_OPTIONS_ENV]: SourceOptionsSchema,
};

const nativeSourceConfig = (env: z.output<z.ZodMiniObject<typeof NATIVE_SOURCE_VARS>>) => ({
  eventBusName: env[EVENT_BUS_NAME_ENV],
  deadLetterQueueUrl: env[DEAD_LETTER_QUEUE_URL_ENV],
  sourceOptions: env[SOURCE_OPTIONS_ENV],
});

/** The native-source (EventBridge rules) function. */
const NativeSourceEnv = z.pipe(z.object(NATIVE_SOURCE_VARS), z.transform(nativeSourceConfig));
/** The ingest (HTTP API) function: the same, and where the per-source secrets are. */
const IngestEnv = z.pipe(
  z.object({ [INGEST_SECRET_ARN_ENV]: requiredVar, ...NATIVE_SOURCE_VARS }),
  z.transform((env) => ({ ...nativeSourceConfig(env), ingestSecretArn: env[INGEST_SECRET_ARN_ENV] })),
);

export type NativeSourceConfig = z.output<typeof NativeSourceEnv>;
export type IngestConfig = z.output<typeof IngestEnv>;

export function readNativeSourceConfig(env: NodeJS.ProcessEnv = process.env): NativeSourceConfig {
  return readEnv(NativeSourceEnv, env);
}

export function readIngestConfig(env: NodeJS.ProcessEnv = process.env): IngestConfig {
  return readEnv(IngestEnv, env);
}
