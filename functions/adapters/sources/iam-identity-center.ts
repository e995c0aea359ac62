/**
 * AWS IAM Identity Center (CloudTrail, `sso.amazonaws.com`) → canonical
 * `app-connected` events.
 *
 * Accepts the EventBridge event (`source` `aws.sso`, `detail-type`
 * `AWS API Call via CloudTrail`), a bare CloudTrail record and a CloudTrail
 * log file `{ Records: [...] }` (S3 delivery, backfills).
 *
 * Mapping (dedupe key = `eventID`, time = `eventTime`):
 * - `CreateApplication` (customer-managed OAuth/SAML apps via the API),
 *   `CreateApplicationInstance` (SAML apps added in the console),
 *   `CreateManagedApplicationInstance` (apps AWS services create, e.g. Amazon
 *   Managed Grafana, EMR Studio, DataZone) → `sso-app-created`;
 * - `CreateApplicationAssignment` → `user-assigned`, subject = `principalId`
 *   (a group is recorded as `group:<principalId>`, since one assignment then
 *   reaches all its members).
 * - `PutApplicationAssignmentConfiguration` is NOT an assignment: it only
 *   switches whether assignment is required (services call it right after
 *   creating their managed app). It is ignored, with that reason, and left
 *   out of {@link IAM_IDENTITY_CENTER_EVENT_NAMES}.
 * - Any call with an `errorCode` changed nothing and is ignored.
 *
 * Names: `CreateApplication` sends `requestParameters.name` and returns
 * `applicationArn`. The console-only and service-only calls are not in the
 * public API reference, so their fields are read defensively (request
 * `name`/`applicationName`, then the returned instance's `name`; id from
 * `applicationArn`, the returned instance id, or the `AWS::SSO::Application`
 * resource). An assignment names only the application ARN: the name is the
 * configured `appNames[arn]` or the ARN itself — never a guess.
 *
 * AWS services acting for their own managed apps (`userIdentity.type`
 * `AWSService`, or `invokedBy` a service principal) still produce events —
 * the policy's managed-app allow list decides — but with a `system` actor.
 */
import * as z from '../../domain/zod-mini';
import type { AppConnected } from '../../domain/events';
import type { EventPattern } from '../../domain/event-routes';
import { canonicalAppConnected, eachOf, ignored, joinPath, malformed, type ItemOutcome, type NormalizeResult } from './batches';
import { emailIfValid, firstPresent, isoDateTime, isRecord, optionalText, parseNative, quote } from './native-values';
import { fromEnvelope, looksLikeEventBridgeEnvelope } from './envelope';
import { appEventBase, appNameFor, type AppNameOptions } from './app-events';

export const IAM_IDENTITY_CENTER_EVENT_SOURCE = 'sso.amazonaws.com';
export const IAM_IDENTITY_CENTER_BUS_SOURCE = 'aws.sso';
export const CLOUDTRAIL_API_CALL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** CloudTrail event names this guardrail acts on (for EventBridge rules). */
export const IAM_IDENTITY_CENTER_EVENT_NAMES = [
  'CreateApplication',
  'CreateApplicationInstance',
  'CreateManagedApplicationInstance',
  'CreateApplicationAssignment',
] as const;
type RelevantEventName = (typeof IAM_IDENTITY_CENTER_EVENT_NAMES)[number];

/** The EventBridge rule pattern for IAM Identity Center calls on the default bus. */
export const IAM_IDENTITY_CENTER_EVENT_PATTERN: EventPattern = {
  source: [IAM_IDENTITY_CENTER_BUS_SOURCE],
  'detail-type': [CLOUDTRAIL_API_CALL_DETAIL_TYPE],
  // Failed calls (AccessDenied, ValidationException…) added nothing: keep them off the Lambda.
  detail: {
    eventSource: [IAM_IDENTITY_CENTER_EVENT_SOURCE],
    eventName: [...IAM_IDENTITY_CENTER_EVENT_NAMES],
    errorCode: [{ exists: false }],
  },
};

export type IamIdentityCenterOptions = AppNameOptions;

const isRelevant = (name: string): name is RelevantEventName => (IAM_IDENTITY_CENTER_EVENT_NAMES as readonly string[]).includes(name);

const HeaderSchema = z.object({
  eventSource: z.string().check(z.minLength(1, 'is required')),
  eventName: z.string().check(z.minLength(1, 'is required')),
  errorCode: optionalText,
});

const UserIdentitySchema = z.object({
  type: optionalText,
  arn: optionalText,
  userName: optionalText,
  principalId: optionalText,
  invokedBy: optionalText,
  onBehalfOf: z.nullish(z.object({ userId: optionalText })),
});
type UserIdentity = z.output<typeof UserIdentitySchema>;

const CloudTrailRecordSchema = z.object({
  eventID: z.string().check(z.trim(), z.minLength(1, 'is required')),
  eventTime: isoDateTime,
  userIdentity: z.nullish(UserIdentitySchema),
  requestParameters: z.nullish(z.record(z.string(), z.unknown())),
  responseElements: z.nullish(z.record(z.string(), z.unknown())),
  resources: z.nullish(z.array(z.object({ ARN: optionalText, type: optionalText }))),
});
type CloudTrailRecord = z.output<typeof CloudTrailRecordSchema>;

const AssignmentRequestSchema = z.object({
  applicationArn: z.string().check(z.trim(), z.minLength(1, 'is required')),
  principalId: z.string().check(z.trim(), z.minLength(1, 'is required')),
  principalType: optionalText,
});

/** Normalises an EventBridge CloudTrail event, a bare record, or a log file `{ Records }`. */
export function normalizeIamIdentityCenter(payload: unknown, options?: IamIdentityCenterOptions): NormalizeResult {
  if (looksLikeEventBridgeEnvelope(payload)) return normalizeEnvelope(payload, options);
  if (isRecord(payload) && 'Records' in payload) {
    if (!Array.isArray(payload.Records)) return malformed(['Records: must be an array of CloudTrail records']);
    return eachOf(payload.Records, 'Records', 'the log file held no records', (value, item) => normalizeRecord(value, item, options));
  }
  return normalizeRecord(payload, '', options);
}

function normalizeEnvelope(payload: unknown, options?: IamIdentityCenterOptions): ItemOutcome {
  const source = (name: string) =>
    name === IAM_IDENTITY_CENTER_BUS_SOURCE ? undefined : `event source ${quote(name)} is not ${IAM_IDENTITY_CENTER_BUS_SOURCE}`;
  const detailTypeMeans = `an API call (${CLOUDTRAIL_API_CALL_DETAIL_TYPE})`;
  return fromEnvelope(payload, { source, detailType: CLOUDTRAIL_API_CALL_DETAIL_TYPE, detailTypeMeans }, (detail, base) =>
    normalizeRecord(detail, base, options),
  );
}

function normalizeRecord(value: unknown, base: string, options?: IamIdentityCenterOptions): ItemOutcome {
  const header = parseNative(HeaderSchema, value, base);
  if (!header.ok) return malformed(header.problems);
  const { eventSource, eventName, errorCode } = header.value;
  if (eventSource !== IAM_IDENTITY_CENTER_EVENT_SOURCE) {
    return ignored(`CloudTrail call to ${quote(eventSource)} is not IAM Identity Center`);
  }
  if (eventName === 'PutApplicationAssignmentConfiguration') {
    return ignored('PutApplicationAssignmentConfiguration only sets whether assignment is required; it assigns nobody');
  }
  if (!isRelevant(eventName)) return ignored(`IAM Identity Center call ${quote(eventName)} neither adds an app nor assigns one`);
  if (errorCode) return ignored(`${eventName} failed with ${quote(errorCode)}; nothing changed`);

  const parsed = parseNative(CloudTrailRecordSchema, value, base);
  if (!parsed.ok) return malformed(parsed.problems);
  return eventName === 'CreateApplicationAssignment' ? assignment(parsed.value, base, options) : appCreated(parsed.value, base, options);
}

const common = (record: CloudTrailRecord) => appEventBase('iam-identity-center', record.eventID, record.eventTime, actorOf(record.userIdentity));

function appCreated(record: CloudTrailRecord, base: string, options?: IamIdentityCenterOptions): ItemOutcome {
  const request = record.requestParameters ?? {};
  const response = record.responseElements ?? {};
  const instance = { ...child(response, 'applicationInstance'), ...child(response, 'managedApplicationInstance') };
  const id = firstPresent(
    response.applicationArn,
    request.applicationArn,
    instance.applicationArn,
    instance.applicationInstanceId,
    instance.managedApplicationInstanceId,
    response.managedApplicationInstanceId,
    record.resources?.find((r) => r.type === 'AWS::SSO::Application')?.ARN,
  );
  const name = firstPresent(request.name, request.applicationName, instance.name) ?? (id ? appNameFor(id, options) : undefined);
  if (!name) {
    return malformed([`${joinPath(base, 'requestParameters', 'name')}: missing, and no application ARN or instance id to name the app by`]);
  }
  return canonicalAppConnected({ ...common(record), connectionKind: 'sso-app-created', app: { name, id } });
}

function assignment(record: CloudTrailRecord, base: string, options?: IamIdentityCenterOptions): ItemOutcome {
  const request = parseNative(AssignmentRequestSchema, record.requestParameters ?? {}, joinPath(base, 'requestParameters'));
  if (!request.ok) return malformed(request.problems);
  const { applicationArn, principalId, principalType } = request.value;
  return canonicalAppConnected({
    ...common(record),
    connectionKind: 'user-assigned',
    app: { name: appNameFor(applicationArn, options), id: applicationArn },
    subject: { id: principalType === 'GROUP' ? `group:${principalId}` : principalId },
  });
}

function child(parent: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = parent[key];
  return isRecord(value) ? value : {};
}

const AWS_SERVICE_PRINCIPAL = /^[a-z0-9.-]+\.amazonaws\.com$/;

function actorOf(identity: UserIdentity | null | undefined): AppConnected['actor'] {
  if (!identity) return { type: 'unknown' };
  const service = identity.invokedBy && AWS_SERVICE_PRINCIPAL.test(identity.invokedBy) ? identity.invokedBy : undefined;
  if (identity.type === 'AWSService' || service) {
    return { type: 'system', id: service ?? identity.invokedBy ?? identity.principalId };
  }
  const sessionName = identity.arn?.split('/').pop();
  switch (identity.type) {
    case 'IAMUser':
      return { type: 'user', id: identity.arn, displayName: identity.userName };
    case 'AssumedRole':
      // Identity Center sign-ins name the session after the user, usually their email.
      return { type: 'user', id: identity.arn, email: emailIfValid(sessionName), displayName: sessionName };
    case 'Root':
      return { type: 'user', id: identity.arn };
    case 'IdentityCenterUser':
      return { type: 'user', id: identity.onBehalfOf?.userId };
    default:
      if (identity.userName) return { type: 'user', email: emailIfValid(identity.userName), displayName: identity.userName, id: identity.principalId };
      return { type: 'unknown', id: identity.arn ?? identity.principalId };
  }
}
