/**
 * The native sources by name, the event kind each produces and the namespace its ids live under.
 * No normaliser is imported here, so a function that reads only some sources bundles only those.
 */
import type { EventKind } from '../../domain/events';
import { formNamespace } from '../../domain/request-identity';
import type { CoupaOptions } from './coupa';
import type { EntraIdOptions } from './entra-id';
import type { GenericFormOptions } from './generic-form';
import type { GoogleWorkspaceOptions } from './google-workspace';
import type { IamIdentityCenterOptions } from './iam-identity-center';
import type { OktaOptions } from './okta';
import type { ServiceNowOptions } from './servicenow';

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

/** True when a text body looks like XML rather than JSON. */
export function looksLikeXml(text: string): boolean {
  return /^\s*(<\?xml|<[A-Za-z])/.test(text);
}
