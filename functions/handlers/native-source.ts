/**
 * Lambda the native-source EventBridge rules invoke: Okta System Log events
 * from the Okta partner event bus and IAM Identity Center calls (`aws.sso`)
 * from the default bus, normalised and put on the guardrail bus as canonical
 * `App Connected` events.
 */
import { createNativeSourceHandler, type NativeSourceHandlerDeps, type NativeSourceLambdaHandler } from './shared/native-source-handler';
import { awsNativeSourceEdges } from '../composition/aws-ingest-edges';
import { nativeSourceServices } from '../composition/ingest';
import { readNativeSourceConfig } from './shared/ingest-config';

/** The handler with injected dependencies (tests). */
export function createNativeSourceLambdaHandler(deps: NativeSourceHandlerDeps): NativeSourceLambdaHandler {
  return createNativeSourceHandler(deps);
}

/** The deployed handler: the root's services over the AWS edges, built once per container from its environment. */
export const handler: NativeSourceLambdaHandler = createNativeSourceHandler(() => nativeSourceServices(awsNativeSourceEdges(readNativeSourceConfig())));
