import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPolicyFile, parsePolicyText, PolicyValidationError } from '../../../functions/adapters/policy-file';
import { fixturePolicyInput } from '../domain/fixtures';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyValidationError);
    return (err as PolicyValidationError).problems;
  }
  throw new Error('expected a PolicyValidationError');
}

describe('parsePolicyText', () => {
  it('reads YAML and fills in defaults', () => {
    const policy = parsePolicyText(stringify(fixturePolicyInput()), 'policy.yaml');
    expect(policy.version).toBe('test-1');
    expect(policy.vendors.find((v) => v.id === 'wetransfer')?.aliases).toEqual([]);
    expect(policy.categories[0].duplicates).toBe('review');
  });

  it('reads JSON when the file name says so', () => {
    expect(parsePolicyText(JSON.stringify(fixturePolicyInput()), 'policy.json').vendors).toHaveLength(7);
  });

  it('keeps YAML 1.2 semantics: dates and "no" stay strings', () => {
    const input = fixturePolicyInput();
    const yaml = stringify(input).replace('version: test-1', 'version: 2026-11-27');
    expect(parsePolicyText(yaml, 'p.yaml').version).toBe('2026-11-27');
  });

  it('names the path of each schema problem', () => {
    const input = fixturePolicyInput();
    (input.vendors[3] as { status: string }).status = 'approved-ish';
    (input.spend as { baseCurrency: string }).baseCurrency = 'usd';
    const problems = problemsOf(() => parsePolicyText(JSON.stringify(input), 'bad.json'));
    expect(problems).toEqual(
      expect.arrayContaining([expect.stringMatching(/^vendors\[3\]\.status: Invalid option/), expect.stringMatching(/^spend\.baseCurrency: /)]),
    );
  });

  it('reports misspelt keys instead of silently ignoring them', () => {
    const input = fixturePolicyInput() as unknown as { dataClassification: { restricted: Record<string, unknown> }; vendors: Record<string, unknown>[] };
    input.dataClassification.restricted.blockUnknownVendr = true;
    input.vendors[1].dpaSinged = true;
    expect(problemsOf(() => parsePolicyText(JSON.stringify(input), 'p.json'))).toEqual([
      'vendors[1].dpaSinged: unknown field',
      'dataClassification.restricted.blockUnknownVendr: unknown field',
    ]);
  });

  it('reports consistency problems: duplicate ids, unknown categories, clashing names, duplicate departments', () => {
    const input = fixturePolicyInput();
    input.vendors.push({ id: 'box', name: 'Box Again', category: 'nope', status: 'tolerated', domains: ['files.example'] });
    input.vendors.push({ id: 'other', name: 'Other', aliases: ['Dropbox'], category: 'chat', status: 'tolerated', domains: ['dropbox.com'] });
    input.spend.departmentOverrides?.push({ department: 'engineering', tiers: [{ approver: 'none' }] });
    const problems = problemsOf(() => parsePolicyText(JSON.stringify(input), 'p.json'));
    expect(problems).toEqual([
      'vendors[7].id: "box" appears twice',
      'vendors[7].category: "nope" is not a category id',
      'vendors[8].aliases[0]: "dropbox" is already a name or alias of vendor "dropbox"',
      'vendors[8].domains[0]: "dropbox.com" is already a domain of vendor "dropbox"',
      'spend.departmentOverrides[1].department: "engineering" appears twice',
    ]);
  });

  it('reports tier order problems with their path', () => {
    const input = fixturePolicyInput();
    input.spend.tiers = [{ upTo: 5000, approver: 'none' }, { upTo: 1000, approver: 'cio' }, { approver: 'cio' }];
    expect(problemsOf(() => parsePolicyText(JSON.stringify(input), 'p.json'))).toEqual([
      'spend.tiers: tiers must be in ascending order of upTo, and only the last may leave upTo out',
    ]);
  });

  it('reports YAML and JSON syntax errors', () => {
    expect(problemsOf(() => parsePolicyText('version: [unclosed', 'p.yaml'))[0]).toMatch(/^not valid YAML: /);
    expect(problemsOf(() => parsePolicyText('version: a\nversion: b\n', 'p.yaml'))[0]).toMatch(/^not valid YAML: .*unique/i);
    expect(problemsOf(() => parsePolicyText('{"version":', 'p.json'))[0]).toMatch(/^not valid JSON: /);
  });

  it('names every problem in one pass: YAML syntax, schema, misspelt keys and cross-references together', () => {
    const input = fixturePolicyInput() as unknown as { spend: { baseCurrency: string }; vendors: Record<string, unknown>[] };
    input.spend.baseCurrency = 'usd';
    input.vendors[2].status = 'sanctionned';
    input.vendors[4].category = 'no-such-category';
    input.vendors[5].dpaSinged = true;
    input.vendors.push({ ...input.vendors[0], name: 'Box Again', aliases: [], domains: [] });
    const yaml = `${stringify(input)}version: again\n`;
    const problems = problemsOf(() => parsePolicyText(yaml, 'p.yaml'));
    expect(problems[0]).toMatch(/^not valid YAML: Map keys must be unique at line \d+/);
    expect(problems.slice(1)).toEqual(
      expect.arrayContaining([
        'spend.baseCurrency: Invalid string: must match pattern /^[A-Z]{3}$/',
        expect.stringMatching(/^vendors\[2\]\.status: Invalid option/),
        'vendors[5].dpaSinged: unknown field',
        'vendors[4].category: "no-such-category" is not a category id',
        'vendors[7].id: "box" appears twice',
      ]),
    );
  });

  it('does not blame vendors for a category whose own entry is invalid', () => {
    const input = fixturePolicyInput() as unknown as { categories: Record<string, unknown>[] };
    input.categories[0].duplicates = 'maybe';
    const problems = problemsOf(() => parsePolicyText(JSON.stringify(input), 'p.json'));
    expect(problems).toEqual([expect.stringMatching(/^categories\[0\]\.duplicates: /)]);
  });

  it('reports an empty document', () => {
    expect(problemsOf(() => parsePolicyText('', 'p.yaml'))[0]).toMatch(/^\(document\): /);
  });

  it('puts the file name and every problem in the error message', () => {
    const input = fixturePolicyInput();
    (input as { version: string }).version = 'has spaces';
    try {
      parsePolicyText(JSON.stringify(input), 'team.json');
      throw new Error('expected failure');
    } catch (err) {
      expect((err as Error).message).toMatch(/^team\.json: invalid policy \(1 problem\):\n- version: /);
      expect((err as PolicyValidationError).fileName).toBe('team.json');
    }
  });
});

describe('loadPolicyFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'policy-file-'));

  it('loads a YAML file from disk', () => {
    const path = join(dir, 'p.yml');
    writeFileSync(path, stringify(fixturePolicyInput()));
    expect(loadPolicyFile(path).vendors).toHaveLength(7);
  });

  it('reports a file that cannot be read', () => {
    expect(problemsOf(() => loadPolicyFile(join(dir, 'missing.yaml')))[0]).toMatch(/^cannot read .*missing\.yaml/);
  });
});
