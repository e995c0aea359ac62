/**
 * `guardrail renewals`: the renewal calendar (notice deadlines, seats used
 * and unused, last year's price, owner, where each stands), and
 * `guardrail renewals ack` to record what an owner decided. Reads the local
 * store, a running `npm start` (its `GET /renewals` JSON and
 * `POST /admin/renewals/ack`), or a deployment's tables.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PolicyNotFoundError } from '../../adapters/dynamodb/policy-errors';
import { openPolicyStore, openRenewalStore, openSeatCounts, seatsUsedSource } from '../../composition/root';
import type { PolicySource } from '../../domain/ports/policy-source';
import { preparePolicy } from '../../domain/prepared-policy';
import { parseRenewalAck, parseWithinDays, type RenewalAck } from '../../domain/renewals/ack';
import { unusedSeats, type Renewal } from '../../domain/renewals/calendar';
import { RENEWAL_ACTION_LABELS, STANDING_LABELS, type RenewalDecision, type RenewalStanding } from '../../domain/renewals/schedule';
import { acknowledgeRenewal, renewalCalendarView, type AckResult } from '../../domain/use-cases/renewals/guard';
import { CliError, EXIT, parseCommandArgs, TEXT, FLAG, PLACE_FLAGS, printJson, type CliIo } from '../io';
import { postJson } from '../local-server';
import { deployedClient, getJson, storeCall, withPolicyPlace } from '../policy-places';
import type { CliCommand } from './command';

const USAGE = `Usage:
  guardrail renewals [--within 120d] [--json] [--url URL | --table REQUESTS_TABLE --policy-table NAME [--inventory-table NAME] [--region R]]
      The renewal calendar: every agreement in the policy's catalogue and every contract approved
      through the guardrail that renews within the window (default 365 days), soonest first, with
      its notice deadline, seats bought / used / unused, last year's price, owner, and where it
      stands (not yet in its notice period, owner reminded, escalated to IT, decided, notice passed).
      --json           {today, withinDays, renewals: [...]}.
  guardrail renewals ack KEY --action renew|renegotiate|cancel --by EMAIL [--renewal-date DATE] [--note TEXT] [--now TIME]
      Records what the owner decided (KEY as the calendar shows it: vendor:okta, request:PR-2026-1042).
      The first decision for a renewal stands; reminders stop once one is recorded.
  default: the local store, or the running \`npm start\` that holds it (--url to name one).
  --table NAME: a deployed requests table, with --policy-table (the stack's outputs); the calendar
  reads approved contracts with a Scan (needs dynamodb:Scan). With --inventory-table, seats used
  come from the inventory for every app whose complete assignment list was imported
  (\`guardrail inventory import-assignments\`); otherwise from the policy. Each count says which.
Exit codes: 0 done, 1 failed (not found, already decided, store unreachable), 2 bad usage.`;

interface CalendarEntry extends Renewal {
  standing: RenewalStanding;
  decision: RenewalDecision | null;
}

export const renewalsCommand: CliCommand = {
  name: 'renewals',
  summary: 'the renewal calendar (notice deadlines, seats used, owners); `renewals ack` records a decision',
  usage: USAGE,
  async run(args, io) {
    if (args[0] === 'ack') return ack(args.slice(1), io);
    const { values, positionals } = parseCommandArgs('renewals', args, {
      within: TEXT,
      json: FLAG,
      now: TEXT,
      ...PLACE_FLAGS,
      'policy-table': TEXT,
      'inventory-table': TEXT,
    });
    if (positionals.length > 0) throw new CliError(`renewals: unexpected argument "${positionals[0]}" (did you mean \`renewals ack\`?)`);
    const within = parseWithinDays(values.within);
    if (within === undefined) throw new CliError('renewals: --within must be a number of days from 1 to 1830, such as 120d');
    const now = values.now ? new Date(values.now) : new Date();
    if (Number.isNaN(now.getTime())) throw new CliError('renewals: --now must be an ISO time');
    const answer = await onPlace('renewals', values, io, {
      runtime: async (url) =>
        expectOk(await getJson(`${url}/renewals?within=${within}`), 'renewals') as { today: string; withinDays: number; renewals: CalendarEntry[] },
      store: async (deps) => ({
        today: now.toISOString().slice(0, 10),
        withinDays: within,
        renewals: (await renewalCalendarView(deps, now, within)).map(({ renewal, history, standing }) => ({
          ...renewal,
          standing,
          decision: history.decision ?? null,
        })),
      }),
    });
    if (values.json) printJson(io, answer);
    else io.stdout.write(calendarText(answer.renewals, answer.today, answer.withinDays));
    return EXIT.ok;
  },
};

async function ack(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('renewals ack', args, {
    action: TEXT,
    by: TEXT,
    'renewal-date': TEXT,
    note: TEXT,
    now: TEXT,
    ...PLACE_FLAGS,
    'policy-table': TEXT,
    'inventory-table': TEXT,
  });
  if (positionals.length !== 1) throw new CliError('renewals ack: name one renewal KEY (such as vendor:okta)');
  const parsed = parseRenewalAck({ key: positionals[0], action: values.action, by: values.by, renewalDate: values['renewal-date'], note: values.note });
  if (!parsed.ok) throw new CliError(`renewals ack: ${parsed.problem}`);
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) throw new CliError('renewals ack: --now must be an ISO time');
  const result = await onPlace('renewals ack', values, io, {
    runtime: async (url) => (await postJson(`${url}/admin/renewals/ack`, parsed.value)).body as AckResult,
    store: (deps) => acknowledgeRenewal(deps, parsed.value as RenewalAck, now),
  });
  if (result.status === 'not-found')
    throw new CliError(
      `renewals ack: no renewal ${parsed.value.key}${parsed.value.renewalDate ? ` on ${parsed.value.renewalDate}` : ''} is on the calendar`,
      EXIT.failed,
    );
  const d = result.decision;
  const line = `${result.renewal.name} renewing ${result.renewal.renewalDate}: ${RENEWAL_ACTION_LABELS[d.action]}, by ${d.by} at ${d.at}`;
  if (result.status === 'already-decided') throw new CliError(`renewals ack: already decided (the first decision stands): ${line}`, EXIT.failed);
  io.stdout.write(`Recorded: ${line}\n`);
  return EXIT.ok;
}

type StoreDeps = Parameters<typeof renewalCalendarView>[0];

/** Runs against the runtime, the local store, or the deployed tables the flags name. */
async function onPlace<T>(
  command: string,
  flags: { url?: string; table?: string; 'policy-table'?: string; 'inventory-table'?: string; region?: string },
  io: CliIo,
  work: { runtime: (url: string) => Promise<T>; store: (deps: StoreDeps) => Promise<T> },
): Promise<T> {
  if (flags.table !== undefined) {
    if (flags.url !== undefined) throw new CliError(`${command}: use either --url or --table, not both`);
    const policyTable = flags['policy-table'];
    if (!policyTable) throw new CliError(`${command}: --table goes with --policy-table (the catalogue's agreements live in the policy)`);
    const client = deployedClient(flags.region, io);
    try {
      return await storeCall(() => work.store(storeDeps(client, policyTable, flags.table!, flags['inventory-table'])));
    } finally {
      client.destroy();
    }
  }
  if (flags['policy-table'] !== undefined || flags['inventory-table'] !== undefined || flags.region !== undefined)
    throw new CliError(`${command}: --policy-table, --inventory-table and --region go with --table`);
  return withPolicyPlace(command, { url: flags.url }, io, async (place) => {
    if (place.kind === 'runtime') return work.runtime(place.url);
    if (place.kind === 'table') throw new Error('unreachable: no --table here');
    return storeCall(() => work.store(storeDeps(place.tables.documents, place.tables.policyTable, place.tables.requestsTable, place.tables.inventoryTable)));
  });
}

function storeDeps(documents: DynamoDBDocumentClient, policyTable: string, requestsTable: string, inventoryTable?: string): StoreDeps {
  const policies = openPolicyStore(documents, policyTable);
  const renewals = openRenewalStore(documents, requestsTable);
  const policy: PolicySource = {
    current: async () => {
      try {
        return preparePolicy(await policies.loadCurrent());
      } catch (error) {
        if (error instanceof PolicyNotFoundError)
          throw new CliError(
            'no current policy: import one first (guardrail policy import policy/default.yaml); the catalogue holds the agreements',
            EXIT.failed,
          );
        throw error;
      }
    },
  };
  // With the inventory, seats used come from an app's complete assignment list once imported (said beside the number).
  return { policy, renewals, contracts: renewals, seatsUsed: seatsUsedSource(inventoryTable ? openSeatCounts(documents, inventoryTable) : undefined) };
}

function expectOk(answer: { status: number; body: unknown }, command: string): unknown {
  if (answer.status >= 400)
    throw new CliError(
      `${command}: the runtime answered HTTP ${answer.status}: ${(answer.body as { error?: string }).error ?? JSON.stringify(answer.body)}`,
      EXIT.failed,
    );
  return answer.body;
}

const count = (n: number | undefined) => (n === undefined ? '–' : n.toLocaleString('en-US'));

export function calendarText(rows: CalendarEntry[], today: string, withinDays: number): string {
  if (rows.length === 0) return `No renewals in the ${withinDays} days from ${today}.\n`;
  const lines = [`Renewals in the ${withinDays} days from ${today} (${rows.length}):`, ''];
  for (const r of rows) {
    const seats =
      r.seats !== undefined
        ? `seats ${count(r.seats)} bought, ${count(r.seatsUsed)} used${r.seatsUsedFrom ? ` (${r.seatsUsedFrom})` : ''}, ${count(unusedSeats(r))} unused`
        : 'seats not recorded';
    const price = r.annualPrice ? `last year ${count(r.annualPrice.amount)} ${r.annualPrice.currency}` : 'price not recorded';
    lines.push(`${r.renewalDate}  ${r.name}  [${r.key}]`);
    lines.push(`    notice by ${r.noticeDeadline} · ${seats} · ${price}`);
    lines.push(
      `    owner ${r.owner ?? 'nobody named'} · ${STANDING_LABELS[r.standing]}${r.decision ? `: ${RENEWAL_ACTION_LABELS[r.decision.action]} (${r.decision.by}, ${r.decision.at.slice(0, 10)})` : ''}`,
    );
    if (r.alternatives.length) lines.push(`    sanctioned alternatives: ${r.alternatives.join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}
