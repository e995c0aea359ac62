/**
 * `guardrail inventory [--department D] [--json]`: the apps in use, with the
 * people using each (counted exactly), departments, how they were connected,
 * the highest risk and the review, from the local store, a running runtime,
 * or a deployed inventory table.
 */
import { CONNECTION_LABELS } from '../../domain/inventory/app-inventory';
import { inventoryView, type CountedEntry } from '../../domain/use-cases/inventory/view';
import { openInventory } from '../../composition/root';
import { CliError, EXIT, parseCommandArgs, TEXT, FLAG, PLACE_FLAGS, printJson, type CliIo } from '../io';
import { getJson, storeCall, withPolicyPlace } from '../policy-places';
import { ASSIGNMENT_USAGE, importAssignmentsCommand } from './assignment-import';
import type { CliCommand } from './command';

const USAGE = `Usage: guardrail inventory [--department D] [--json] [--url URL | --table NAME [--region REGION]]

  Lists every app in use: catalogue status, how many people use it, their departments,
  how it was connected, the sources that saw it, the highest risk found and its review.
  --department D   only apps used in department D (case does not matter).
  --json           the entries as JSON (with exact user counts).
  default          the local store in the data folder (.local-data, or $GUARDRAIL_DATA_DIR);
                   through the running \`npm start\` when it holds that folder.
  --url URL        a running local runtime at URL (GET /inventory).
  --table NAME     a deployed inventory table (the stack's InventoryTableName output).

Exit codes: 0 listed, 1 the store could not be reached, 2 bad usage.

${ASSIGNMENT_USAGE.replace('Usage: ', '')}`;

export const inventoryCommand: CliCommand = {
  name: 'inventory',
  summary: 'list the apps in use: people, departments, connections, risk, review',
  usage: USAGE,
  usageFor: (args) => (args[0] === 'import-assignments' ? ASSIGNMENT_USAGE : undefined),
  async run(args: string[], io: CliIo): Promise<number> {
    if (args[0] === 'import-assignments') return importAssignmentsCommand(args.slice(1), io);
    const { values, positionals } = parseCommandArgs('inventory', args, { department: TEXT, json: FLAG, ...PLACE_FLAGS });
    if (positionals.length > 0) throw new CliError(`inventory: unexpected argument ${positionals[0]}\nRun \`guardrail inventory --help\` for usage.`);
    const department = values.department?.trim() || undefined;
    const apps = await withPolicyPlace('inventory', values, io, async (place) => {
      if (place.kind === 'runtime') {
        const { status, body } = await getJson(`${place.url}/inventory${department ? `?department=${encodeURIComponent(department)}` : ''}`);
        if (status >= 400)
          throw new CliError(`${place.label} answered HTTP ${status}: ${(body as { error?: string }).error ?? JSON.stringify(body)}`, EXIT.failed);
        return (body as { apps: CountedEntry[] }).apps;
      }
      const documents = place.kind === 'table' ? place.documents : place.tables.documents;
      const table = place.kind === 'table' ? values.table! : place.tables.inventoryTable!;
      return storeCall(() => inventoryView(openInventory(documents, table).inventory).list({ department }));
    });
    if (values.json) printJson(io, { count: apps.length, ...(department ? { department } : {}), apps });
    else io.stdout.write(inventoryText(apps, department));
    return EXIT.ok;
  },
};

export function inventoryText(apps: readonly CountedEntry[], department?: string): string {
  if (apps.length === 0) return `No apps in the inventory${department ? ` for ${department}` : ''} yet.\n`;
  const rows = apps.map((a) => [
    a.name,
    a.status,
    String(a.users),
    a.departments.join(', ') || '-',
    a.connections.map((c) => CONNECTION_LABELS[c]).join(', ') || 'requested',
    a.highestRisk,
    a.review ? `review ${a.review.recordId}` : '-',
  ]);
  const header = ['APP', 'STATUS', 'PEOPLE', 'DEPARTMENTS', 'CONNECTED BY', 'RISK', 'REVIEW'];
  const widths = header.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i].length))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n${apps.length} ${apps.length === 1 ? 'app' : 'apps'}${department ? ` in ${department}` : ''}\n`;
}
