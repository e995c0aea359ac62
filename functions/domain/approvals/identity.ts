/**
 * Who is who. Separation of duties compares people, not strings: mail systems
 * treat `Alice@Example.com` and `alice+procurement@example.com` as the same
 * mailbox, so a requester must not slip past the self-approval check by
 * changing case or adding a `+tag`.
 */

/**
 * The comparison key for an email address: trimmed, lower-cased, with any
 * `+tag` removed from the local part. Only for comparing identities; keep the
 * original address for display and delivery.
 */
export function identityKey(email: string): string {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return trimmed;
  const local = trimmed.slice(0, at);
  const domain = trimmed.slice(at + 1);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}@${domain}`;
}

/** True when two addresses reach the same person (see {@link identityKey}). */
export function samePerson(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return identityKey(a) === identityKey(b);
}
