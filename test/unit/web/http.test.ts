import {
  CONTENT_SECURITY_POLICY,
  SECURITY_HEADERS,
  csrfCookie,
  csrfCookieName,
  htmlResponse,
  parseDecisionForm,
  parseSignInForm,
  readCookie,
  MAX_FORM_BYTES,
} from '../../../functions/adapters/web';

describe('security headers', () => {
  it('forbid scripts, framing, referrers and caching', () => {
    expect(CONTENT_SECURITY_POLICY).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
    );
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src|unsafe-inline|unsafe-eval/);
    expect(SECURITY_HEADERS).toMatchObject({
      'Content-Type': 'text/html; charset=utf-8',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    expect(Object.isFrozen(SECURITY_HEADERS)).toBe(true);
  });

  it('are on every response, with cookies kept apart', () => {
    const r = htmlResponse('<p>x</p>', { statusCode: 410, cookies: ['a=b'] });
    expect(r).toMatchObject({ statusCode: 410, body: '<p>x</p>', cookies: ['a=b'] });
    expect(r.headers['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(htmlResponse('x').cookies).toBeUndefined();
  });
});

describe('CSRF cookie', () => {
  it('is HttpOnly, SameSite=Strict, __Host- and Secure on https, named per link', () => {
    expect(csrfCookie('abcdefghijklmnopqrstuv', 'VALUE_1-x')).toBe(
      '__Host-guardrail-csrf-abcdefghijklmnop=VALUE_1-x; Path=/; HttpOnly; SameSite=Strict; Secure; Max-Age=3600',
    );
    expect(csrfCookie('abcdefghijklmnopqrstuv', 'v', { secure: false })).toBe(
      'guardrail-csrf-abcdefghijklmnop=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600',
    );
    expect(() => csrfCookie('abc', 'a;b')).toThrow();
    expect(csrfCookieName('a.b/c')).toBe('__Host-guardrail-csrf-abc');
  });

  it('is read from a Cookie header or API Gateway cookies, refusing duplicates', () => {
    expect(readCookie('a=1; __Host-x=val; b=2', '__Host-x')).toBe('val');
    expect(readCookie(['a=1', '__Host-x=val'], '__Host-x')).toBe('val');
    expect(readCookie('__Host-x=one; __Host-x=two', '__Host-x')).toBeUndefined();
    expect(readCookie(undefined, 'x')).toBeUndefined();
    expect(readCookie('x', 'x')).toBeUndefined();
  });
});

describe('decision form', () => {
  const body = 'token=v1.a.b&csrf=k1.c&action=reject&comment=Use+Box%0D%0Ainstead';

  it('reads token, csrf, action and comment', () => {
    expect(parseDecisionForm(body)).toEqual({ ok: true, value: { token: 'v1.a.b', csrf: 'k1.c', action: 'reject', comment: 'Use Box\r\ninstead' } });
    expect(parseDecisionForm(Buffer.from(body).toString('base64'), { isBase64Encoded: true }).ok).toBe(true);
    expect(parseDecisionForm(Buffer.from(body)).ok).toBe(true);
  });

  it('names what is wrong', () => {
    expect(parseDecisionForm('csrf=c&action=approve')).toEqual({ ok: false, problem: 'the form has no token field' });
    expect(parseDecisionForm('token=t&action=approve')).toEqual({ ok: false, problem: 'the form has no csrf field' });
    expect(parseDecisionForm('token=t&csrf=c')).toMatchObject({ ok: false, problem: expect.stringMatching(/choose Approve/) });
    expect(parseDecisionForm('token=t&csrf=c&action=delete')).toMatchObject({ ok: false, problem: '"delete" is not an action' });
    expect(parseDecisionForm('token=t&csrf=c&action=approve&action=reject')).toMatchObject({ ok: false, problem: 'the field "action" appears more than once' });
    expect(parseDecisionForm('{"token":"t"}', { contentType: 'application/json' })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/x-www-form-urlencoded/),
    });
    expect(parseDecisionForm(`token=t&csrf=c&action=approve&comment=${'x'.repeat(MAX_FORM_BYTES)}`)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/larger than 16 KB/),
    });
    expect(parseDecisionForm(undefined).ok).toBe(false);
  });
});

describe('sign-in form', () => {
  it('accepts an email and only same-site return paths', () => {
    expect(parseSignInForm('email=mia%40example.com&returnTo=%2Finbox')).toEqual({ ok: true, value: { email: 'mia@example.com', returnTo: '/inbox' } });
    expect(parseSignInForm('email=mia%40example.com&returnTo=https%3A%2F%2Fevil.example.com')).toEqual({ ok: true, value: { email: 'mia@example.com' } });
    expect(parseSignInForm('email=mia%40example.com&returnTo=%2F%2Fevil.example.com')).toEqual({ ok: true, value: { email: 'mia@example.com' } });
    expect(parseSignInForm('email=nope')).toMatchObject({ ok: false, problem: 'enter your work email address' });
  });
});
