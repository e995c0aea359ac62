/**
 * The registry of source normalisers: one entry per native source, so the
 * ingest endpoint, the local runtime and the CLI turn payloads into
 * canonical events through the same code (`normalize('okta', body)`).
 */
import type { EventPattern } from '../../domain/event-routes';
import type { NormalizeResult } from '../../domain/normalization';
import { normalizeCoupa } from './coupa';
import { normalizeEntraId } from './entra-id';
import { normalizeGenericForm } from './generic-form';
import { normalizeGoogleWorkspace } from './google-workspace';
import { IAM_IDENTITY_CENTER_EVENT_PATTERN, normalizeIamIdentityCenter } from './iam-identity-center';
import { normalizeOkta, oktaEventPattern } from './okta';
import { normalizeServiceNow } from './servicenow';
import { normalizeWith, type Normalizer } from './normalize';
import type { SourceName, SourceOptions } from './source-names';

export { SOURCE_EVENT_KIND, SOURCE_NAMES, XML_SOURCES, isSourceName, looksLikeXml, sourceNamespace, type SourceName, type SourceOptions } from './source-names';
export { normalizeWith, type Normalizer } from './normalize';

export const NORMALIZERS: { readonly [S in SourceName]: Normalizer<SourceOptions[S]> } = {
  okta: normalizeOkta,
  'entra-id': normalizeEntraId,
  'google-workspace': normalizeGoogleWorkspace,
  'iam-identity-center': normalizeIamIdentityCenter,
  coupa: normalizeCoupa,
  servicenow: normalizeServiceNow,
  'generic-form': normalizeGenericForm,
};

/** Normalises a native payload from `source` with its registered normaliser (see {@link normalizeWith}). */
export function normalize<S extends SourceName>(source: S, payload: unknown, options?: SourceOptions[S]): NormalizeResult {
  return normalizeWith(NORMALIZERS[source] as Normalizer<SourceOptions[S]>, source, payload, options);
}

export { OKTA_RELEVANT_EVENT_TYPES, oktaEventPattern } from './okta';
export { IAM_IDENTITY_CENTER_EVENT_NAMES, IAM_IDENTITY_CENTER_EVENT_PATTERN } from './iam-identity-center';

/**
 * The EventBridge rules that bring native events to the native-source
 * function, by source: what the stack deploys (infra/constructs/native-source-rules.ts
 * uses these same patterns) and what the local bus routes with.
 */
export function nativeSourcePatterns(oktaEventSourceName?: string): Array<{ source: SourceName; pattern: EventPattern }> {
  return [
    { source: 'iam-identity-center', pattern: IAM_IDENTITY_CENTER_EVENT_PATTERN },
    { source: 'okta', pattern: oktaEventPattern(oktaEventSourceName) },
  ];
}
export { ENTRA_ID_RELEVANT_ACTIVITIES } from './entra-id';
export type { CoupaOptions } from './coupa';
export type { EntraIdOptions } from './entra-id';
export type { GenericFormOptions } from './generic-form';
export type { GoogleWorkspaceOptions } from './google-workspace';
export type { IamIdentityCenterOptions } from './iam-identity-center';
export type { OktaOptions } from './okta';
export type { ServiceNowOptions } from './servicenow';
