/**
 * How every Lambda handler factory takes its dependencies: a value, or a
 * function that builds them from the environment. Shared so the guardrail,
 * ingest, native-source and approvals handlers fail the same way when their
 * configuration is wrong.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { asError } from '../../domain/errors';

/** The dependencies every handler has in common: its logger and metrics. */
export interface HandlerObservability {
  logger: Logger;
  metrics: Metrics;
}

export interface ResolvedHandlerDeps<D extends HandlerObservability> {
  /** The dependencies' logger, or a default one when they could not be built (so the failure is still logged). */
  logger: Logger;
  /** The dependencies' metrics, or a default instance when they could not be built. */
  metrics: Metrics;
  /** The dependencies, or undefined when building them threw. */
  resolved: D | undefined;
  /** What building them threw, kept for every invocation. */
  configError: Error | undefined;
  /** The dependencies; throws the kept configuration error when there are none. */
  get(): D;
}

/**
 * Resolves `deps` once, now (module scope: once per container). A failure
 * (say a missing env var) is kept and thrown by every invocation rather than
 * crashing the import in a test or a bundler; in Lambda it is also logged at
 * init, so it is visible before the first event, while elsewhere importing
 * the module stays quiet.
 *
 * `subject` names the function in that log line, e.g. "Ingest handler".
 */
export function resolveOnce<D extends HandlerObservability>(deps: D | (() => D), subject: string): ResolvedHandlerDeps<D> {
  let resolved: D | undefined;
  let configError: Error | undefined;
  try {
    resolved = typeof deps === 'function' ? deps() : deps;
  } catch (error) {
    configError = asError(error);
  }
  const logger = resolved?.logger ?? new Logger();
  const metrics = resolved?.metrics ?? new Metrics();
  if (configError && process.env.AWS_LAMBDA_FUNCTION_NAME) {
    logger.error(`${subject} is misconfigured; every invocation will fail`, configError);
  }
  const get = (): D => {
    if (!resolved) throw configError ?? new Error(`${subject} has no dependencies`);
    return resolved;
  };
  return { logger, metrics, resolved, configError, get };
}
