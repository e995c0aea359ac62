/**
 * Getting native payloads into the guardrail: the transport-neutral ingest
 * endpoint, request signatures, where ingest secrets come from (Secrets
 * Manager deployed, a private file locally), the EventBridge publisher and
 * the native EventBridge sources (Okta partner bus, aws.sso).
 */
export * from './request-signature';
export * from './ingest-request';
export * from './ingest-secrets';
export * from './secrets-manager-ingest-secrets';
export * from './file-ingest-secrets';
export * from './event-bridge-ingest-publisher';
export * from './native-event';
export * from './source-options';
export * from './local-ingest';
