import {
  IAM_IDENTITY_CENTER_EVENT_NAMES,
  IAM_IDENTITY_CENTER_EVENT_PATTERN,
  normalizeIamIdentityCenter,
} from '../../../functions/adapters/sources/iam-identity-center';
import {
  CLEANED_CONTROL_CHARACTER_NAME,
  CONTROL_CHARACTER_NAME,
  expectShortenedHugeName,
  HUGE_NAME,
  TRICKY_BUT_VALID_NAME,
  expectIgnored,
  expectMalformed,
  onlyApp,
  sample,
  set,
} from './support';

const createApplication = () => sample('iam-identity-center', 'create-application');
const assignment = () => sample('iam-identity-center', 'create-application-assignment');
const applicationArn = 'arn:aws:sso::111122223333:application/ssoins-7223e1f4c0a5b6d8/apl-6a1b2c3d4e5f6a7b';

describe('IAM Identity Center normaliser: shapes and relevance', () => {
  it('reads the same call from the EventBridge event, a bare record and a log file', () => {
    const event = createApplication();
    const viaBus = onlyApp(normalizeIamIdentityCenter(event));
    expect(onlyApp(normalizeIamIdentityCenter(event.detail))).toEqual(viaBus);
    expect(onlyApp(normalizeIamIdentityCenter({ Records: [event.detail] }))).toEqual(viaBus);
  });

  it('exports the event names and the rule pattern for the default bus', () => {
    expect(IAM_IDENTITY_CENTER_EVENT_NAMES).toEqual([
      'CreateApplication',
      'CreateApplicationInstance',
      'CreateManagedApplicationInstance',
      'CreateApplicationAssignment',
    ]);
    expect(IAM_IDENTITY_CENTER_EVENT_PATTERN).toEqual({
      source: ['aws.sso'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['sso.amazonaws.com'],
        eventName: [...IAM_IDENTITY_CENTER_EVENT_NAMES],
        errorCode: [{ exists: false }],
      },
    });
  });

  it.each(['AccessDenied', 'ValidationException', 'ConflictException'])('ignores a call that failed with %s', (errorCode) => {
    expectIgnored(normalizeIamIdentityCenter(set(createApplication(), 'detail.errorCode', errorCode)), `failed with "${errorCode}"`);
  });

  it.each(['CreatePermissionSet', 'ListApplications', 'DeleteApplication', 'CreateAccountAssignment'])('ignores %s', (eventName) => {
    expectIgnored(normalizeIamIdentityCenter(set(createApplication(), 'detail.eventName', eventName)), `"${eventName}"`);
  });

  it('ignores CloudTrail calls to other services and other buses', () => {
    expectIgnored(normalizeIamIdentityCenter(set(createApplication(), 'detail.eventSource', 'iam.amazonaws.com')), 'is not IAM Identity Center');
    expectIgnored(normalizeIamIdentityCenter(set(createApplication(), 'source', 'aws.iam')), 'event source "aws.iam" is not aws.sso');
    expectIgnored(normalizeIamIdentityCenter(set(createApplication(), 'detail-type', 'AWS Service Event via CloudTrail')), 'is not an API call');
  });

  it('explains why PutApplicationAssignmentConfiguration is not an assignment', () => {
    expectIgnored(normalizeIamIdentityCenter(sample('iam-identity-center', 'ignored-put-assignment-configuration')), 'assigns nobody');
  });

  it('handles an empty or broken log file', () => {
    expectIgnored(normalizeIamIdentityCenter({ Records: [] }), 'no records');
    expect(normalizeIamIdentityCenter({ Records: 'x' })).toEqual({ status: 'malformed', problems: ['Records: must be an array of CloudTrail records'] });
  });
});

describe('IAM Identity Center normaliser: apps and assignments', () => {
  it('names an assigned app by the configured name, else by its ARN', () => {
    expect(onlyApp(normalizeIamIdentityCenter(assignment())).app).toEqual({ name: applicationArn, id: applicationArn });
    expect(onlyApp(normalizeIamIdentityCenter(assignment(), { appNames: { [applicationArn]: 'Analytics' } })).app).toEqual({
      name: 'Analytics',
      id: applicationArn,
    });
  });

  it('records a group assignment as a group subject', () => {
    const event = set(assignment(), 'detail.requestParameters.principalType', 'GROUP');
    expect(onlyApp(normalizeIamIdentityCenter(event)).subject).toEqual({ id: 'group:94d00cd8-e9e6-4810-b177-b08e84775435' });
  });

  it.each([
    ['principalId', 'detail.requestParameters.principalId: is required'],
    ['applicationArn', 'detail.requestParameters.applicationArn: is required'],
  ])('needs %s on an assignment', (field, problem) => {
    expect(normalizeIamIdentityCenter(set(assignment(), `detail.requestParameters.${field}`, undefined))).toEqual({
      status: 'malformed',
      problems: [problem],
    });
  });

  it('rejects an assignment without request parameters', () => {
    expectMalformed(normalizeIamIdentityCenter(set(assignment(), 'detail.requestParameters', null)), 'detail.requestParameters.applicationArn: is required');
  });

  it('falls back to the application ARN, then fails, when a created app has no name', () => {
    const event = set(createApplication(), 'detail.requestParameters.name', undefined);
    expect(onlyApp(normalizeIamIdentityCenter(event)).app.name).toBe(applicationArn);
    set(event, 'detail.responseElements', null);
    expect(normalizeIamIdentityCenter(event)).toEqual({
      status: 'malformed',
      problems: ['detail.requestParameters.name: missing, and no application ARN or instance id to name the app by'],
    });
  });

  it('reads the app id from the AWS::SSO::Application resource when the response omits it', () => {
    const event = set(createApplication(), 'detail.responseElements', null);
    event.detail.resources = [{ type: 'AWS::SSO::Application', ARN: applicationArn }];
    expect(onlyApp(normalizeIamIdentityCenter(event)).app).toEqual({ name: 'Internal Analytics Portal', id: applicationArn });
  });

  it('keeps HTML names, cleans control characters, shortens 5 MB names', () => {
    const named = (name: string) => normalizeIamIdentityCenter(set(createApplication(), 'detail.requestParameters.name', name));
    expect(onlyApp(named(TRICKY_BUT_VALID_NAME)).app.name).toBe(TRICKY_BUT_VALID_NAME);
    expect(onlyApp(named(CONTROL_CHARACTER_NAME)).app.name).toBe(CLEANED_CONTROL_CHARACTER_NAME);
    expectShortenedHugeName(onlyApp(named(HUGE_NAME)).app.name);
  });

  it.each([
    ['detail.eventID', undefined, 'detail.eventID: is required'],
    ['detail.eventTime', 'Mar 2, 2026', 'detail.eventTime: must be an ISO 8601 date-time with offset'],
    ['detail.userIdentity', 'root', 'detail.userIdentity: must be an object, not string'],
    ['detail.requestParameters', [], 'detail.requestParameters: must be an object, not array'],
    ['detail.eventName', undefined, 'detail.eventName: is required'],
    ['detail.eventSource', 7, 'detail.eventSource: must be a string, not number'],
  ])('%s = %p is malformed', (path, value, problem) => {
    expectMalformed(normalizeIamIdentityCenter(set(createApplication(), path, value)), problem);
  });
});

describe('IAM Identity Center normaliser: actors', () => {
  const withIdentity = (userIdentity: unknown) => onlyApp(normalizeIamIdentityCenter(set(createApplication(), 'detail.userIdentity', userIdentity))).actor;

  it('takes the email from an Identity Center session name', () => {
    expect(withIdentity(createApplication().detail.userIdentity)).toEqual({
      type: 'user',
      id: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6a7b/dana.kim@example.com',
      email: 'dana.kim@example.com',
      displayName: 'dana.kim@example.com',
    });
  });

  it.each([
    [
      { type: 'AWSService', invokedBy: 'datazone.amazonaws.com' },
      { type: 'system', id: 'datazone.amazonaws.com' },
    ],
    [
      { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/PlatformEngineer/ci', invokedBy: 'grafana.amazonaws.com' },
      { type: 'system', id: 'grafana.amazonaws.com' },
    ],
    [
      { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Deployer/ci-pipeline', invokedBy: 'AWS Internal' },
      { type: 'user', id: 'arn:aws:sts::111122223333:assumed-role/Deployer/ci-pipeline', displayName: 'ci-pipeline' },
    ],
    [
      { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/ops-admin', userName: 'ops-admin' },
      { type: 'user', id: 'arn:aws:iam::111122223333:user/ops-admin', displayName: 'ops-admin' },
    ],
    [
      { type: 'Root', arn: 'arn:aws:iam::111122223333:root' },
      { type: 'user', id: 'arn:aws:iam::111122223333:root' },
    ],
    [
      { type: 'IdentityCenterUser', onBehalfOf: { userId: '94d00cd8-e9e6' } },
      { type: 'user', id: '94d00cd8-e9e6' },
    ],
    [
      { type: 'Unknown', principalId: 'p-1', userName: 'bob.smith@example.com' },
      { type: 'user', id: 'p-1', email: 'bob.smith@example.com', displayName: 'bob.smith@example.com' },
    ],
    [
      { type: 'FederatedUser', arn: 'arn:aws:sts::111122223333:federated-user/x' },
      { type: 'unknown', id: 'arn:aws:sts::111122223333:federated-user/x' },
    ],
    [undefined, { type: 'unknown' }],
  ])('records %p as %p', (identity, actor) => {
    expect(withIdentity(identity)).toEqual(actor);
  });
});
