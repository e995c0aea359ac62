/**
 * `POST /directory`: imports a people directory into the running runtime's
 * store (the CLI's `guardrail directory import` goes through it while the
 * runtime holds the data folder). The body is a JSON export, checked row by
 * row exactly as the CLI checks a file.
 */
import { DirectoryRowsError, importDirectory, rowProblemLines } from '../../domain/use-cases/inventory/directory-import';
import type { RouteGroup } from '../context';
import { HttpError, json, readJsonBody } from '../http';
import { assertKnownParams } from '../query';

/** A directory export of some tens of thousands of people. */
const MAX_DIRECTORY_BYTES = 20 * 1024 * 1024;

export const inventoryRoutes: RouteGroup = (context) => [
  {
    method: 'POST',
    path: '/directory',
    summary: 'import a people directory: {"people": [{"email", "name", "department", "manager", "aliases"}]}; ?skipBadRows=1 keeps the good rows',
    async handle({ req, url }) {
      assertKnownParams(url, ['skipBadRows']);
      const directory = context.directory;
      if (!directory) throw new HttpError(404, 'this runtime has no inventory table');
      const body = await readJsonBody(req, MAX_DIRECTORY_BYTES, 'directory.json');
      try {
        const report = await importDirectory(directory, JSON.stringify(body), 'json', { skipBadRows: url.searchParams.get('skipBadRows') === '1' });
        context.print(`directory: ${report.imported} people imported${report.skipped.length ? `, ${report.skipped.length} bad rows skipped` : ''}`);
        return json(200, { ...report, skipped: rowProblemLines(report.skipped) });
      } catch (error) {
        if (error instanceof DirectoryRowsError) return json(400, { error: error.message, problems: rowProblemLines(error.problems) });
        throw error;
      }
    },
  },
];
