/**
 * The process's one Powertools Tracer. The stack turns X-Ray on for every
 * Lambda; handlers open a segment per invocation (`captureLambdaHandler`) and
 * every AWS SDK client built here records its calls as subsegments. Outside
 * Lambda (tests, `npm start`, the CLI) the Tracer switches itself off (no
 * AWS_EXECUTION_ENV) and `traced` hands the client back untouched.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

/** Service name from POWERTOOLS_SERVICE_NAME (the stack sets it). */
export const tracer = new Tracer();

/** The client, with its calls recorded as X-Ray subsegments when tracing is on. */
export function traced<Client>(client: Client): Client {
  return tracer.captureAWSv3Client(client);
}
