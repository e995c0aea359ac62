/**
 * `guardrail inventory import-assignments FILE --app APP`: an app's complete
 * assignment list from the identity provider (Okta's Current Assignments
 * report or /apps/{id}/users, Graph's appRoleAssignedTo, any export with an
 * email column). Its people become the app's seats used. Runs with the
 * operator's own AWS credentials against a deployed table, or locally.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { openInventory, openPolicyStore } from '../../composition/root';
import { ASSIGNMENT_SOURCES, type AssignmentSource } from '../../domain/inventory/assignments';
import {
  AssignmentRowsError,
  assignmentProblemLines,
  importAssignmentFile,
  UnknownAppError,
  type AssignmentImportReport,
} from '../../domain/use-cases/inventory/assignment-import';
import type { Policy } from '../../domain/policy';
import { CliError, EXIT, FLAG, parseCommandArgs, PLACE_FLAGS, singleFile, TEXT, type CliIo } from '../io';
import { postJson } from '../local-server';
import { deployedClient, storeCall, withPolicyPlace } from '../policy-places';

export const ASSIGNMENT_USAGE = `Usage: guardrail inventory import-assignments FILE --app APP [--source okta|entra-id|google-workspace|iam-identity-center|file]
         [--format csv|json] [--skip-bad-rows] [--url URL | --table INVENTORY_TABLE [--policy-table NAME] [--region REGION]]

  Imports the complete list of people assigned to one app. The list replaces the app's people
  in the inventory and marks it complete: from then on its people are the seats used of its
  catalogue agreement (renewals, spare seats in findings and outreach), and assignments that
  arrive as events add to it. Until an app's list is imported, the policy's seatsUsed stands.
  FILE         Okta's "Current Assignments" report (User, Login, Application name, Assigned on,
               Unassigned on: rows for other apps and ended assignments are left out), Okta's
               /api/v1/apps/{id}/users JSON, Microsoft Graph's appRoleAssignedTo JSON ({"value": [...]};
               group rows are refused: list their members), or any CSV/JSON with an email column.
  --app APP    the app: a catalogue vendor id or name, or an inventory entry's name or key.
  --source S   where the list came from (said beside every seat count; default okta).
  --skip-bad-rows  import the good rows and list the bad ones (default: nothing while any row is bad).
  --table NAME a deployed inventory table, with your own AWS credentials; --policy-table lets
               --app name a catalogue vendor not seen in the inventory yet.

Exit codes: 0 imported, 1 the store could not be reached or the app is unknown, 2 bad usage or bad rows.`;

export async function importAssignmentsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('inventory import-assignments', args, {
    app: TEXT,
    source: TEXT,
    format: TEXT,
    'skip-bad-rows': FLAG,
    ...PLACE_FLAGS,
    'policy-table': TEXT,
  });
  const file = singleFile('inventory import-assignments', positionals);
  const app = values.app?.trim();
  if (!app) throw new CliError(`inventory import-assignments: --app names the app the list is for\n\n${ASSIGNMENT_USAGE}`);
  const source = (values.source ?? 'okta') as AssignmentSource;
  if (!ASSIGNMENT_SOURCES.includes(source))
    throw new CliError(`inventory import-assignments: --source is one of ${ASSIGNMENT_SOURCES.join(', ')}, not "${source}"`);
  const format = values.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') throw new CliError(`inventory import-assignments: --format is csv or json, not "${format}"`);
  if (values['policy-table'] !== undefined && values.table === undefined) throw new CliError('inventory import-assignments: --policy-table goes with --table');
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`inventory import-assignments: cannot read ${file}: ${(error as Error).message}`);
  }
  const skipBadRows = values['skip-bad-rows'] === true;
  const input = { app, source, format, content, skipBadRows } as const;
  const report = await explained(file, async () => {
    if (values.table !== undefined) {
      if (values.url !== undefined) throw new CliError('inventory import-assignments: use either --url or --table, not both');
      const client = deployedClient(values.region, io);
      try {
        const policyTable = values['policy-table'];
        const policy = policyTable ? await storeCall(() => openPolicyStore(client, policyTable).loadCurrent()) : undefined;
        return await storeCall(() => importAssignmentFile({ ...openInventory(client, values.table!), policy }, { ...input, at: new Date().toISOString() }));
      } finally {
        client.destroy();
      }
    }
    return withPolicyPlace('inventory import-assignments', { url: values.url }, io, async (place) => {
      if (place.kind === 'runtime') return throughRuntime(place.url, input);
      if (place.kind === 'table') throw new Error('unreachable: no --table here');
      const policy: Policy | undefined = await place.policies.loadCurrent().catch(() => undefined);
      return storeCall(() =>
        importAssignmentFile({ ...openInventory(place.tables.documents, place.tables.inventoryTable!), policy }, { ...input, at: new Date().toISOString() }),
      );
    });
  });
  io.stdout.write(
    `${report.app}: ${report.people} ${report.people === 1 ? 'person' : 'people'} assigned (${report.added} added, ${report.removed} removed) from ${file}; ` +
      `seats used now come from this list (${report.complete.source}, ${report.complete.at.slice(0, 10)})\n`,
  );
  const left = [
    report.otherApps ? `${report.otherApps} rows for other apps` : '',
    report.unassigned ? `${report.unassigned} ended assignments` : '',
    report.repeated ? `${report.repeated} repeated people` : '',
  ].filter(Boolean);
  if (left.length) io.stdout.write(`left out: ${left.join(', ')}\n`);
  if (report.skipped.length) io.stderr.write(`skipped ${report.skipped.length} bad rows:\n${lines(assignmentProblemLines(report.skipped))}\n`);
  return EXIT.ok;
}

async function explained(file: string, work: () => Promise<AssignmentImportReport>): Promise<AssignmentImportReport> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AssignmentRowsError)
      throw new CliError(
        `inventory import-assignments: ${file}: ${error.message}${error.problems.length ? `:\n${lines(assignmentProblemLines(error.problems))}` : ''}`,
      );
    if (error instanceof UnknownAppError) throw new CliError(`inventory import-assignments: ${error.message}`, EXIT.failed);
    throw error;
  }
}

async function throughRuntime(url: string, body: Record<string, unknown>): Promise<AssignmentImportReport> {
  const { status, body: answer } = await postJson(`${url}/inventory/assignments`, body);
  const a = answer as { error?: string; problems?: string[] } & AssignmentImportReport;
  if (status === 400 && a.problems) throw new CliError(`inventory import-assignments: ${a.error}:\n${lines(a.problems)}`);
  if (status >= 400) throw new CliError(`the runtime refused the assignments (HTTP ${status}): ${a.error ?? JSON.stringify(answer)}`, EXIT.failed);
  // The runtime answers problem lines; they are printed as they are.
  return { ...a, skipped: ((answer as { skipped?: string[] }).skipped ?? []).map((problem) => ({ row: 0, problem })) };
}

const lines = (items: readonly string[]) => items.map((l) => `  - ${l}`).join('\n');
