/**
 * Who may post to `/ingest/{source}`: the guardrail HMAC signature for every
 * source (timestamped, with a tolerance), or for Okta its event hooks'
 * shared-secret `Authorization` header; and Okta's one-time verification
 * GET. Secrets come from the provider (Secrets Manager deployed, a private
 * file locally); a mismatch re-reads them once, so a rotation works at once.
 */
import type { SourceName } from '../sources/source-names';
import { logFailure, type Answer, type IngestDeps, type IngestHeaders, type IngestLogger, type IngestResponse } from './ingest-answer';
import {
  GUARDRAIL_SIGNATURE_HEADER,
  GUARDRAIL_TIMESTAMP_HEADER,
  SIGNATURE_TOLERANCE_SECONDS,
  headerValue,
  verifyHmacSignature,
  verifySharedSecretHeader,
  type SignatureCheck,
} from './request-signature';

/** Okta's challenge is a short token; anything else is not worth echoing. */
const CHALLENGE_FORMAT = /^[\x21-\x7e]{1,256}$/;

const SIGNING_HINT =
  `sign each request: ${GUARDRAIL_TIMESTAMP_HEADER}: <Unix seconds> and ${GUARDRAIL_SIGNATURE_HEADER}: ` +
  'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" with the source\'s ingest secret>';

type AuthResult = { ok: true } | { ok: false; reason: string; unavailable?: boolean };

/**
 * The guardrail HMAC scheme for every source; for Okta also its event hooks'
 * shared-secret `Authorization` header. A mismatch re-reads the secrets once
 * (the provider rate-limits that), so a secret added for a rotation works
 * before the cache would have expired.
 */
export async function authenticate(
  deps: IngestDeps,
  source: SourceName,
  headers: IngestHeaders,
  body: Buffer,
  now: Date,
  log: IngestLogger,
): Promise<AuthResult> {
  const signature = headerValue(headers, GUARDRAIL_SIGNATURE_HEADER);
  const authorization = source === 'okta' ? headerValue(headers, 'authorization') : undefined;
  if (!present(signature) && !present(authorization)) {
    return {
      ok: false,
      reason: source === 'okta' ? `missing ${GUARDRAIL_SIGNATURE_HEADER} or Authorization header` : `missing ${GUARDRAIL_SIGNATURE_HEADER} header`,
    };
  }

  const check = (secrets: readonly string[]): SignatureCheck =>
    present(signature)
      ? verifyHmacSignature({
          rawBody: body,
          header: signature,
          secret: secrets,
          timestampHeader: headerValue(headers, GUARDRAIL_TIMESTAMP_HEADER),
          toleranceSeconds: SIGNATURE_TOLERANCE_SECONDS,
          now,
        })
      : verifySharedSecretHeader(authorization, secrets);

  let secrets: readonly string[];
  try {
    secrets = await deps.secrets.secretsFor(source);
    let result = check(secrets);
    if (!result.ok && secretMayBeStale(result.reason)) {
      secrets = await deps.secrets.secretsFor(source, { fresh: true });
      result = check(secrets);
    }
    if (result.ok) return result;
    if (secrets.length === 0) {
      // The operator has not set this source's secret: say so in the log, not to an unauthenticated caller.
      log.warn('Ingest request refused: no secret is configured for this source', { source });
      return { ok: false, reason: 'no valid credentials for this source' };
    }
    log.info('Ingest request refused: not authenticated', { source, reason: result.reason });
    return { ok: false, reason: result.reason };
  } catch (error) {
    logFailure(log, 'Reading the ingest secrets failed', error);
    return { ok: false, reason: 'secrets unavailable', unavailable: true };
  }
}

/** Failures a newer secret could fix (a mismatch, no secret yet); not a missing or expired header. */
function secretMayBeStale(reason: string): boolean {
  return /does not match|is configured/.test(reason);
}

/**
 * Okta's one-time verification GET. It has no side effect, so it needs no
 * signature; but when the request carries an Authorization header (Okta sends
 * the hook's configured one) it must match, which surfaces a wrong secret at
 * verification time instead of on the first event.
 */
export async function verifyOktaChallenge(
  deps: IngestDeps,
  source: SourceName,
  headers: IngestHeaders,
  challenge: string,
  answer: Answer,
  log: IngestLogger,
): Promise<IngestResponse> {
  if (!CHALLENGE_FORMAT.test(challenge)) {
    return answer.send(400, 'invalid-body', { error: 'X-Okta-Verification-Challenge must be 1-256 printable ASCII characters' });
  }
  const authorization = headerValue(headers, 'authorization');
  if (present(authorization)) {
    const auth = await authenticate(deps, source, { authorization }, Buffer.alloc(0), deps.clock.now(), log);
    if (!auth.ok) {
      if (auth.unavailable)
        return answer.send(503, 'unavailable', { error: 'the guardrail cannot check credentials right now; retry later' }, { 'retry-after': '30' });
      return answer.send(401, 'unauthenticated', { error: 'not authenticated', reason: auth.reason, how: authHint(source) });
    }
  }
  log.info('Answered Okta event hook verification', { source });
  return answer.send(200, 'verification-challenge', { verification: challenge });
}

export function authHint(source: SourceName): string {
  return source === 'okta'
    ? `${SIGNING_HINT}; or, for an Okta event hook, set its authentication field to "Authorization" with the okta ingest secret as the value`
    : SIGNING_HINT;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';
