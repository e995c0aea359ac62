/**
 * The policy's `departments` section (outreach): the default policy lists
 * the departments the samples use, each with a contact; names and aliases
 * must each name one department; contacts must be addresses.
 */
import { PolicySchema, policyConsistencyProblems, type PolicyInput } from '../../../functions/domain/policy';
import { defaultPolicy } from '../../support/fixtures';
import { fixturePolicyInput } from '../domain/fixtures';

describe('policy departments', () => {
  test('the default policy reaches Marketing, Engineering, Sales and Finance, and tells them how to reach IT', () => {
    const policy = defaultPolicy();
    for (const name of ['Marketing', 'Engineering', 'Sales', 'Finance']) {
      expect(policy.departments.find((d) => d.name === name)?.contact).toMatch(/@example\.com$/);
    }
    expect(policy.outreach.itContact).toBe('it-help@example.com');
  });

  test('a name or alias claimed by two departments, or twice, is a problem naming where', () => {
    const input: PolicyInput = {
      ...fixturePolicyInput(),
      departments: [
        { name: 'Marketing', contact: 'm@example.com', aliases: ['Growth', 'marketing'] },
        { name: 'Growth', contact: 'g@example.com' },
      ],
    };
    expect(policyConsistencyProblems(PolicySchema.parse(input))).toEqual([
      'departments[0].aliases[1]: "marketing" appears twice',
      'departments[1].name: "Growth" already names department Marketing',
    ]);
  });

  test('a contact must be an email address; no departments means no outreach', () => {
    const bad = PolicySchema.safeParse({ ...fixturePolicyInput(), departments: [{ name: 'Sales', contact: 'sales team' }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(['departments', 0, 'contact']);
    expect(PolicySchema.parse(fixturePolicyInput()).departments).toEqual([]);
  });
});
