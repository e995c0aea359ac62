/**
 * The shape both public HTTP APIs of the guardrail share (ingest and
 * approvals): no auto-created stage, one `$default` stage with throttling and
 * JSON access logs, one line per request, to a log group encrypted with the
 * stack's key. Kept in one place so the two APIs cannot drift apart on what
 * they log or how long they keep it.
 *
 * A function rather than a construct on purpose: it creates `Api`,
 * `DefaultStage` and `AccessLogs` directly in the caller's scope, so their
 * logical ids stay what they were before it existed and `cdk deploy` updates
 * the deployed API, stage and log group in place instead of replacing them.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, type HttpStage, LogGroupLogDestination, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * The access-log fields every API logs: who called, what, and how it ended.
 * Deliberately no query string, headers or body: they may carry tokens
 * (the approvals links), shared secrets or personal data.
 */
export const COMMON_ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
} as const;

export interface LoggedHttpApiProps {
  apiName: string;
  description: string;
  /** Throttling of the `$default` stage (all routes). */
  throttle: ThrottleSettings;
  accessLogGroupName: string;
  logRetention: logs.RetentionDays;
  /** Encrypts the access logs; its policy must let CloudWatch Logs use it for `accessLogGroupName`. */
  encryptionKey: IKey;
  /**
   * `$context` variables this API logs besides {@link COMMON_ACCESS_LOG_FIELDS}
   * (e.g. `authorizerError` where routes have an authorizer). Never the query
   * string, a header or the body.
   */
  extraAccessLogFields?: Record<string, string>;
}

export interface LoggedHttpApi {
  api: HttpApi;
  stage: HttpStage;
  accessLogGroup: logs.LogGroup;
}

/** The access-log line: the common fields, this API's own, then the error message last. */
export function accessLogFormat(extraFields: Record<string, string> = {}): AccessLogFormat {
  return AccessLogFormat.custom(JSON.stringify({ ...COMMON_ACCESS_LOG_FIELDS, ...extraFields, errorMessage: '$context.error.message' }));
}

/** Creates the API, its throttled `$default` stage and its encrypted access-log group in `scope`. */
export function createLoggedHttpApi(scope: Construct, props: LoggedHttpApiProps): LoggedHttpApi {
  const accessLogGroup = new logs.LogGroup(scope, 'AccessLogs', {
    logGroupName: props.accessLogGroupName,
    retention: props.logRetention,
    encryptionKey: props.encryptionKey,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const api = new HttpApi(scope, 'Api', {
    apiName: props.apiName,
    description: props.description,
    // The stage is created below with throttling and access logs, which the default stage cannot have.
    createDefaultStage: false,
  });
  const stage = api.addStage('DefaultStage', {
    stageName: '$default',
    autoDeploy: true,
    throttle: props.throttle,
    accessLogSettings: {
      destination: new LogGroupLogDestination(accessLogGroup),
      format: accessLogFormat(props.extraAccessLogFields),
    },
  });
  return { api, stage, accessLogGroup };
}
