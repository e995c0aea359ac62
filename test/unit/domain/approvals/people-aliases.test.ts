import { ApproverDirectory } from '../../../../functions/domain/approvals/approver-directory';
import { trustedPeopleAliases } from '../../../../functions/domain/approvals/people-aliases';
import { samePerson } from '../../../../functions/domain/approvals/identity';

const approvers = new ApproverDirectory([
  { email: 'dana@example.com', name: 'Dana', tier: 'it-director', aliases: ['d.okafor@example.com'] },
  { email: 'marcus@example.com', name: 'Marcus', tier: 'it-manager' },
]);
const person = (email: string, aliases: string[]) => ({ email, aliases, origin: 'import' as const });

describe('people directory aliases for approvals', () => {
  it('joins a person’s addresses, case and +tags aside', () => {
    const { aliases, ignored } = trustedPeopleAliases([{ person: person('ana@example.com', ['a.lopez@example.com']), ownedByOthers: new Set() }], approvers);
    expect(ignored).toEqual([]);
    expect(samePerson('A.Lopez+buy@example.com', 'ana@example.com', aliases)).toBe(true);
    expect(samePerson('bob@example.com', 'ana@example.com', aliases)).toBe(false);
  });

  it('ignores an alias that is an approver’s address, with the reason, unless the person is that approver', () => {
    const { aliases, ignored } = trustedPeopleAliases(
      [
        { person: person('mallory@example.com', ['dana@example.com', 'd.okafor@example.com']), ownedByOthers: new Set() },
        { person: person('dana@example.com', ['d.okafor@example.com', 'dana.o@example.com']), ownedByOthers: new Set() },
      ],
      approvers,
    );
    expect(ignored).toEqual([
      { person: 'mallory@example.com', alias: 'dana@example.com', reason: "it is approver dana@example.com's address in the policy" },
      { person: 'mallory@example.com', alias: 'd.okafor@example.com', reason: "it is approver dana@example.com's address in the policy" },
    ]);
    expect(samePerson('mallory@example.com', 'dana@example.com', aliases)).toBe(false);
    expect(samePerson('dana.o@example.com', 'dana@example.com', aliases)).toBe(true);
  });

  it('ignores an alias that is another person’s own address', () => {
    const { aliases, ignored } = trustedPeopleAliases(
      [{ person: person('marcus@example.com', ['sam@example.com']), ownedByOthers: new Set(['sam@example.com']) }],
      approvers,
    );
    expect(ignored).toEqual([{ person: 'marcus@example.com', alias: 'sam@example.com', reason: 'sam@example.com is another person in the directory' }]);
    expect(samePerson('sam@example.com', 'marcus@example.com', aliases)).toBe(false);
  });
});
