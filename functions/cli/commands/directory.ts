/**
 * `guardrail directory import FILE`: loads a people directory export (CSV
 * or JSON: email, name, department, manager, aliases) into the local store,
 * a running runtime, or a deployed inventory table. Every bad row is named
 * with its problem; by default nothing is imported while any row is bad.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { DirectoryRowsError, importDirectory, rowProblemLines, type DirectoryImportReport } from '../../domain/use-cases/inventory/directory-import';
import { readDirectoryExport } from '../../domain/inventory/people';
import { openInventory } from '../../composition/root';
import { CliError, EXIT, parseCommandArgs, TEXT, FLAG, PLACE_FLAGS, singleFile, type CliIo } from '../io';
import { postJson } from '../local-server';
import { storeCall, withPolicyPlace } from '../policy-places';
import type { CliCommand } from './command';

const USAGE = `Usage: guardrail directory import FILE [--format csv|json] [--skip-bad-rows] [--url URL | --table NAME [--region REGION]]

  Imports a people directory: who is who (email, name, department, manager,
  aliases). It attributes app usage to departments in the inventory.
  FILE             a CSV export with a header row (email, name, department, manager,
                   aliases; "mail", "full name", "dept", "manager email" are read too;
                   aliases separated by ";" or spaces), or JSON: a list of such objects,
                   or {"people": [...]}. The format follows the file name unless --format says.
  --skip-bad-rows  import the good rows and list the bad ones (default: import nothing
                   while any row is bad).
  default          the local store in the data folder (.local-data, or $GUARDRAIL_DATA_DIR);
                   through the running \`npm start\` when it holds that folder.
  --url URL        import through a running local runtime at URL (POST /directory).
  --table NAME     a deployed inventory table (the stack's InventoryTableName output), with the
                   AWS SDK's default credentials; --region or $AWS_REGION names the region.

Exit codes: 0 imported, 1 the store could not be reached, 2 bad usage, unreadable file or bad rows.`;

export const directoryCommand: CliCommand = {
  name: 'directory',
  summary: 'import a people directory (CSV or JSON export) for department attribution',
  usage: USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const [sub, ...rest] = args;
    if (sub === undefined) {
      io.stdout.write(`${USAGE}\n`);
      return EXIT.invalid;
    }
    if (sub !== 'import') throw new CliError(`directory: unknown subcommand "${sub}"; use import\n\n${USAGE}`);
    const { values, positionals } = parseCommandArgs('directory import', rest, { format: TEXT, 'skip-bad-rows': FLAG, ...PLACE_FLAGS });
    const file = singleFile('directory import', positionals);
    const format = values.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
    if (format !== 'csv' && format !== 'json') throw new CliError(`directory import: --format is csv or json, not "${format}"`);
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (error) {
      throw new CliError(`directory import: cannot read ${file}: ${(error as Error).message}`);
    }
    const skipBadRows = values['skip-bad-rows'] === true;
    const report = await withPolicyPlace('directory import', values, io, async (place) => {
      try {
        if (place.kind === 'runtime') return await importThroughRuntime(place.url, content, format, skipBadRows);
        const documents = place.kind === 'table' ? place.documents : place.tables.documents;
        const table = place.kind === 'table' ? values.table! : place.tables.inventoryTable!;
        return await storeCall(() => importDirectory(openInventory(documents, table).directory, content, format, { skipBadRows }));
      } catch (error) {
        if (error instanceof DirectoryRowsError)
          throw new CliError(
            `directory import: ${file}: ${error.message}:\n${rowProblemLines(error.problems)
              .map((l) => `  - ${l}`)
              .join('\n')}`,
          );
        throw error;
      }
    });
    io.stdout.write(`imported ${report.imported} ${report.imported === 1 ? 'person' : 'people'} (${report.aliases} aliases) from ${file}\n`);
    if (report.skipped.length)
      io.stderr.write(
        `skipped ${report.skipped.length} bad rows:\n${rowProblemLines(report.skipped)
          .map((l) => `  - ${l}`)
          .join('\n')}\n`,
      );
    return EXIT.ok;
  },
};

/** The runtime takes JSON: a CSV is read here (with its row numbers) and sent as people. */
async function importThroughRuntime(url: string, content: string, format: 'csv' | 'json', skipBadRows: boolean): Promise<DirectoryImportReport> {
  const reading = readDirectoryExport(content, format);
  if (reading.problems.length > 0 && (!skipBadRows || reading.people.length === 0)) throw new DirectoryRowsError(reading.problems);
  const { status, body } = await postJson(`${url}/directory${skipBadRows ? '?skipBadRows=1' : ''}`, { people: reading.people });
  if (status >= 400)
    throw new CliError(`the runtime refused the directory (HTTP ${status}): ${(body as { error?: string }).error ?? JSON.stringify(body)}`, EXIT.failed);
  return { ...(body as DirectoryImportReport), skipped: reading.problems };
}
