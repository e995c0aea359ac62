/**
 * Reading the decision form's POST body. Bounded, strict about duplicates
 * (two `action` fields would let a crafted form say one thing and mean
 * another), and never throws on garbage.
 */
import { isApproverAction, MAX_COMMENT_LENGTH, type ApproverAction } from '../../domain/approvals';

/** Forms here are a token, a CSRF value, an action and a comment: 16 KB is plenty. */
export const MAX_FORM_BYTES = 16 * 1024;

export interface DecisionForm {
  token: string;
  csrf: string;
  action: ApproverAction;
  comment: string;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Parses `application/x-www-form-urlencoded` into named single values, or says what is wrong. */
export function parseUrlEncodedForm(
  body: string | Buffer | undefined,
  options: { contentType?: string; isBase64Encoded?: boolean } = {},
): FormResult<Map<string, string>> {
  const type = (options.contentType ?? 'application/x-www-form-urlencoded').split(';')[0].trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded')
    return { ok: false, problem: `the form must be sent as application/x-www-form-urlencoded (got ${type.slice(0, 60)})` };
  let text: string;
  if (body === undefined) text = '';
  else if (Buffer.isBuffer(body)) text = body.toString('utf8');
  else text = options.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text, 'utf8') > MAX_FORM_BYTES) return { ok: false, problem: `the form is larger than ${MAX_FORM_BYTES / 1024} KB` };
  const fields = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (fields.has(name)) return { ok: false, problem: `the field "${name.slice(0, 40)}" appears more than once` };
    fields.set(name, value);
  }
  return { ok: true, value: fields };
}

/** The decision form: token, csrf, action (approve | reject | request-info) and an optional comment. */
export function parseDecisionForm(
  body: string | Buffer | undefined,
  options: { contentType?: string; isBase64Encoded?: boolean } = {},
): FormResult<DecisionForm> {
  const parsed = parseUrlEncodedForm(body, options);
  if (!parsed.ok) return parsed;
  const f = parsed.value;
  const token = f.get('token');
  const csrf = f.get('csrf');
  const action = f.get('action');
  const comment = f.get('comment') ?? '';
  if (!token) return { ok: false, problem: 'the form has no token field' };
  if (!csrf) return { ok: false, problem: 'the form has no csrf field' };
  if (!action) return { ok: false, problem: 'choose Approve, Reject or Ask for more information' };
  if (!isApproverAction(action)) return { ok: false, problem: `"${action.slice(0, 40)}" is not an action` };
  // Leave room for \r\n → \n before the rules' own length check.
  if (comment.length > MAX_COMMENT_LENGTH * 2) return { ok: false, problem: `the comment is longer than ${MAX_COMMENT_LENGTH} characters` };
  return { ok: true, value: { token, csrf, action, comment } };
}

/** The local sign-in form: an email address (and where to go back to). */
export function parseSignInForm(
  body: string | Buffer | undefined,
  options: { contentType?: string; isBase64Encoded?: boolean } = {},
): FormResult<{ email: string; csrf?: string; returnTo?: string }> {
  const parsed = parseUrlEncodedForm(body, options);
  if (!parsed.ok) return parsed;
  const email = (parsed.value.get('email') ?? '').trim();
  if (!/^[^\s@]{1,64}@[^\s@]{1,190}$/.test(email)) return { ok: false, problem: 'enter your work email address' };
  const returnTo = parsed.value.get('returnTo');
  const csrf = parsed.value.get('csrf');
  return {
    ok: true,
    value: {
      email,
      ...(csrf ? { csrf } : {}),
      // Only same-site paths: never an open redirect.
      ...(returnTo && returnTo.startsWith('/') && !returnTo.startsWith('//') && !returnTo.startsWith('/\\') ? { returnTo } : {}),
    },
  };
}
