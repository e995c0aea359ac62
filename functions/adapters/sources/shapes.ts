/**
 * What each source's payloads look like at a glance, so detection can say
 * which source a payload resembles when no normaliser accepts it ("looks like
 * a Coupa requisition, but: …") and the ingest endpoint can say when a
 * payload was posted to the wrong source. A resemblance only ever helps a
 * message: it never decides which normaliser reads a payload that names its
 * source.
 */
import { isRecord } from './native-values';
import { looksLikeXml } from './source-names';
import { IAM_IDENTITY_CENTER_BUS_SOURCE } from './iam-identity-center';
import { OKTA_PARTNER_SOURCE_PREFIX } from './okta';
import type { SourceName } from './index';

interface SourceShape {
  /** "a Coupa requisition": how a person would call such a payload. */
  label: string;
  looks(payload: unknown): boolean;
}

/** The payload itself, the first entry of a list, or of a page's list under `key`. */
function firstEntry(payload: unknown, ...keys: string[]): unknown {
  if (Array.isArray(payload)) return payload[0];
  if (!isRecord(payload)) return undefined;
  for (const key of keys) {
    const list = key.split('.').reduce<unknown>((node, step) => (isRecord(node) ? node[step] : undefined), payload);
    if (Array.isArray(list)) return list[0];
    if (isRecord(list)) return list;
  }
  return payload;
}

const has = (value: unknown, ...keys: string[]) => isRecord(value) && keys.some((key) => key in value);
const envelopeSource = (payload: unknown) => (isRecord(payload) && typeof payload.source === 'string' ? payload.source : '');

export const SOURCE_SHAPES: Readonly<Record<SourceName, SourceShape>> = {
  okta: {
    label: 'an Okta System Log event',
    looks: (p) => envelopeSource(p).startsWith(OKTA_PARTNER_SOURCE_PREFIX) || has(firstEntry(p, 'data.events'), 'eventType', 'legacyEventType'),
  },
  'entra-id': {
    label: 'a Microsoft Graph directoryAudit entry',
    looks: (p) => has(firstEntry(p, 'value'), 'activityDisplayName', 'targetResources'),
  },
  'google-workspace': {
    label: 'a Google Workspace Reports activity',
    looks: (p) =>
      (isRecord(p) && typeof p.kind === 'string' && p.kind.startsWith('admin#reports')) ||
      (isRecord((firstEntry(p, 'items') as { id?: unknown })?.id) && has((firstEntry(p, 'items') as { id: unknown }).id, 'applicationName')),
  },
  'iam-identity-center': {
    label: 'an AWS CloudTrail record',
    looks: (p) => envelopeSource(p) === IAM_IDENTITY_CENTER_BUS_SOURCE || has(firstEntry(p, 'Records', 'detail'), 'eventSource', 'eventName'),
  },
  coupa: {
    label: 'a Coupa requisition',
    looks: (p) => (typeof p === 'string' && looksLikeXml(p) && /<requisition/.test(p)) || has(firstEntry(p), 'requisition-lines', 'requested-by'),
  },
  servicenow: {
    label: 'a ServiceNow record',
    looks: (p) => has(p, 'result') || has(firstEntry(p, 'result'), 'sys_id', 'sys_class_name', 'cat_item'),
  },
  'generic-form': {
    label: 'a form submission',
    // A form can look like anything: it is never what a payload "looks like".
    looks: () => false,
  },
};

/** The sources a payload resembles, in registry order. */
export function sourcesResembling(payload: unknown): SourceName[] {
  return (Object.keys(SOURCE_SHAPES) as SourceName[]).filter((source) => {
    try {
      return SOURCE_SHAPES[source].looks(payload);
    } catch {
      return false;
    }
  });
}
