/**
 * What every AWS edge module is built on: the SDK clients (the container's
 * traced ones by default; the bench's in-process transports or the tests'
 * aws-sdk-client-mock clients otherwise) and Powertools' logger and metrics.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PutEventsOptions } from '../adapters/eventbridge/event-bus';
import { systemClock, type Clock } from '../domain/ports/clock';
import type { RuntimeEdges } from './edges';

/** The SDK clients the edges are built on, each asked for when first needed. */
export interface AwsClients {
  documents(): DynamoDBDocumentClient;
  sns(): SNSClient;
  eventBridge(): EventBridgeClient;
  sqs(): SQSClient;
  secretsManager(): SecretsManagerClient;
  ssm(): SSMClient;
}

export interface AwsEdgeOptions {
  /**
   * Default: the container's traced clients (adapters/clients.ts), built once
   * and reused by every invocation. Each edge module falls back client by
   * client, so a bundle loads only the SDK clients its Lambda uses.
   */
  clients?: Partial<AwsClients>;
  /** Default: Powertools' logger and metrics, configured by POWERTOOLS_* variables. */
  logger?: Logger;
  metrics?: Metrics;
  clock?: Clock;
  /** PutEvents retries (tests make the backoff instant). */
  putEvents?: PutEventsOptions;
}

export function awsRuntimeEdges(options: AwsEdgeOptions): RuntimeEdges {
  return { logger: options.logger ?? new Logger(), metrics: options.metrics ?? new Metrics(), clock: options.clock ?? systemClock };
}
