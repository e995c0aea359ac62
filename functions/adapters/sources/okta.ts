/**
 * Okta System Log → canonical `app-connected` events.
 *
 * Accepts every way a System Log event reaches us: the EventBridge partner
 * envelope (`source` `aws.partner/okta.com/…`, `detail-type` `SystemLog`,
 * the event as `detail`), an event hook body (`data.events[]`, possibly
 * several), a System Log API page (`GET /api/v1/logs` answers a JSON array
 * of LogEvents) and a bare event (replays).
 *
 * Mapping (the dedupe key is Okta's `uuid`, the time `published`):
 * - `application.lifecycle.create` → `sso-app-created`, app = the `AppInstance` target;
 * - `application.user_membership.add` → `user-assigned`, subject = the `User`
 *   target (else the `AppUser` one);
 * - `app.oauth2.as.consent.grant`, `app.oauth2.consent.grant` → `oauth-consent`
 *   (`adminConsent` false), `app.oauth2.admin.consent.grant` → `oauth-consent`
 *   (`adminConsent` true).
 *
 * Consent events, as Okta records them (Workflows "OAuth2 App Consent Granted"
 * card; public System Log exports): one target per granted scope, of type
 * `ConsentGrant`, whose `displayName` is the scope and whose `detailEntry`
 * holds `publicclientapp` (the OAuth client id), `authorizationserver` and
 * `user` (the consenting user's id). Other orgs and event versions name the
 * scope targets `Scope`, `OAuth2Scope` or similar, so any target whose type
 * speaks of a scope, consent or grant (or that carries `publicclientapp`)
 * counts. No `AppInstance` target is present, so the app is named by its
 * client id unless `appNames` maps it. App targets (`AppInstance`,
 * `PublicClientApp`, an OAuth client) and `debugContext.debugData`
 * (`clientId`, `scopes`/`grantedScopes`/`requestedScopes`) are read as fallbacks.
 *
 * Okta often records consent with the actor `system@okta.com`
 * (`SystemPrincipal`): that stays a `system` actor with its id — the person
 * is only findable by correlating sessions, which is not this module's job.
 */
import * as z from '../../domain/zod-mini';
import type { AppConnected } from '../../domain/events';
import type { EventPattern } from '../../domain/event-routes';
import { canonicalAppConnected, eachOf, ignored, joinPath, malformed, type ItemOutcome, type NormalizeResult } from './batches';
import { emailIfValid, firstPresent, isoDateTime, isRecord, optionalText, parseNative, quote } from './native-values';
import { fromEnvelope, looksLikeEventBridgeEnvelope } from './envelope';
import { appEventBase, appNameFor, type AppNameOptions } from './app-events';

/** The System Log event types this guardrail acts on (for EventBridge rules and Okta hook subscriptions). */
export const OKTA_RELEVANT_EVENT_TYPES = [
  'application.lifecycle.create',
  'application.user_membership.add',
  'app.oauth2.as.consent.grant',
  'app.oauth2.consent.grant',
  'app.oauth2.admin.consent.grant',
] as const;
export type OktaRelevantEventType = (typeof OKTA_RELEVANT_EVENT_TYPES)[number];

/** Partner event sources are named `aws.partner/okta.com/<org>/<event-source-name>`. */
export const OKTA_PARTNER_SOURCE_PREFIX = 'aws.partner/okta.com/';
export const OKTA_DETAIL_TYPE = 'SystemLog';

/**
 * The EventBridge rule pattern for an Okta partner event bus: only the
 * relevant event types, only successes (Okta streams every event unfiltered,
 * so filtering in the rule saves an invocation per sign-in). The stack names
 * its partner source; the local bus, which has no partner buses, takes any
 * Okta partner source (a prefix).
 */
export function oktaEventPattern(partnerEventSourceName?: string): EventPattern {
  return {
    source: [partnerEventSourceName ?? { prefix: OKTA_PARTNER_SOURCE_PREFIX }],
    'detail-type': [OKTA_DETAIL_TYPE],
    detail: { eventType: [...OKTA_RELEVANT_EVENT_TYPES], outcome: { result: ['SUCCESS'] } },
  };
}

export type OktaOptions = AppNameOptions;

const CONNECTION_KIND: Record<OktaRelevantEventType, AppConnected['connectionKind']> = {
  'application.lifecycle.create': 'sso-app-created',
  'application.user_membership.add': 'user-assigned',
  'app.oauth2.as.consent.grant': 'oauth-consent',
  'app.oauth2.consent.grant': 'oauth-consent',
  'app.oauth2.admin.consent.grant': 'oauth-consent',
};

const isRelevant = (eventType: string): eventType is OktaRelevantEventType => (OKTA_RELEVANT_EVENT_TYPES as readonly string[]).includes(eventType);

const HeaderSchema = z.object({
  eventType: z.string().check(z.minLength(1, 'is required')),
  outcome: z.object({ result: z.string().check(z.minLength(1, 'is required')) }),
});

const TargetSchema = z.object({
  id: optionalText,
  type: optionalText,
  alternateId: optionalText,
  displayName: optionalText,
  detailEntry: z.nullish(z.record(z.string(), z.unknown())),
});
type Target = z.output<typeof TargetSchema>;

const ActorSchema = z.object({
  id: optionalText,
  type: optionalText,
  alternateId: optionalText,
  displayName: optionalText,
});
type OktaActor = z.output<typeof ActorSchema>;

const SystemLogEventSchema = z.object({
  uuid: z.string().check(z.trim(), z.minLength(1, 'is required')),
  published: isoDateTime,
  eventType: z.string(),
  actor: ActorSchema,
  target: z.pipe(
    z.nullish(z.array(TargetSchema)),
    z.transform((targets: Target[] | null | undefined) => targets ?? []),
  ),
  debugContext: z.nullish(z.object({ debugData: z.nullish(z.record(z.string(), z.unknown())) })),
});
type SystemLogEvent = z.output<typeof SystemLogEventSchema>;

/** Normalises an Okta envelope, event hook body or bare System Log event. */
export function normalizeOkta(payload: unknown, options?: OktaOptions): NormalizeResult {
  if (looksLikeEventBridgeEnvelope(payload)) return normalizeEnvelope(payload, options);
  if (Array.isArray(payload)) {
    return eachOf(payload, '', 'the System Log page held no events', (value, item) => normalizeSystemLogEvent(value, item, options));
  }
  if (isRecord(payload) && isRecord(payload.data) && 'events' in payload.data) {
    const events = payload.data.events;
    if (!Array.isArray(events)) return malformed(['data.events: must be an array of System Log events']);
    return eachOf(events, 'data.events', 'event hook delivery held no events', (value, item) => normalizeSystemLogEvent(value, item, options));
  }
  return normalizeSystemLogEvent(payload, '', options);
}

function normalizeEnvelope(payload: unknown, options?: OktaOptions): ItemOutcome {
  const source = (name: string) =>
    name.startsWith(OKTA_PARTNER_SOURCE_PREFIX) ? undefined : `source: ${quote(name)} is not an Okta partner event source (${OKTA_PARTNER_SOURCE_PREFIX}…)`;
  return fromEnvelope(payload, { source, detailType: OKTA_DETAIL_TYPE, detailTypeMeans: OKTA_DETAIL_TYPE }, (detail, base) =>
    normalizeSystemLogEvent(detail, base, options),
  );
}

function normalizeSystemLogEvent(value: unknown, base: string, options?: OktaOptions): ItemOutcome {
  const header = parseNative(HeaderSchema, value, base);
  if (!header.ok) return malformed(header.problems);
  const { eventType, outcome } = header.value;
  if (!isRelevant(eventType)) return ignored(`Okta event type ${quote(eventType)} is not about apps or consent`);
  if (outcome.result !== 'SUCCESS') return ignored(`${eventType} with outcome ${quote(outcome.result)}, not SUCCESS`);

  const parsed = parseNative(SystemLogEventSchema, value, base);
  if (!parsed.ok) return malformed(parsed.problems);
  const event = parsed.value;

  switch (CONNECTION_KIND[eventType]) {
    case 'sso-app-created':
      return appCreated(event, base, options);
    case 'user-assigned':
      return userAssigned(event, base, options);
    case 'oauth-consent':
      return consentGranted(event, base, eventType === 'app.oauth2.admin.consent.grant', options);
  }
}

const common = (event: SystemLogEvent) => appEventBase('okta', event.uuid, event.published, actorOf(event.actor));

function appCreated(event: SystemLogEvent, base: string, options?: OktaOptions): ItemOutcome {
  const app = appFromTarget(event.target, 'AppInstance', options);
  if (!app) return malformed([`${joinPath(base, 'target')}: no AppInstance target with a name`]);
  return canonicalAppConnected({ ...common(event), connectionKind: 'sso-app-created', app });
}

function userAssigned(event: SystemLogEvent, base: string, options?: OktaOptions): ItemOutcome {
  const app = appFromTarget(event.target, 'AppInstance', options);
  const person = event.target.find((t) => t.type === 'User') ?? event.target.find((t) => t.type === 'AppUser');
  const problems: string[] = [];
  if (!app) problems.push(`${joinPath(base, 'target')}: no AppInstance target with a name`);
  if (!person) problems.push(`${joinPath(base, 'target')}: no User or AppUser target (who was assigned)`);
  if (!app || !person) return malformed(problems);
  return canonicalAppConnected({
    ...common(event),
    connectionKind: 'user-assigned',
    app,
    subject: {
      id: person.id,
      email: emailIfValid(person.alternateId),
      displayName: person.displayName,
    },
  });
}

/** Target types Okta uses for an app or OAuth client. */
const isAppTarget = (t: Target) => t.type !== undefined && /^(AppInstance|PublicClientApp|OAuth2?Client|ClientApp)$/i.test(t.type);
/** A granted scope: `ConsentGrant`, `Scope`, `OAuth2Scope`… or any target naming the OAuth client it was granted to. */
const isScopeTarget = (t: Target) =>
  !isAppTarget(t) && ((t.type !== undefined && /scope|consent|grant/i.test(t.type)) || t.detailEntry?.publicclientapp !== undefined);

function consentGranted(event: SystemLogEvent, base: string, admin: boolean, options?: OktaOptions): ItemOutcome {
  const grants = event.target.filter(isScopeTarget);
  const debugData = event.debugContext?.debugData ?? {};
  const clientId = firstPresent(...grants.map((g) => g.detailEntry?.publicclientapp), debugData.clientId, debugData.client_id);
  const appTarget = event.target.find(isAppTarget);
  const app = appTarget ? appFromTarget([appTarget], appTarget.type, options) : undefined;

  const resolvedApp = app ?? (clientId ? { name: appNameFor(clientId, options), id: clientId } : undefined);
  if (!resolvedApp) {
    return malformed([
      `${joinPath(base, 'target')}: no app target (AppInstance or PublicClientApp) and no ConsentGrant detailEntry.publicclientapp naming the OAuth client`,
    ]);
  }

  const actor = actorOf(event.actor);
  const consentingUser = firstPresent(...grants.map((g) => g.detailEntry?.user));
  return canonicalAppConnected({
    ...common(event),
    connectionKind: 'oauth-consent',
    app: { ...resolvedApp, id: resolvedApp.id ?? clientId },
    adminConsent: admin,
    scopes: scopesOf(grants, debugData),
    // The grant names the user it was made for; record them when the actor is someone else (often Okta's system actor).
    subject: consentingUser && consentingUser !== actor.id ? { id: consentingUser } : undefined,
  });
}

function scopesOf(grants: Target[], debugData: Record<string, unknown>): string[] | undefined {
  const fromTargets = grants.map((g) => g.displayName ?? g.alternateId).filter((s): s is string => s !== undefined);
  const fromDebug = splitScopes(debugData.grantedScopes ?? debugData.scopes ?? debugData.requestedScopes);
  const scopes = [...new Set(fromTargets.length > 0 ? fromTargets : fromDebug)];
  return scopes.length > 0 ? scopes : undefined;
}

function splitScopes(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string' && s.trim() !== '');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter((s) => s !== '');
  return [];
}

/** The app a target names; one Okta names only by id keeps the id (or its configured name) as the name. */
function appFromTarget(targets: Target[], type: string | undefined, options?: OktaOptions): AppConnected['app'] | undefined {
  const target = targets.find((t) => t.type === type);
  const name = target?.displayName ?? target?.alternateId ?? (target?.id ? appNameFor(target.id, options) : undefined);
  if (!target || !name) return undefined;
  return { name, id: target.id };
}

const SYSTEM_ACTOR_ID = 'system@okta.com';

/** Okta's actor, without guessing a person where Okta names none. */
function actorOf(actor: OktaActor): AppConnected['actor'] {
  if (actor.type === 'SystemPrincipal' || actor.alternateId === SYSTEM_ACTOR_ID) {
    return { type: 'system', id: actor.id ?? actor.alternateId, displayName: actor.displayName };
  }
  if (actor.type === 'User') {
    return { type: 'user', id: actor.id, email: emailIfValid(actor.alternateId), displayName: actor.displayName };
  }
  if (actor.type !== undefined && /App|Client/.test(actor.type)) {
    return { type: 'app', id: actor.id, displayName: actor.displayName };
  }
  return { type: 'unknown', id: actor.id, displayName: actor.displayName };
}
