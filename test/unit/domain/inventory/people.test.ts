import { parseCsv, readDirectoryExport } from '../../../../functions/domain/inventory/people';

describe('reading a people directory export', () => {
  it('reads CSV with quoted commas, quotes and line breaks, naming rows by their line', () => {
    const csv =
      'Email,Full Name,Dept,Manager Email,Aliases\r\nli.wei@example.com,"Wei, Li ""LW""",Marketing,maria@example.com,"lw@example.com; li@example.com"\n"bad\nrow",x,y,,\nana@example.com,Ana,,,\n';
    const { people, problems } = readDirectoryExport(csv, 'csv');
    expect(people).toEqual([
      {
        email: 'li.wei@example.com',
        name: 'Wei, Li "LW"',
        department: 'Marketing',
        manager: 'maria@example.com',
        aliases: ['lw@example.com', 'li@example.com'],
        origin: 'import',
      },
      { email: 'ana@example.com', name: 'Ana', aliases: [], origin: 'import' },
    ]);
    expect(problems).toEqual([{ row: 3, problem: 'email is not an email address' }]);
    expect(parseCsv('a,b\n"x\ny",z\nlast,row').map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('names a missing email column, an empty file, duplicates, bad managers and too-long values', () => {
    expect(readDirectoryExport('name,department\nAna,Sales\n', 'csv').problems[0].problem).toMatch(/no email column/);
    expect(readDirectoryExport('', 'csv').problems[0].problem).toMatch(/empty/);
    const { problems } = readDirectoryExport(
      `email,manager,department\na@example.com,,\nA@example.com,,\nb@example.com,nobody,\nc@example.com,,${'x'.repeat(101)}\n`,
      'csv',
    );
    expect(problems.map((p) => `${p.row}: ${p.problem}`)).toEqual([
      '3: a@example.com is already on row 2; the first row is kept',
      '4: manager is not an email address',
      '5: department is longer than 100 characters',
    ]);
  });

  it('reads JSON as a list or {"people": [...]}, aliases as a list or text', () => {
    const list = readDirectoryExport(JSON.stringify([{ mail: 'X@Example.com', displayName: 'X', aliases: 'x1@example.com x2@example.com' }, 'nope']), 'json');
    expect(list.people).toEqual([{ email: 'x@example.com', name: 'X', aliases: ['x1@example.com', 'x2@example.com'], origin: 'import' }]);
    expect(list.problems).toEqual([{ row: 2, problem: 'is not an object with an email' }]);
    expect(readDirectoryExport('{"people": [{"email": "y@example.com"}]}', 'json').people).toHaveLength(1);
    expect(readDirectoryExport('{oops', 'json').problems[0].problem).toMatch(/not valid JSON/);
  });
  it('names a row whose alias is another person’s address or claimed twice, and leaves it out', () => {
    const csv = 'email,aliases\nana@example.com,bob@example.com\nbob@example.com,\ncarl@example.com,shared@example.com\ndina@example.com,shared@example.com\n';
    const { people, problems } = readDirectoryExport(csv, 'csv');
    expect(people.map((p) => p.email)).toEqual(['bob@example.com']);
    expect(problems).toEqual([
      { row: 2, problem: 'alias bob@example.com is the address of the person on row 3' },
      { row: 4, problem: 'alias shared@example.com is also claimed by dina@example.com' },
      { row: 5, problem: 'alias shared@example.com is also claimed by carl@example.com' },
    ]);
  });
});
