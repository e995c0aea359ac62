/**
 * Microsoft Entra ID audit log (Graph `directoryAudit`) → canonical
 * `app-connected` events.
 *
 * Graph has no push for audit logs: a poller or export sends them to the
 * ingest endpoint as one entry, an array, or a Graph page `{ value: [...] }`
 * (with `@odata.context` and `@odata.nextLink`, which are not events).
 * Microsoft's own v1.0 examples spell `targetResources[].Type` with a
 * capital T where the reference (and beta) say `type`: both are read.
 *
 * Mapping (dedupe key = the entry `id`, time = `activityDateTime`):
 * - `Add application`, `Add service principal` → `sso-app-created` (app = the
 *   `Application` / `ServicePrincipal` target). Registering an app in the
 *   tenant logs both, a third-party app's first consent logs the latter:
 *   each is a distinct audit fact, deduplicated by its own id.
 * - `Consent to application` (also spelt with a trailing period) →
 *   `oauth-consent`; app = the `ServicePrincipal` target; `adminConsent` from
 *   the modified property `ConsentContext.IsAdminConsent` (JSON-encoded,
 *   e.g. `"\"True\""`); scopes from `ConsentAction.Permissions`, a text like
 *   `[] => [[Id: …, ClientId: …, ConsentType: Principal, Scope:  User.Read openid, …]]`
 *   (only the state after `=>` counts: what the consent granted).
 * - `Add delegated permission grant`, `Add app role assignment grant to user`
 *   and every other activity → ignored: one consent also writes those two,
 *   and counting them would report one consent three times.
 *
 * `initiatedBy.user` is null when an app made the change: the actor is then
 * the app, or `unknown` when Graph names neither.
 */
import * as z from '../../domain/zod-mini';
import type { AppConnected } from '../../domain/events';
import { canonicalAppConnected, eachOf, ignored, joinPath, malformed, type ItemOutcome, type NormalizeResult } from './batches';
import { emailIfValid, isoDateTime, isRecord, optionalText, parseNative, quote } from './native-values';
import { appEventBase } from './app-events';

export type EntraIdOptions = Record<string, never>;

/** Activities this guardrail acts on, as Graph names them (without a trailing period). */
export const ENTRA_ID_RELEVANT_ACTIVITIES = ['Add application', 'Add service principal', 'Consent to application'] as const;
type RelevantActivity = (typeof ENTRA_ID_RELEVANT_ACTIVITIES)[number];

const HeaderSchema = z.object({
  activityDisplayName: z.string().check(z.minLength(1, 'is required')),
  result: z.string().check(z.minLength(1, 'is required')),
});

const ModifiedPropertySchema = z.object({
  displayName: optionalText,
  oldValue: z.nullish(z.string()),
  newValue: z.nullish(z.string()),
});

const TargetResourceFields = z.object({
  id: optionalText,
  displayName: optionalText,
  type: optionalText,
  Type: optionalText,
  modifiedProperties: z.pipe(
    z.nullish(z.array(ModifiedPropertySchema)),
    z.transform((p: z.output<typeof ModifiedPropertySchema>[] | null | undefined) => p ?? []),
  ),
});
const TargetResourceSchema = z.pipe(
  TargetResourceFields,
  z.transform(({ Type, ...target }: z.output<typeof TargetResourceFields>) => ({ ...target, type: target.type ?? Type })),
);
type TargetResource = z.output<typeof TargetResourceSchema>;

const InitiatedBySchema = z.object({
  user: z.nullish(z.object({ id: optionalText, userPrincipalName: optionalText, displayName: optionalText })),
  app: z.nullish(
    z.object({
      appId: optionalText,
      displayName: optionalText,
      servicePrincipalId: optionalText,
      servicePrincipalName: optionalText,
    }),
  ),
});
type InitiatedBy = z.output<typeof InitiatedBySchema>;

const DirectoryAuditSchema = z.object({
  id: z.string().check(z.trim(), z.minLength(1, 'is required')),
  activityDateTime: isoDateTime,
  initiatedBy: z.nullish(InitiatedBySchema),
  targetResources: z.array(TargetResourceSchema),
});
type DirectoryAudit = z.output<typeof DirectoryAuditSchema>;

/** Normalises one directoryAudit entry, an array of them, or a Graph page `{ value: [...] }`. */
export function normalizeEntraId(payload: unknown, _options?: EntraIdOptions): NormalizeResult {
  if (Array.isArray(payload)) return normalizeBatch(payload, '');
  if (isRecord(payload) && 'value' in payload && !('activityDisplayName' in payload)) {
    if (!Array.isArray(payload.value)) return malformed(['value: must be an array of directoryAudit entries']);
    return normalizeBatch(payload.value, 'value');
  }
  return normalizeEntry(payload, '');
}

function normalizeBatch(values: unknown[], basePath: string): NormalizeResult {
  return eachOf(values, basePath, 'the page held no audit entries', normalizeEntry);
}

/** `Consent to application.` (Office 365 spelling) is the same activity as `Consent to application`. */
const activityName = (raw: string): string => raw.trim().replace(/\.$/, '');

/** Activities one consent writes besides `Consent to application` itself. */
const CONSENT_COMPANIONS = new Set(['Add delegated permission grant', 'Add app role assignment grant to user']);

const isRelevant = (activity: string): activity is RelevantActivity => (ENTRA_ID_RELEVANT_ACTIVITIES as readonly string[]).includes(activity);

function normalizeEntry(value: unknown, base: string): ItemOutcome {
  const header = parseNative(HeaderSchema, value, base);
  if (!header.ok) return malformed(header.problems);
  const activity = activityName(header.value.activityDisplayName);
  if (CONSENT_COMPANIONS.has(activity)) {
    return ignored(`${quote(activity)} is also written by every consent; only "Consent to application" is counted`);
  }
  if (!isRelevant(activity)) {
    return ignored(`Entra activity ${quote(header.value.activityDisplayName)} is not an app registration or consent`);
  }
  if (header.value.result.toLowerCase() !== 'success') {
    return ignored(`${activity} with result ${quote(header.value.result)}, not success`);
  }

  const parsed = parseNative(DirectoryAuditSchema, value, base);
  if (!parsed.ok) return malformed(parsed.problems);
  const entry = parsed.value;

  switch (activity) {
    case 'Add application':
      return appCreated(entry, base, 'Application');
    case 'Add service principal':
      return appCreated(entry, base, 'ServicePrincipal');
    case 'Consent to application':
      return consentGranted(entry, base);
  }
}

const common = (entry: DirectoryAudit) => appEventBase('entra-id', entry.id, entry.activityDateTime, actorOf(entry.initiatedBy));

function appCreated(entry: DirectoryAudit, base: string, targetType: string): ItemOutcome {
  const app = appFromTargets(entry.targetResources, targetType);
  if (!app) return malformed([`${joinPath(base, 'targetResources')}: no ${targetType} target with a name`]);
  return canonicalAppConnected({ ...common(entry), connectionKind: 'sso-app-created', app });
}

function consentGranted(entry: DirectoryAudit, base: string): ItemOutcome {
  const target = entry.targetResources.find((t) => t.type === 'ServicePrincipal');
  const app = appFromTargets(entry.targetResources, 'ServicePrincipal');
  if (!target || !app) return malformed([`${joinPath(base, 'targetResources')}: no ServicePrincipal target with a name`]);

  const isAdmin = decodeModifiedValue(property(target, 'ConsentContext.IsAdminConsent')?.newValue);
  const permissions = decodeModifiedValue(property(target, 'ConsentAction.Permissions')?.newValue);
  return canonicalAppConnected({
    ...common(entry),
    connectionKind: 'oauth-consent',
    app,
    adminConsent: isAdmin === undefined ? undefined : /^true$/i.test(isAdmin),
    scopes: permissions === undefined ? undefined : scopesFromPermissions(permissions),
  });
}

function property(target: TargetResource, name: string) {
  return target.modifiedProperties.find((p) => p.displayName === name);
}

/**
 * App from the first target of the type. Graph sometimes leaves a target's
 * `displayName` null on creation; the `DisplayName` modified property then
 * carries it (JSON-encoded, bracketed: `["Contoso HR"]`).
 */
function appFromTargets(targets: TargetResource[], type: string): AppConnected['app'] | undefined {
  const target = targets.find((t) => t.type === type);
  if (!target) return undefined;
  const name = target.displayName ?? decodeModifiedValue(property(target, 'DisplayName')?.newValue);
  return name ? { name, id: target.id } : undefined;
}

/**
 * Graph JSON-encodes modified values, sometimes twice, often wrapped in an
 * array: `"\"True\""`, `["Contoso HR"]`, `"[] => [[…]]; "`. Returns the text.
 */
export function decodeModifiedValue(raw: string | null | undefined): string | undefined {
  let value: unknown = raw;
  for (let depth = 0; depth < 3 && typeof value === 'string'; depth++) {
    try {
      value = JSON.parse(value);
    } catch {
      break;
    }
  }
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text === '' ? undefined : text;
}

/**
 * Scopes granted, from the `ConsentAction.Permissions` text. Several grants
 * (one per resource API) can appear; each `Scope:` runs to the next comma or
 * bracket and lists scopes separated by spaces.
 */
export function scopesFromPermissions(text: string): string[] | undefined {
  const granted = text.includes('=>') ? text.slice(text.lastIndexOf('=>') + 2) : text;
  const scopes = new Set<string>();
  for (const match of granted.matchAll(/Scope:\s*([^,\]]*)/g)) {
    for (const scope of match[1].split(/\s+/)) if (scope !== '') scopes.add(scope);
  }
  return scopes.size > 0 ? [...scopes] : undefined;
}

function actorOf(initiatedBy: InitiatedBy | null | undefined): AppConnected['actor'] {
  const user = initiatedBy?.user;
  if (user && (user.id || user.userPrincipalName)) {
    return {
      type: 'user',
      id: user.id,
      email: emailIfValid(user.userPrincipalName),
      displayName: user.displayName,
    };
  }
  const app = initiatedBy?.app;
  if (app && (app.appId || app.servicePrincipalId || app.displayName)) {
    return { type: 'app', id: app.appId ?? app.servicePrincipalId, displayName: app.displayName };
  }
  return { type: 'unknown' };
}
