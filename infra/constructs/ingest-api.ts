/**
 * The HTTPS entry for native payloads: an HTTP API with `POST /ingest/{source}`
 * (and `GET`, only for Okta's one-time verification challenge) in front of the
 * ingest function, and the Secrets Manager secret holding one shared secret
 * per source.
 *
 * Authentication is in the function, by design: API Gateway authorizers never
 * see the request body, so they cannot verify an HMAC over it, and the senders
 * (Okta event hooks, Coupa and ServiceNow webhooks, form tools) cannot get IAM,
 * Cognito or JWT credentials. What API Gateway does do here: throttling on the
 * default stage, and JSON access logs to a KMS-encrypted log group.
 */
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, type HttpRoute, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SOURCE_NAMES } from '../../functions/adapters/sources';
import { GuardrailFunction } from './guardrail-function';
import { createLoggedHttpApi } from './logged-http-api';

/** The handler entry of the ingest function. */
export const INGEST_HANDLER_ENTRY = 'functions/handlers/ingest.ts';
/** The route, with the `{source}` path parameter the handler reads. */
export const INGEST_ROUTE_PATH = '/ingest/{source}';

export interface IngestApiProps {
  /** Encrypts the secret and both log groups. */
  encryptionKey: IKey;
  /** Prefix the key policy lets CloudWatch Logs use the key for. */
  logGroupPrefix: string;
  logRetention: logs.RetentionDays;
  /** The guardrail bus canonical events go to. */
  bus: IEventBus;
  /** Where malformed payloads are kept with their reason. */
  deadLetterQueue: IQueue;
  throttle: { rateLimit: number; burstLimit: number };
  sourceOptions: object;
  serviceName: string;
  metricsNamespace: string;
  logLevel: string;
}

export class IngestApi extends Construct {
  readonly secret: secretsmanager.Secret;
  readonly function: GuardrailFunction;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogGroup: logs.LogGroup;
  readonly routes: HttpRoute[];
  /** `https://<api>.execute-api.<region>.amazonaws.com/ingest/` — append the source name. */
  readonly ingestUrl: string;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);

    // The operator fills the document (see the report/README); until then every source is
    // refused (fail closed). `_` keys are notes the parser skips; `_generated` is a strong
    // random value the operator may use as a first secret.
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description:
        'Procurement Guardrail ingest: one shared secret per source, JSON {"<source>": "<secret>"} or, while rotating, ' +
        `{"<source>": ["<new>", "<old>"]}. Sources: ${SOURCE_NAMES.join(', ')}. Secrets shorter than 16 characters are refused.`,
      encryptionKey: props.encryptionKey,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ _readme: 'Add "<source>": "<secret>" entries; keys starting with _ are ignored.' }),
        generateStringKey: '_generated',
        passwordLength: 48,
        excludePunctuation: true,
      },
      // Senders are configured with these values: keep them if the stack is deleted by mistake.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "Each value is a secret shared with an outside sender (Okta event hook, Coupa or ServiceNow webhook, form tool) that keeps its own copy in its own configuration, which a rotation Lambda cannot update; an automatic rotation would only break delivery. Rotation is an operator procedure the ingest supports without downtime: add the new secret to the source's list, switch the sender, then remove the old one.",
    });

    this.function = new GuardrailFunction(this, 'Function', {
      entry: INGEST_HANDLER_ENTRY,
      description:
        'Procurement Guardrail: authenticates native payloads posted to /ingest/{source}, normalises them and puts canonical events on the guardrail bus',
      encryptionKey: props.encryptionKey,
      logGroupName: `${props.logGroupPrefix}ingest`,
      logRetention: props.logRetention,
      // Invoked synchronously by API Gateway: the sender gets the status and retries; no async DLQ.
      serviceName: props.serviceName,
      metricsNamespace: props.metricsNamespace,
      logLevel: props.logLevel,
    })
      .readsIngestSecretsFrom(this.secret)
      .publishesCanonicalEventsTo(props.bus)
      .deadLettersTo(props.deadLetterQueue)
      .withSourceOptions(props.sourceOptions);

    const http = createLoggedHttpApi(this, {
      apiName: `${Stack.of(this).stackName}-ingest`,
      description: 'Procurement Guardrail: native payloads from identity providers and procurement tools (HMAC-signed per source)',
      // CORS stays off (server-to-server only).
      throttle: props.throttle,
      accessLogGroupName: `${props.logGroupPrefix}ingest-api-access`,
      logRetention: props.logRetention,
      encryptionKey: props.encryptionKey,
      // No headers or body (those may carry secrets or personal data); how long the ingest function took.
      extraAccessLogFields: { integrationLatency: '$context.integrationLatency' },
    });
    this.api = http.api;
    this.stage = http.stage;
    this.accessLogGroup = http.accessLogGroup;

    this.routes = this.api.addRoutes({
      path: INGEST_ROUTE_PATH,
      methods: [HttpMethod.POST, HttpMethod.GET],
      integration: new HttpLambdaIntegration('Integration', this.function, { timeout: Duration.seconds(29) }),
    });
    for (const route of this.routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          "Every request is authenticated in the ingest function before anything is read or published: an HMAC-SHA256 signature over the raw body with the source's secret and a 5-minute timestamp window, or for Okta event hooks their shared-secret Authorization header (constant-time compare); anything else gets 401. An API Gateway authorizer cannot do this (it never sees the body), and the senders cannot obtain IAM, Cognito or JWT credentials. GET only answers Okta's one-time verification challenge and has no side effect.",
      });
    }

    this.ingestUrl = `${this.api.apiEndpoint}/ingest/`;
  }

  /** 5xx answers of the API (the function's 503s and any integration failure). */
  metricServerErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stage.metricServerError(props);
  }
}
