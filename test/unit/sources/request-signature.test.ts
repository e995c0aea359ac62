import {
  answerOktaVerificationChallenge,
  signRequestBody,
  verifyHmacSignature,
  type HmacVerificationInput,
} from '../../../functions/adapters/ingest/request-signature';

const secret = 'whsec_test_only_6f2c1d';
const rawBody = '{"request_id":"PR-1042","vendor":"Dropbox","amount":"1,200.50"}';
const now = new Date('2026-03-02T10:00:00Z');
const timestamp = String(Math.floor(now.getTime() / 1000) - 30);

function input(overrides: Partial<HmacVerificationInput> = {}): HmacVerificationInput {
  return {
    rawBody,
    header: signRequestBody({ rawBody, secret, timestamp }),
    secret,
    timestampHeader: timestamp,
    toleranceSeconds: 300,
    now,
    ...overrides,
  };
}

describe('verifyHmacSignature', () => {
  it('accepts a valid timestamped signature', () => {
    expect(verifyHmacSignature(input())).toEqual({ ok: true });
  });

  it('accepts the body as a Buffer and an upper-case hex digest', () => {
    const header = input()
      .header!.replace(/^sha256=/, '')
      .toUpperCase();
    expect(verifyHmacSignature(input({ rawBody: Buffer.from(rawBody), header: `sha256=${header}` }))).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    const result = verifyHmacSignature(input({ rawBody: rawBody.replace('1,200.50', '12.50') }));
    expect(result).toEqual({ ok: false, reason: 'signature does not match the body' });
  });

  it('rejects a body re-serialised with different whitespace (signatures cover raw bytes)', () => {
    const reformatted = JSON.stringify(JSON.parse(rawBody), null, 2);
    expect(verifyHmacSignature(input({ rawBody: reformatted })).ok).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    const header = signRequestBody({ rawBody, secret: 'someone-elses-secret', timestamp });
    expect(verifyHmacSignature(input({ header }))).toEqual({ ok: false, reason: 'signature does not match the body' });
  });

  it('accepts either secret while one is being rotated', () => {
    const header = signRequestBody({ rawBody, secret: 'new-secret', timestamp });
    expect(verifyHmacSignature(input({ header, secret: [secret, 'new-secret'] }))).toEqual({ ok: true });
    expect(verifyHmacSignature(input({ header, secret: [secret] })).ok).toBe(false);
  });

  it('rejects when the timestamp was changed (the signature covers it)', () => {
    const later = String(Number(timestamp) + 10);
    expect(verifyHmacSignature(input({ timestampHeader: later }))).toEqual({ ok: false, reason: 'signature does not match the body' });
  });

  it.each([
    [undefined, 'missing signature header'],
    [null, 'missing signature header'],
    ['', 'missing signature header'],
    ['   ', 'missing signature header'],
  ])('rejects a missing header (%p)', (header, reason) => {
    expect(verifyHmacSignature(input({ header }))).toEqual({ ok: false, reason });
  });

  it.each([
    'sha1=0123456789abcdef0123456789abcdef01234567',
    'sha256=xyz',
    'sha256=0123456789abcdef',
    `sha256=${'a'.repeat(65)}`,
    `${'a'.repeat(64)}`,
    `sha256=${'g'.repeat(64)}`,
    'sha256=' + 'a'.repeat(64) + ',sha256=' + 'b'.repeat(64),
  ])('rejects a malformed header %p', (header) => {
    expect(verifyHmacSignature(input({ header }))).toEqual({
      ok: false,
      reason: 'malformed signature header: expected sha256=<64 hex digits>',
    });
  });

  it('rejects an expired timestamp', () => {
    const old = String(Math.floor(now.getTime() / 1000) - 301);
    const header = signRequestBody({ rawBody, secret, timestamp: old });
    const result = verifyHmacSignature(input({ header, timestampHeader: old }));
    expect(result).toEqual({ ok: false, reason: 'timestamp is 301 s from now, outside the 300 s replay window' });
  });

  it('rejects a timestamp too far in the future', () => {
    const future = String(Math.floor(now.getTime() / 1000) + 3600);
    const header = signRequestBody({ rawBody, secret, timestamp: future });
    expect(verifyHmacSignature(input({ header, timestampHeader: future })).ok).toBe(false);
  });

  it('accepts a timestamp exactly at the edge of the window', () => {
    const edge = String(Math.floor(now.getTime() / 1000) - 300);
    const header = signRequestBody({ rawBody, secret, timestamp: edge });
    expect(verifyHmacSignature(input({ header, timestampHeader: edge }))).toEqual({ ok: true });
  });

  it.each(['1699999999.5', '-1700000000', 'yesterday', '1e9', '9'.repeat(13)])('rejects a malformed timestamp %p', (ts) => {
    expect(verifyHmacSignature(input({ timestampHeader: ts }))).toEqual({
      ok: false,
      reason: 'malformed timestamp header: expected Unix seconds',
    });
  });

  it('requires a timestamp by default, so a replayable signature is not accepted silently', () => {
    const header = signRequestBody({ rawBody, secret });
    expect(verifyHmacSignature(input({ header, timestampHeader: undefined }))).toEqual({
      ok: false,
      reason: 'missing timestamp header',
    });
  });

  it('verifies a body-only signature when the source cannot send a timestamp and that is configured', () => {
    const header = signRequestBody({ rawBody, secret });
    expect(verifyHmacSignature(input({ header, timestampHeader: undefined, requireTimestamp: false }))).toEqual({ ok: true });
  });

  it('still checks a timestamp that is sent even when not required', () => {
    const old = String(Math.floor(now.getTime() / 1000) - 3600);
    const header = signRequestBody({ rawBody, secret, timestamp: old });
    expect(verifyHmacSignature(input({ header, timestampHeader: old, requireTimestamp: false })).ok).toBe(false);
  });

  it('refuses to verify against an empty secret (a misconfiguration must not accept anything)', () => {
    const header = signRequestBody({ rawBody, secret: 'x', timestamp });
    expect(verifyHmacSignature(input({ header, secret: '' }))).toEqual({ ok: false, reason: 'no signing secret is configured' });
    expect(verifyHmacSignature(input({ secret: [] }))).toEqual({ ok: false, reason: 'no signing secret is configured' });
  });
});

describe('answerOktaVerificationChallenge', () => {
  it('echoes the challenge whatever the header case', () => {
    expect(answerOktaVerificationChallenge({ 'X-Okta-Verification-Challenge': 'u6zL4n_y4mXeL0YpQ' })).toEqual({
      verification: 'u6zL4n_y4mXeL0YpQ',
    });
    expect(answerOktaVerificationChallenge({ 'x-okta-verification-challenge': 'abc' })).toEqual({ verification: 'abc' });
    expect(answerOktaVerificationChallenge({ 'X-OKTA-VERIFICATION-CHALLENGE': 'abc' })).toEqual({ verification: 'abc' });
  });

  it('takes the first value of a multi-value header', () => {
    expect(answerOktaVerificationChallenge({ 'x-okta-verification-challenge': ['first', 'second'] })).toEqual({
      verification: 'first',
    });
  });

  it('returns undefined for requests that are not a challenge', () => {
    expect(answerOktaVerificationChallenge({ 'content-type': 'application/json' })).toBeUndefined();
    expect(answerOktaVerificationChallenge({ 'x-okta-verification-challenge': '' })).toBeUndefined();
    expect(answerOktaVerificationChallenge({ 'x-okta-verification-challenge': undefined })).toBeUndefined();
    expect(answerOktaVerificationChallenge(undefined)).toBeUndefined();
    expect(answerOktaVerificationChallenge(null)).toBeUndefined();
  });
});
