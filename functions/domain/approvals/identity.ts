/**
 * Who is who. Separation of duties compares people, not strings: mail systems
 * treat `Alice@Example.com` and `alice+procurement@example.com` as the same
 * mailbox, and one person may have several addresses (an old domain, a
 * shortened alias). A requester must not slip past the self-approval check,
 * nor one approver give both signatures, by changing case, adding a `+tag`
 * or using another of their addresses.
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

/**
 * Where other addresses of a person come from: today the approver
 * directory's `aliases`; later a people directory. Given any address, the
 * other addresses known for the same person (the address itself need not be
 * included; unknown addresses give none).
 */
export interface AliasSource {
  aliasesOf(email: string): readonly string[];
}

export const NO_ALIASES: AliasSource = { aliasesOf: () => [] };

/** Several sources read as one (the directory's aliases plus a people directory's, say). */
export function combinedAliases(...sources: readonly (AliasSource | undefined)[]): AliasSource {
  const present = sources.filter((s): s is AliasSource => s !== undefined);
  return { aliasesOf: (email) => present.flatMap((s) => s.aliasesOf(email)) };
}

/** Every comparison key of a person reachable from one address (the address and its known aliases). */
export function personKeys(email: string, aliases: AliasSource = NO_ALIASES): Set<string> {
  return new Set([email, ...aliases.aliasesOf(email)].map(identityKey));
}

/**
 * True when two addresses reach the same person: the same mailbox (see
 * {@link identityKey}), or known aliases of one another.
 */
export function samePerson(a: string | undefined, b: string | undefined, aliases: AliasSource = NO_ALIASES): boolean {
  if (!a || !b) return false;
  if (identityKey(a) === identityKey(b)) return true;
  const keysOfA = personKeys(a, aliases);
  for (const key of personKeys(b, aliases)) if (keysOfA.has(key)) return true;
  return false;
}
