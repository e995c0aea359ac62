/**
 * Google Workspace Admin Reports, application `token` → canonical
 * `oauth-consent` events.
 *
 * Accepts one activity (also what a Reports API push notification carries
 * as its body), an `activities.list` page `{ items: [...] }` or an array.
 * Each `events[]` entry named `authorize` becomes one consent; `revoke`,
 * `activity` and the rest are ignored. A channel `sync` message
 * (`kind` `api#channel`) is ignored too.
 *
 * Parameters are read from whichever field carries them (`value`,
 * `multiValue`, `boolValue`, `intValue`, `messageValue`,
 * `multiMessageValue`): `app_name` (also found nested in an `app`
 * message), `client_id` (→ `app.id`), `scope` (`multiValue` of full scope
 * URLs; else the `scope_name`s of `scope_data`). `client_type` (WEB,
 * NATIVE_…) has no canonical field and is not carried.
 *
 * `sourceEventId` is `id.uniqueQualifier`, with `-<index of the event>`
 * appended when one activity holds several `authorize` events (each needs
 * its own dedupe key). `occurredAt` is `id.time`.
 */
import * as z from '../../domain/zod-mini';
import type { AppConnected } from '../../domain/events';
import { canonicalAppConnected, combineOutcomes, eachOf, ignored, joinPath, malformed, type ItemOutcome, type NormalizeResult } from './batches';
import { isoDateTime, isRecord, numberOrText, optionalText, parseNative, quote } from './native-values';
import { appNameFor, type AppNameOptions } from './app-events';

export type GoogleWorkspaceOptions = AppNameOptions;

export const GOOGLE_TOKEN_APPLICATION = 'token';
export const GOOGLE_AUTHORIZE_EVENT = 'authorize';

/** A Reports API event parameter: exactly one of the value fields is set. */
export interface ReportParameter {
  name: string;
  value?: string | null;
  multiValue?: string[] | null;
  boolValue?: boolean | null;
  intValue?: string | number | null;
  multiIntValue?: Array<string | number> | null;
  messageValue?: { parameter?: ReportParameter[] | null } | null;
  multiMessageValue?: Array<{ parameter?: ReportParameter[] | null }> | null;
}

const ParameterSchema: z.ZodMiniType<ReportParameter> = z.lazy(() =>
  z.object({
    name: z.string(),
    value: z.nullish(z.string()),
    multiValue: z.nullish(z.array(z.string())),
    boolValue: z.nullish(z.boolean()),
    intValue: z.nullish(numberOrText),
    multiIntValue: z.nullish(z.array(numberOrText)),
    messageValue: z.nullish(z.object({ parameter: z.nullish(z.array(ParameterSchema)) })),
    multiMessageValue: z.nullish(z.array(z.object({ parameter: z.nullish(z.array(ParameterSchema)) }))),
  }),
);

export type ParameterValue = string | string[] | boolean | number | number[] | ReportParameter[] | ReportParameter[][];

/** The value of the named parameter, from whichever field carries it. */
export function readParameter(parameters: readonly ReportParameter[], name: string): ParameterValue | undefined {
  const parameter = parameters.find((p) => p.name === name);
  if (!parameter) return undefined;
  if (parameter.value != null) return parameter.value;
  if (parameter.multiValue != null) return parameter.multiValue;
  if (parameter.boolValue != null) return parameter.boolValue;
  if (parameter.intValue != null) return Number(parameter.intValue);
  if (parameter.multiIntValue != null) return parameter.multiIntValue.map(Number);
  if (parameter.messageValue != null) return parameter.messageValue.parameter ?? [];
  if (parameter.multiMessageValue != null) return parameter.multiMessageValue.map((m) => m.parameter ?? []);
  return undefined;
}

/** A parameter read as text (a single string value), else undefined. */
export function readTextParameter(parameters: readonly ReportParameter[], name: string): string | undefined {
  const value = readParameter(parameters, name);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A parameter read as a list of strings (`multiValue`, or a single `value`). */
export function readTextListParameter(parameters: readonly ReportParameter[], name: string): string[] | undefined {
  const value = readParameter(parameters, name);
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

const HeaderSchema = z.object({
  id: z.object({ applicationName: z.string().check(z.minLength(1, 'is required')) }),
  events: z.array(z.object({ name: z.string().check(z.minLength(1, 'is required')) })),
});

const ActivitySchema = z.object({
  id: z.object({
    time: isoDateTime,
    uniqueQualifier: z.pipe(z.pipe(numberOrText, z.transform(String)), z.string().check(z.trim(), z.minLength(1, 'is required'))),
  }),
  actor: z.nullish(z.object({ email: optionalText, profileId: optionalText, callerType: optionalText, key: optionalText })),
  events: z.array(z.object({ name: z.string(), parameters: z.nullish(z.array(ParameterSchema)) })),
});
type Activity = z.output<typeof ActivitySchema>;

type Entry = { item: string; outcome: ItemOutcome };

/** Normalises one token activity, an activities page `{ items }`, an array, or a push notification body. */
export function normalizeGoogleWorkspace(payload: unknown, options?: GoogleWorkspaceOptions): NormalizeResult {
  if (isRecord(payload) && payload.kind === 'api#channel') return { status: 'ignored', reason: 'push channel sync message' };
  if (Array.isArray(payload)) return normalizeActivities(payload, '', options);
  if (isRecord(payload) && 'items' in payload && !('events' in payload)) {
    if (!Array.isArray(payload.items)) return malformed(['items: must be an array of activities']);
    return normalizeActivities(payload.items, 'items', options);
  }
  // The Reports API leaves `items` out of a page with no activities.
  if (isRecord(payload) && payload.kind === 'admin#reports#activities') return { status: 'ignored', reason: 'the activities page held no activities' };
  return combineOutcomes(activityEntries(payload, '', options), 'the activity held no events');
}

function normalizeActivities(values: unknown[], basePath: string, options?: GoogleWorkspaceOptions): NormalizeResult {
  return eachOf(values, basePath, 'the page held no activities', (value, item) => activityEntries(value, item, options));
}

function activityEntries(value: unknown, base: string, options?: GoogleWorkspaceOptions): Entry[] {
  const header = parseNative(HeaderSchema, value, base);
  if (!header.ok) return [{ item: base, outcome: malformed(header.problems) }];
  const { applicationName } = header.value.id;
  if (applicationName !== GOOGLE_TOKEN_APPLICATION) {
    return [{ item: base, outcome: ignored(`Reports application ${quote(applicationName)} is not token`) }];
  }
  const names = header.value.events.map((e) => e.name);
  const authorizeCount = names.filter((n) => n === GOOGLE_AUTHORIZE_EVENT).length;
  if (authorizeCount === 0) {
    const seen = names.length > 0 ? ` (saw ${names.map((n) => quote(n)).join(', ')})` : '';
    return [{ item: base, outcome: ignored(`no authorize event${seen}: nothing was granted`) }];
  }

  const parsed = parseNative(ActivitySchema, value, base);
  if (!parsed.ok) return [{ item: base, outcome: malformed(parsed.problems) }];
  const activity = parsed.value;
  return activity.events.map((event, index) => {
    const item = joinPath(base, 'events', index);
    if (event.name !== GOOGLE_AUTHORIZE_EVENT) return { item, outcome: ignored(`token event ${quote(event.name)} grants nothing`) };
    const sourceEventId = authorizeCount > 1 ? `${activity.id.uniqueQualifier}-${index}` : activity.id.uniqueQualifier;
    return { item, outcome: authorized(activity, event.parameters ?? [], sourceEventId, item, options) };
  });
}

function authorized(activity: Activity, parameters: ReportParameter[], sourceEventId: string, item: string, options?: GoogleWorkspaceOptions): ItemOutcome {
  const clientId = readTextParameter(parameters, 'client_id');
  const appName = readTextParameter(parameters, 'app_name') ?? nestedAppName(parameters);
  const name = appName ?? (clientId ? appNameFor(clientId, options) : undefined);
  if (!name) return malformed([`${joinPath(item, 'parameters')}: neither app_name nor client_id names the app`]);

  return canonicalAppConnected({
    source: 'google-workspace',
    sourceEventId,
    occurredAt: activity.id.time,
    connectionKind: 'oauth-consent',
    app: { name, id: clientId },
    actor: actorOf(activity.actor),
    // `authorize` is a user granting an app access to their own account (admin trust is a different audit event).
    adminConsent: false,
    scopes: scopesOf(parameters),
  });
}

/** Newer token events nest the name: `{ name: 'app', messageValue: { parameter: [{ name: 'app_name', … }] } }`. */
function nestedAppName(parameters: ReportParameter[]): string | undefined {
  const app = readParameter(parameters, 'app');
  if (!Array.isArray(app) || app.length === 0 || typeof app[0] !== 'object' || Array.isArray(app[0])) return undefined;
  return readTextParameter(app as ReportParameter[], 'app_name');
}

function scopesOf(parameters: ReportParameter[]): string[] | undefined {
  const scopes = readTextListParameter(parameters, 'scope');
  if (scopes && scopes.length > 0) return [...new Set(scopes)];
  const scopeData = readParameter(parameters, 'scope_data');
  if (!Array.isArray(scopeData)) return undefined;
  const names = (scopeData as unknown[])
    .filter((message): message is ReportParameter[] => Array.isArray(message))
    .map((message) => readTextParameter(message, 'scope_name'))
    .filter((s): s is string => s !== undefined);
  return names.length > 0 ? [...new Set(names)] : undefined;
}

function actorOf(actor: Activity['actor']): AppConnected['actor'] {
  // Reports documents `email` as the actor's address: pass it on as is and let the canonical schema judge it.
  if (actor?.email) return { type: 'user', email: actor.email, id: actor.profileId };
  if (actor?.callerType === 'KEY' || actor?.key) return { type: 'app', id: actor.key };
  if (actor?.profileId) return { type: 'user', id: actor.profileId };
  return { type: 'unknown' };
}
