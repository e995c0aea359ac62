/**
 * The ingest side of the composition root (root.ts): the HTTP ingest and
 * native-source services from their edges. Kept apart from the stores so the
 * ingest Lambdas' bundles do not load them: these services touch no table.
 */
import type { IngestHandlerDeps } from '../handlers/shared/ingest-handler';
import type { NativeSourceHandlerDeps } from '../handlers/shared/native-source-handler';
import type { IngestEdges, NativeSourceEdges } from './edges';

/** The HTTP ingest handler's dependencies. */
export function ingestServices(edges: IngestEdges): IngestHandlerDeps {
  return {
    ingest: {
      secrets: edges.secrets,
      publish: edges.publish,
      deadLetters: edges.deadLetters,
      sourceOptions: edges.sourceOptions,
      clock: edges.clock,
    },
    logger: edges.logger,
    metrics: edges.metrics,
  };
}

/** The native-source handler's dependencies (Okta partner bus, aws.sso). */
export function nativeSourceServices(edges: NativeSourceEdges): NativeSourceHandlerDeps {
  return {
    native: { publish: edges.publish, deadLetters: edges.deadLetters, sourceOptions: edges.sourceOptions, clock: edges.clock },
    logger: edges.logger,
    metrics: edges.metrics,
  };
}
