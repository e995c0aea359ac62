/**
 * The people directory's aliases, as approvals may use them. They only ever
 * help recognise one person behind two addresses on the side that restricts
 * (a requester approving their own request under another address, one
 * person signing both steps); they never widen who may act as an approver
 * (the sign-in check keeps to the policy's approver aliases). An alias that
 * is an approver's address (unless the person is that approver) or another
 * person's own address in the directory is ignored, with the reason.
 */
import type { Person } from '../inventory/people';
import type { ApproverDirectory } from './approver-directory';
import { identityKey, type AliasSource } from './identity';

export interface IgnoredAlias {
  person: string;
  alias: string;
  reason: string;
}

/** A person as the directory holds them, with which of their aliases are other people's own addresses. */
export interface DirectoryPerson {
  person: Person;
  /** Aliases that have a directory profile of their own (another person's address). */
  ownedByOthers: ReadonlySet<string>;
}

export function trustedPeopleAliases(
  people: readonly DirectoryPerson[],
  approvers: ApproverDirectory | undefined,
): { aliases: AliasSource; ignored: IgnoredAlias[] } {
  const groups = new Map<string, string[]>();
  const ignored: IgnoredAlias[] = [];
  for (const { person, ownedByOthers } of people) {
    const self = approvers?.find(person.email);
    const kept = [person.email];
    for (const alias of person.aliases) {
      if (identityKey(alias) === identityKey(person.email)) continue;
      const owner = approvers?.find(alias);
      if (owner && owner.email !== self?.email) {
        ignored.push({ person: person.email, alias, reason: `it is approver ${owner.email}'s address in the policy` });
      } else if (ownedByOthers.has(alias.trim().toLowerCase())) {
        ignored.push({ person: person.email, alias, reason: `${alias} is another person in the directory` });
      } else kept.push(alias);
    }
    if (kept.length < 2) continue;
    for (const address of kept) groups.set(identityKey(address), kept);
  }
  return { aliases: { aliasesOf: (email) => groups.get(identityKey(email)) ?? [] }, ignored };
}
