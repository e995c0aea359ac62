import { decodeModifiedValue, normalizeEntraId, scopesFromPermissions } from '../../../functions/adapters/sources/entra-id';
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

const addApplication = () => sample('entra-id', 'add-application');
const userConsent = () => sample('entra-id', 'consent-user-trailing-period');
const adminPage = () => sample('entra-id', 'consent-admin-graph-page');
const adminConsentEntry = () => adminPage().value[2];

function modifiedProperty(entry: { targetResources: Array<{ modifiedProperties: Array<{ displayName: string }> }> }, name: string) {
  return entry.targetResources[0].modifiedProperties.find((p) => p.displayName === name) as { newValue: unknown } | undefined;
}

describe('Entra ID normaliser: payload shapes', () => {
  it('accepts one entry, an array and a Graph page alike', () => {
    const entry = addApplication();
    const single = onlyApp(normalizeEntraId(entry));
    expect(onlyApp(normalizeEntraId([entry]))).toEqual(single);
    expect(onlyApp(normalizeEntraId({ value: [entry] }))).toEqual(single);
  });

  it('counts one consent once, although Graph writes three entries for it', () => {
    const result = normalizeEntraId(adminPage());
    expect(result.status === 'ok' && result.events).toHaveLength(1);
    expect(result.status === 'ok' && result.ignored?.map((i) => i.item)).toEqual(['value[0]', 'value[1]']);
  });

  it('ignores an empty page and rejects a value that is not a list', () => {
    expectIgnored(normalizeEntraId({ value: [] }), 'no audit entries');
    expect(normalizeEntraId({ value: 'nope' })).toEqual({ status: 'malformed', problems: ['value: must be an array of directoryAudit entries'] });
  });

  it('dead-letters only the malformed entry of a page', () => {
    const page = adminPage();
    page.value.push(set(addApplication(), 'activityDateTime', 'not a time'));
    const result = normalizeEntraId(page);
    expect(result).toMatchObject({
      status: 'ok',
      malformed: [{ item: 'value[3]', problems: ['value[3].activityDateTime: must be an ISO 8601 date-time with offset'] }],
    });
  });
});

describe('Entra ID normaliser: relevance', () => {
  it.each(['Update user', 'Add member to group', 'Update application', 'Add owner to application', 'Remove delegated permission grant'])(
    'ignores %s',
    (activity) => {
      expectIgnored(normalizeEntraId(set(addApplication(), 'activityDisplayName', activity)), `"${activity}"`);
    },
  );

  it.each(['Add delegated permission grant', 'Add app role assignment grant to user'])(
    'ignores %s with a reason that explains the consent is counted elsewhere',
    (activity) => {
      expectIgnored(normalizeEntraId(set(addApplication(), 'activityDisplayName', activity)), 'only "Consent to application" is counted');
    },
  );

  it.each(['failure', 'timeout', 'unknownFutureValue'])('ignores result %s', (result) => {
    expectIgnored(normalizeEntraId(set(userConsent(), 'result', result)), `result "${result}", not success`);
  });

  it('treats "Consent to application" with and without the trailing period the same', () => {
    const withPeriod = onlyApp(normalizeEntraId(userConsent()));
    const without = onlyApp(normalizeEntraId(set(userConsent(), 'activityDisplayName', 'Consent to application')));
    expect(without).toEqual(withPeriod);
  });

  it('maps both app registration activities to sso-app-created', () => {
    expect(onlyApp(normalizeEntraId(addApplication())).connectionKind).toBe('sso-app-created');
    expect(onlyApp(normalizeEntraId(sample('entra-id', 'add-service-principal-app-initiated'))).connectionKind).toBe('sso-app-created');
  });
});

describe('Entra ID normaliser: consent details', () => {
  it.each([
    ['"True"', true],
    ['"False"', false],
    ['"\\"True\\""', true],
    ['["True"]', true],
    ['true', true],
    ['False', false],
  ])('reads IsAdminConsent %s as %s', (newValue, admin) => {
    const entry = adminConsentEntry();
    modifiedProperty(entry, 'ConsentContext.IsAdminConsent')!.newValue = newValue;
    expect(onlyApp(normalizeEntraId(entry)).adminConsent).toBe(admin);
  });

  it('leaves adminConsent and scopes absent when Graph does not record them', () => {
    const entry = adminConsentEntry();
    entry.targetResources[0].modifiedProperties = [];
    const app = onlyApp(normalizeEntraId(entry));
    expect(app).not.toHaveProperty('adminConsent');
    expect(app).not.toHaveProperty('scopes');
  });

  it('needs a ServicePrincipal target for a consent', () => {
    const entry = set(adminConsentEntry(), 'targetResources[0].type', 'Application');
    expect(normalizeEntraId(entry)).toEqual({ status: 'malformed', problems: ['targetResources: no ServicePrincipal target with a name'] });
  });

  it('takes the name from the DisplayName property when the target has none', () => {
    const entry = set(addApplication(), 'targetResources[0].displayName', null);
    expect(onlyApp(normalizeEntraId(entry)).app.name).toBe('Expense Scanner Pro');
    set(entry, 'targetResources[0].modifiedProperties', []);
    expectMalformed(normalizeEntraId(entry), 'targetResources: no Application target with a name');
  });
});

describe('Entra ID ConsentAction.Permissions parsing', () => {
  it('reads the scopes granted, after "=>"', () => {
    expect(
      scopesFromPermissions(
        '[[Id: a, ClientId: b, ConsentType: Principal, Scope:  openid profile, CreatedDateTime: ]] => [[Id: a, ClientId: b, ConsentType: Principal, Scope:  openid profile Mail.Read, CreatedDateTime: ]]; ',
      ),
    ).toEqual(['openid', 'profile', 'Mail.Read']);
  });

  it('collects scopes of several resource grants without duplicates', () => {
    expect(
      scopesFromPermissions(
        '[] => [[Id: a, ClientId: b, ResourceId: graph, ConsentType: AllPrincipals, Scope:  User.Read offline_access, CreatedDateTime: ], [Id: c, ClientId: b, ResourceId: sharepoint, ConsentType: AllPrincipals, Scope: AllSites.Read User.Read, CreatedDateTime: ]]',
      ),
    ).toEqual(['User.Read', 'offline_access', 'AllSites.Read']);
  });

  it('returns nothing for an app-only consent without delegated scopes', () => {
    expect(scopesFromPermissions('[] => [[Id: a, ClientId: b, ConsentType: AllPrincipals, Scope: , CreatedDateTime: ]]')).toBeUndefined();
    expect(scopesFromPermissions('')).toBeUndefined();
  });

  it.each([
    ['"\\"True\\""', 'True'],
    ['"[] => [[Scope: a]]; "', '[] => [[Scope: a]];'],
    ['["Contoso HR"]', 'Contoso HR'],
    ['[true]', 'true'],
    ['not json', 'not json'],
    ['""', undefined],
    ['[]', undefined],
    [null, undefined],
  ])('decodes the modified value %p', (raw, text) => {
    expect(decodeModifiedValue(raw)).toBe(text);
  });
});

describe('Entra ID normaliser: actors', () => {
  it('uses the user when there is one (UPN as email when it is an address)', () => {
    expect(onlyApp(normalizeEntraId(userConsent())).actor).toEqual({
      type: 'user',
      id: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e',
      email: 'priya.natarajan@example.com',
      displayName: 'Priya Natarajan',
    });
  });

  it('uses the app when initiatedBy.user is null', () => {
    const entry = set(userConsent(), 'initiatedBy', { user: null, app: { appId: null, displayName: 'Microsoft Graph Bot', servicePrincipalId: 'sp-1' } });
    expect(onlyApp(normalizeEntraId(entry)).actor).toEqual({ type: 'app', id: 'sp-1', displayName: 'Microsoft Graph Bot' });
  });

  it.each([[{ user: null, app: null }], [{ user: { id: null, userPrincipalName: null, displayName: null }, app: null }], [null], [undefined]])(
    'records an unknown actor when Graph names neither (%p)',
    (initiatedBy) => {
      const entry = set(userConsent(), 'initiatedBy', initiatedBy);
      expect(onlyApp(normalizeEntraId(entry)).actor).toEqual({ type: 'unknown' });
    },
  );
});

describe('Entra ID normaliser: malformed entries name the field', () => {
  it.each([
    ['id', undefined, 'id: is required'],
    ['activityDateTime', '2026-03-05', 'activityDateTime: must be an ISO 8601 date-time with offset'],
    ['targetResources', undefined, 'targetResources: is required'],
    ['targetResources', {}, 'targetResources: must be an array, not object'],
    ['targetResources[0].modifiedProperties[0].newValue', 5, 'targetResources[0].modifiedProperties[0].newValue: must be a string, not number'],
    ['initiatedBy.user', 'priya', 'initiatedBy.user: must be an object, not string'],
    ['activityDisplayName', undefined, 'activityDisplayName: is required'],
    ['result', undefined, 'result: is required'],
  ])('%s = %p', (path, value, problem) => {
    expectMalformed(normalizeEntraId(set(userConsent(), path, value)), problem);
  });

  it('keeps HTML in app names, cleans control characters, shortens oversized names', () => {
    expect(onlyApp(normalizeEntraId(set(addApplication(), 'targetResources[0].displayName', TRICKY_BUT_VALID_NAME))).app.name).toBe(TRICKY_BUT_VALID_NAME);
    expect(onlyApp(normalizeEntraId(set(addApplication(), 'targetResources[0].displayName', CONTROL_CHARACTER_NAME))).app.name).toBe(
      CLEANED_CONTROL_CHARACTER_NAME,
    );
    expectShortenedHugeName(onlyApp(normalizeEntraId(set(addApplication(), 'targetResources[0].displayName', HUGE_NAME))).app.name);
  });

  it('rejects an actor UPN that is not an email only by leaving email out', () => {
    const entry = set(userConsent(), 'initiatedBy.user.userPrincipalName', 'priya#EXT#');
    expect(onlyApp(normalizeEntraId(entry)).actor).not.toHaveProperty('email');
  });
});
