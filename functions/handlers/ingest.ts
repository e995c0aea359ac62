/**
 * Lambda behind the HTTP API route `POST|GET /ingest/{source}`: authenticates
 * a native payload (HMAC signature or Okta's hook secret, answered Okta's
 * verification challenge), normalises it and puts the canonical events on
 * the guardrail bus. Everything it decides is in `adapters/ingest/ingest-request.ts`.
 */
import { createIngestHandler, type IngestHandlerDeps, type IngestLambdaHandler } from './shared/ingest-handler';
import { awsIngestEdges } from '../composition/aws-ingest-edges';
import { ingestServices } from '../composition/ingest';
import { readIngestConfig } from './shared/ingest-config';

/** The handler with injected dependencies (tests). */
export function createIngestLambdaHandler(deps: IngestHandlerDeps): IngestLambdaHandler {
  return createIngestHandler(deps);
}

/** The deployed handler: the root's services over the AWS edges, built once per container from its environment. */
export const handler: IngestLambdaHandler = createIngestHandler(() => ingestServices(awsIngestEdges(readIngestConfig())));
