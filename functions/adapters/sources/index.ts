/**
 * The registry of source normalisers: one entry per native source, so the
 * ingest endpoint, the local runtime and the CLI turn payloads into
 * canonical events through the same code (`normalize('okta', body)`).
 */
import type { EventKind } from '../../domain/events';
import type { EventPattern } from '../../domain/event-routes';
import { IAM_IDENTITY_CENTER_EVENT_PATTERN } from './iam-identity-center';
import { oktaEventPattern } from './okta';
import type { NormalizeResult } from '../../domain/normalization';
import { formNamespace, withSource } from '../../domain/request-identity';
import { normalizeCoupa, type CoupaOptions } from './coupa';
import { looksLikeXml } from './coupa-xml';
import { normalizeEntraId, type EntraIdOptions } from './entra-id';
import { normalizeGenericForm, type GenericFormOptions } from './generic-form';
import { normalizeGoogleWorkspace, type GoogleWorkspaceOptions } from './google-workspace';
import { normalizeIamIdentityCenter, type IamIdentityCenterOptions } from './iam-identity-center';
import { normalizeOkta, type OktaOptions } from './okta';
import { normalizeServiceNow, type ServiceNowOptions } from './servicenow';

export const SOURCE_NAMES = ['okta', 'entra-id', 'google-workspace', 'iam-identity-center', 'coupa', 'servicenow', 'generic-form'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

export interface SourceOptions {
  okta: OktaOptions;
  'entra-id': EntraIdOptions;
  'google-workspace': GoogleWorkspaceOptions;
  'iam-identity-center': IamIdentityCenterOptions;
  coupa: CoupaOptions;
  servicenow: ServiceNowOptions;
  'generic-form': GenericFormOptions;
}

export type Normalizer<O> = (payload: unknown, options?: O) => NormalizeResult;

export const NORMALIZERS: { readonly [S in SourceName]: Normalizer<SourceOptions[S]> } = {
  okta: normalizeOkta,
  'entra-id': normalizeEntraId,
  'google-workspace': normalizeGoogleWorkspace,
  'iam-identity-center': normalizeIamIdentityCenter,
  coupa: normalizeCoupa,
  servicenow: normalizeServiceNow,
  'generic-form': normalizeGenericForm,
};

/** Which canonical event kind each source produces (routing, metrics, docs). */
export const SOURCE_EVENT_KIND: { readonly [S in SourceName]: EventKind } = {
  okta: 'app-connected',
  'entra-id': 'app-connected',
  'google-workspace': 'app-connected',
  'iam-identity-center': 'app-connected',
  coupa: 'purchase-request',
  servicenow: 'purchase-request',
  'generic-form': 'purchase-request',
};

/** Sources whose normaliser also reads an XML body (given as text). */
export const XML_SOURCES: ReadonlySet<SourceName> = new Set(['coupa']);

export const isSourceName = (value: unknown): value is SourceName => typeof value === 'string' && (SOURCE_NAMES as readonly string[]).includes(value);

/**
 * The namespace a source's events are stored under (see recordIdOf): its
 * name, or `form:<formName>` for the generic form.
 */
export function sourceNamespace<S extends SourceName>(source: S, options?: SourceOptions[S]): string {
  return source === 'generic-form' ? formNamespace((options as GenericFormOptions | undefined)?.formName) : source;
}

/**
 * Normalises a native payload from `source`. The payload may be parsed JSON
 * or the raw body text. Never throws: unreadable JSON, or a fault in a
 * normaliser, comes back as `malformed` so the payload is dead-lettered with
 * its reason rather than lost.
 *
 * `source` is the one the caller authenticated (the ingest route's secret,
 * the EventBridge rule's source): every event is stamped with its namespace,
 * whatever the payload claims, so one source can never write another's ids.
 */
export function normalize<S extends SourceName>(source: S, payload: unknown, options?: SourceOptions[S]): NormalizeResult {
  let body = payload;
  if (typeof payload === 'string' && !(XML_SOURCES.has(source) && looksLikeXml(payload))) {
    try {
      body = JSON.parse(payload);
    } catch (error) {
      return { status: 'malformed', problems: [`(payload): not valid JSON (${(error as Error).message})`] };
    }
  }
  try {
    const result = (NORMALIZERS[source] as Normalizer<SourceOptions[S]>)(body, options);
    if (result.status !== 'ok') return result;
    const namespace = sourceNamespace(source, options);
    return { ...result, events: result.events.map((event) => withSource(event, namespace)) };
  } catch (error) {
    return { status: 'malformed', problems: [`(payload): the ${source} normaliser could not read it (${(error as Error).message})`] };
  }
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
export type { CoupaOptions, EntraIdOptions, GenericFormOptions, GoogleWorkspaceOptions, IamIdentityCenterOptions, OktaOptions, ServiceNowOptions };
