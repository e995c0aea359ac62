/**
 * The people directory's aliases for one decision: the people it involves
 * (requesters, the approver, a first signer) are looked up one by one (one
 * BatchGet each, plus one for their aliases' own profiles): no scan. Aliases
 * that would let the directory speak for an approver are ignored and logged.
 */
import { trustedPeopleAliases, type DirectoryPerson } from '../../approvals/people-aliases';
import { combinedAliases, identityKey, type AliasSource } from '../../approvals/identity';
import type { PeopleDirectory } from '../../ports/app-inventory';
import type { ServiceLogger } from '../../ports/logger';
import { requesterEmailsOf } from '../../approvals';
import type { RequestRecord } from '../../records';
import { aliasesOf, type ApprovalSettings } from './settings';

/** People a decision involves, at most: requesters and co-requesters, the approver, the first signer. */
const MAX_PEOPLE = 8;

/**
 * The aliases an approver's action on this record is judged with: its requesters, the approver and the first signer.
 * The decision POST, the decision page, the request page and the inbox all use it, so none offers what another refuses.
 */
export async function recordAliases(
  people: PeopleDirectory | undefined,
  settings: ApprovalSettings,
  record: RequestRecord,
  approverEmail: string,
  logger?: ServiceLogger,
): Promise<AliasSource> {
  const policyAliases = aliasesOf(settings);
  if (!people) return policyAliases;
  const addresses = [...requesterEmailsOf(record), approverEmail, record.approval.steps[0]?.by.email];
  const distinct = [...new Map(addresses.filter((a): a is string => !!a).map((a) => [identityKey(a), a])).values()].slice(0, MAX_PEOPLE);
  try {
    const found = await Promise.all(
      distinct.map(async (address): Promise<DirectoryPerson | undefined> => {
        const person = await people.find(address);
        if (!person || person.aliases.length === 0) return undefined;
        const owned = people.profilesAmong ? await people.profilesAmong(person.aliases) : new Set<string>();
        return { person, ownedByOthers: owned };
      }),
    );
    const { aliases, ignored } = trustedPeopleAliases(
      found.filter((p): p is DirectoryPerson => p !== undefined),
      settings.directory,
    );
    for (const i of ignored) logger?.warn('Directory alias ignored for approvals', { ...i });
    return combinedAliases(policyAliases, aliases);
  } catch (error) {
    // The policy's aliases still decide; the directory only adds recognition.
    logger?.warn('Could not read the people directory; approvals use the policy aliases only', { error: String(error) });
    return policyAliases;
  }
}
