/**
 * The Powertools Tracer: off (and the clients untouched) in tests, `npm start`
 * and the CLI; on in Lambda, where every AWS SDK client the process builds
 * records its calls as X-Ray subsegments.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- each case reloads the modules inside jest.isolateModules */
import { SNSClient } from '@aws-sdk/client-sns';

const middlewareNames = (client: { middlewareStack: { identify(): string[] } }) => client.middlewareStack.identify().join(' ');

describe('tracing', () => {
  const saved = process.env.AWS_EXECUTION_ENV;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_EXECUTION_ENV;
    else process.env.AWS_EXECUTION_ENV = saved;
    jest.resetModules();
  });

  it('is off outside Lambda: clients come back as they were, with no X-Ray middleware', () => {
    delete process.env.AWS_EXECUTION_ENV;
    jest.isolateModules(() => {
      const { tracer, traced } = require('../../../functions/adapters/tracing') as typeof import('../../../functions/adapters/tracing');
      const { snsClient } = require('../../../functions/adapters/clients') as typeof import('../../../functions/adapters/clients');
      const { dynamoDbDocumentClient } =
        require('../../../functions/adapters/dynamodb/document-client') as typeof import('../../../functions/adapters/dynamodb/document-client');
      expect(tracer.isTracingEnabled()).toBe(false);
      const client = new SNSClient({ region: 'eu-west-1' });
      expect(traced(client)).toBe(client);
      expect(middlewareNames(snsClient())).not.toMatch(/XRay/i);
      expect(middlewareNames(dynamoDbDocumentClient())).not.toMatch(/XRay/i);
    });
  });

  it('is on in Lambda: every process-wide client, the document client included, records its calls', () => {
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';
    jest.isolateModules(() => {
      const { tracer } = require('../../../functions/adapters/tracing') as typeof import('../../../functions/adapters/tracing');
      const clients = require('../../../functions/adapters/clients') as typeof import('../../../functions/adapters/clients');
      const { dynamoDbDocumentClient } =
        require('../../../functions/adapters/dynamodb/document-client') as typeof import('../../../functions/adapters/dynamodb/document-client');
      const { ssmClient } =
        require('../../../functions/adapters/security/ssm-parameter-keys') as typeof import('../../../functions/adapters/security/ssm-parameter-keys');
      expect(tracer.isTracingEnabled()).toBe(true);
      for (const client of [
        clients.snsClient(),
        clients.eventBridgeClient(),
        clients.sqsClient(),
        clients.secretsManagerClient(),
        ssmClient(),
        dynamoDbDocumentClient(),
      ]) {
        expect(middlewareNames(client)).toMatch(/XRaySDKInstrumentation/);
      }
    });
  });
});
