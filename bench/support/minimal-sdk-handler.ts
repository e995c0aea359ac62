/**
 * The cold-start baseline: a Lambda that holds only the AWS SDK clients the
 * guardrail uses (DynamoDB with the DocumentClient, SNS, EventBridge, SQS),
 * constructs them at module scope as the guardrail does, and references the
 * same operations so esbuild keeps the same SDK code. Whatever our bundles
 * cost on top of this is the price of middy, Powertools, zod and our code.
 * Never deployed; bundled by bench/cold-start.ts with the CDK's esbuild flags.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const sns = new SNSClient({});
const eventBridge = new EventBridgeClient({});
const sqs = new SQSClient({});

/** Sends one call of each kind when asked to; the benchmark only loads the module. */
export const handler = async (event: { call?: string; table?: string }): Promise<unknown> => {
  const table = event.table ?? 'table';
  switch (event.call) {
    case 'get':
      return documents.send(new GetCommand({ TableName: table, Key: { pk: 'a', sk: 'b' } }));
    case 'put':
      return documents.send(new PutCommand({ TableName: table, Item: { pk: 'a', sk: 'b' } }));
    case 'update':
      return documents.send(new UpdateCommand({ TableName: table, Key: { pk: 'a', sk: 'b' }, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': 1 } }));
    case 'query':
      return documents.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'a' } }));
    case 'batch':
      return documents.send(new BatchWriteCommand({ RequestItems: { [table]: [{ PutRequest: { Item: { pk: 'a', sk: 'b' } } }] } }));
    case 'publish':
      return sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: 'm' }));
    case 'put-events':
      return eventBridge.send(new PutEventsCommand({ Entries: [{ Source: 's', DetailType: 'd', Detail: '{}' }] }));
    case 'send-message':
      return sqs.send(new SendMessageCommand({ QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: 'm' }));
    default:
      return undefined;
  }
};
