/**
 * Which JWT claims name the signed-in approver (handlers/approvals-api.ts):
 * the subject as given; an address only when the identity provider vouches
 * for it. Claim values arrive as API Gateway passes them (strings).
 */
import { identityFromClaims } from '../../../functions/handlers/approvals-api';

describe('identity from the verified JWT claims', () => {
  it('takes the subject and a verified email (Okta, Google: email_verified beside it)', () => {
    expect(identityFromClaims({ sub: '00u1abc', email: 'dana.okafor@example.com', email_verified: 'true', name: 'Dana Okafor' })).toEqual({
      subject: '00u1abc',
      email: 'dana.okafor@example.com',
      name: 'Dana Okafor',
    });
    expect(identityFromClaims({ sub: '00u1abc', email: 'dana.okafor@example.com', email_verified: true })?.email).toBe('dana.okafor@example.com');
  });

  it('never takes an unverified email, nor one without email_verified (Entra ID sends none)', () => {
    expect(identityFromClaims({ sub: 'x', email: 'dana.okafor@example.com', email_verified: 'false' })).toEqual({ subject: 'x' });
    expect(identityFromClaims({ oid: '6f1d…', email: 'dana.okafor@example.com', name: 'Dana' }, { email: 'email', subject: 'oid' })).toEqual({
      subject: '6f1d…',
      name: 'Dana',
    });
  });

  it('takes a claim the operator chose for the address (Entra upn) and the configured subject claim (oid, Okta uid)', () => {
    expect(identityFromClaims({ oid: '11111111-2222', upn: 'dana.okafor@example.com' }, { email: 'upn', subject: 'oid' })).toEqual({
      subject: '11111111-2222',
      email: 'dana.okafor@example.com',
    });
    // Okta access tokens: `sub` is the (changeable) login, `uid` the user id.
    expect(identityFromClaims({ sub: 'dana.okafor@example.com', uid: '00u1abc' }, { email: 'email', subject: 'uid' })).toEqual({ subject: '00u1abc' });
  });

  it('ignores what is not a usable value, and gives no identity without claims', () => {
    expect(identityFromClaims(undefined)).toBeUndefined();
    expect(identityFromClaims({})).toBeUndefined();
    expect(identityFromClaims({ sub: '', email: 'not-an-address', email_verified: 'true' })).toBeUndefined();
    expect(identityFromClaims({ sub: 'x'.repeat(300) })).toBeUndefined();
  });
});
