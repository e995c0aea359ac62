/**
 * `POST /directory`: imports a people directory into the running runtime's
 * store (the CLI's `guardrail directory import` goes through it while the
 * runtime holds the data folder). The body is a JSON export, checked row by
 * row exactly as the CLI checks a file.
 */
import { z } from 'zod';
import { ASSIGNMENT_SOURCES } from '../../domain/inventory/assignments';
import { AssignmentRowsError, assignmentProblemLines, importAssignmentFile, UnknownAppError } from '../../domain/use-cases/inventory/assignment-import';
import { DirectoryRowsError, importDirectory, rowProblemLines } from '../../domain/use-cases/inventory/directory-import';
import type { RouteGroup } from '../context';
import { HttpError, json, readJsonBody } from '../http';
import { assertKnownParams } from '../query';

const AssignmentBody = z.object({
  app: z.string().trim().min(1).max(200),
  source: z.enum(ASSIGNMENT_SOURCES),
  format: z.enum(['csv', 'json']),
  content: z.string().min(1),
  skipBadRows: z.boolean().optional(),
});

/** A directory export of some tens of thousands of people. */
const MAX_DIRECTORY_BYTES = 20 * 1024 * 1024;

export const inventoryRoutes: RouteGroup = (context) => [
  {
    method: 'POST',
    path: '/inventory/assignments',
    summary:
      'import an app\'s complete assignment list: {"app", "source": "okta"|"entra-id"|…|"file", "format": "csv"|"json", "content", "skipBadRows"}; its people become its seats used',
    async handle({ req, url }) {
      assertKnownParams(url, []);
      const { appInventory: inventory, directory } = context;
      if (!inventory) throw new HttpError(404, 'this runtime has no inventory table');
      const parsed = AssignmentBody.safeParse(await readJsonBody(req, MAX_DIRECTORY_BYTES, 'assignments.json'));
      if (!parsed.success) throw new HttpError(400, `assignments: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`);
      const { app, source, format, content, skipBadRows } = parsed.data;
      try {
        // The catalogue finds an app not seen yet; without a policy only inventory entries can be named.
        const policy = await context.policies.current().then(
          (p) => p.policy,
          () => undefined,
        );
        const at = context.clock.now().toISOString();
        const report = await importAssignmentFile({ inventory, directory, policy }, { app, source, format, content, at, skipBadRows });
        context.seatCounts?.invalidate();
        context.print(`assignments: ${report.app} has ${report.people} people (${report.added} added, ${report.removed} removed)`);
        return json(200, { ...report, skipped: assignmentProblemLines(report.skipped) });
      } catch (error) {
        if (error instanceof AssignmentRowsError) return json(400, { error: error.message, problems: assignmentProblemLines(error.problems) });
        if (error instanceof UnknownAppError) return json(404, { error: error.message });
        throw error;
      }
    },
  },
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
