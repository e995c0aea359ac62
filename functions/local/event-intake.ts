/**
 * Turns what people post or keep in files into the EventBridge event a Lambda
 * receives, then picks the rule that would select it with the very patterns
 * the CDK rules use. Accepted shapes:
 *
 * - a `PutEvents` entry: `{ Source, DetailType, Detail: "<json string>" }`
 * - an event as EventBridge delivers it: `{ source, "detail-type", detail: {...} }`
 * - a bare canonical detail with a `kind` field (`purchase-request` | `app-connected`)
 * - `{ Entries: [...] }`, a `PutEvents` request body (up to 10 entries)
 *
 * The local runtime and the CLI both read events through here, so a file that
 * `guardrail evaluate` accepts is one `npm start` accepts too.
 */
import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent } from 'aws-lambda';
import type { EventKind } from '../domain/events';
import { DETAIL_TYPES, EVENT_PATTERNS, GUARDRAIL_SOURCE } from '../domain/event-routes';
import { matchesEventPattern } from '../adapters/eventbridge/event-pattern';
import { SOURCE_SHAPES, sourcesResembling } from '../adapters/sources/shapes';

export type BusEvent = EventBridgeEvent<string, unknown>;

/** The kinds a bare detail may name, in the order the routes list them. */
export const EVENT_KINDS = Object.keys(EVENT_PATTERNS) as EventKind[];

/** PutEvents accepts at most 10 entries per call. */
export const MAX_BATCH_ENTRIES = 10;

/** Account and region stamped on locally delivered events (nothing reads them). */
const LOCAL_ACCOUNT = '000000000000';
const LOCAL_REGION = 'us-east-1';

export type EntryResult = { ok: true; event: BusEvent } | { ok: false; problems: string[] };

export type BodyEntries = { ok: true; batch: boolean; entries: Array<{ path: string; entry: unknown }> } | { ok: false; problems: string[] };

/** Splits a body into entries; `path` is the prefix problem messages use (`Entries[2].`). */
export function entriesOf(body: unknown): BodyEntries {
  if (isObject(body) && 'Entries' in body) {
    const entries = body.Entries;
    if (!Array.isArray(entries)) return { ok: false, problems: ['Entries: must be an array of PutEvents entries'] };
    if (entries.length === 0) return { ok: false, problems: ['Entries: must hold at least one entry'] };
    if (entries.length > MAX_BATCH_ENTRIES) {
      return { ok: false, problems: [`Entries: holds ${entries.length} entries; PutEvents accepts at most ${MAX_BATCH_ENTRIES}`] };
    }
    return { ok: true, batch: true, entries: entries.map((entry, i) => ({ path: `Entries[${i}].`, entry })) };
  }
  return { ok: true, batch: false, entries: [{ path: '', entry: body }] };
}

/**
 * Builds the delivered EventBridge event for one entry, or says which fields
 * are wrong. Only the envelope is checked here; the detail is validated by the
 * handler, exactly as in AWS.
 */
export function toBusEvent(entry: unknown, path = '', now: Date = new Date()): EntryResult {
  if (!isObject(entry)) {
    return { ok: false, problems: [`${path || 'body'}: must be a JSON object (an EventBridge entry, or a detail with "kind")`] };
  }
  const at = (field: string) => `${path}${field}`;
  const problems: string[] = [];

  if ('Source' in entry || 'DetailType' in entry || 'Detail' in entry) {
    // PutEvents request entry: Detail is a JSON *string* holding an object.
    const source = requiredString(entry.Source, at('Source'), problems);
    const detailType = requiredString(entry.DetailType, at('DetailType'), problems);
    let detail: unknown;
    if (typeof entry.Detail !== 'string') {
      problems.push(`${at('Detail')}: must be a string holding a JSON object (as in the PutEvents API)`);
    } else {
      try {
        detail = JSON.parse(entry.Detail);
        if (!isObject(detail)) problems.push(`${at('Detail')}: must hold a JSON object`);
      } catch (error) {
        problems.push(`${at('Detail')}: is not valid JSON (${(error as Error).message})`);
      }
    }
    const time = optionalTime(entry.Time, at('Time'), problems);
    const resources = optionalResources(entry.Resources, at('Resources'), problems);
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, event: busEvent(source!, detailType!, detail, { time: time ?? now.toISOString(), resources }) };
  }

  if ('detail-type' in entry || 'detail' in entry) {
    // An event as EventBridge delivers it (what a rule target, or a replay, sees).
    const source = requiredString(entry.source, at('source'), problems);
    const detailType = requiredString(entry['detail-type'], at('detail-type'), problems);
    if (!isObject(entry.detail)) problems.push(`${at('detail')}: must be a JSON object`);
    const time = optionalTime(entry.time, at('time'), problems);
    const resources = optionalResources(entry.resources, at('resources'), problems);
    if (problems.length > 0) return { ok: false, problems };
    return {
      ok: true,
      event: busEvent(source!, detailType!, entry.detail, {
        time: time ?? now.toISOString(),
        resources,
        id: typeof entry.id === 'string' && entry.id !== '' ? entry.id : undefined,
      }),
    };
  }

  if ('kind' in entry) {
    const { kind, ...detail } = entry;
    if (typeof kind !== 'string' || !(EVENT_KINDS as string[]).includes(kind)) {
      return { ok: false, problems: [`${at('kind')}: must be one of ${EVENT_KINDS.map((k) => `"${k}"`).join(', ')}`] };
    }
    return {
      ok: true,
      event: busEvent(GUARDRAIL_SOURCE, DETAIL_TYPES[kind as EventKind], detail, { time: now.toISOString() }),
    };
  }

  const [resembled] = sourcesResembling(entry);
  if (resembled !== undefined) {
    return {
      ok: false,
      problems: [
        `${path || 'body'}: looks like ${SOURCE_SHAPES[resembled].label}, a native payload: POST it to /ingest/${resembled} (signed, see \`guardrail send --source ${resembled}\`), or check it with \`guardrail normalize FILE\``,
      ],
    };
  }
  return {
    ok: false,
    problems: [
      `${path || 'body'}: is neither an EventBridge entry ({Source, DetailType, Detail} or {source, "detail-type", detail}) nor a detail with "kind" ("${EVENT_KINDS.join('" or "')}")`,
    ],
  };
}

/**
 * The kinds whose rule pattern selects the event. EventBridge delivers an event
 * to every matching rule, so this is a list; with the shipped patterns it holds
 * at most one kind.
 */
export function matchingKinds(event: BusEvent): EventKind[] {
  return EVENT_KINDS.filter((kind) => matchesEventPattern(EVENT_PATTERNS[kind], event));
}

/** Why no rule matched, for the 422 answer. */
export function noRuleMessage(event: BusEvent): string {
  const expected = EVENT_KINDS.map((k) => `"${DETAIL_TYPES[k]}"`).join(' or ');
  return `no rule matches source "${event.source}" with detail-type "${event['detail-type']}": the guardrail's rules select source "${GUARDRAIL_SOURCE}" with detail-type ${expected}, and the native-source rules Okta System Log events (aws.partner/okta.com/…, successful app and consent events) and IAM Identity Center calls (aws.sso, successful application calls)`;
}

function busEvent(source: string, detailType: string, detail: unknown, extra: { time: string; resources?: string[]; id?: string }): BusEvent {
  return {
    version: '0',
    id: extra.id ?? randomUUID(),
    'detail-type': detailType,
    source,
    account: LOCAL_ACCOUNT,
    time: extra.time,
    region: LOCAL_REGION,
    resources: extra.resources ?? [],
    detail,
  };
}

function requiredString(value: unknown, field: string, problems: string[]): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  problems.push(`${field}: is required (a non-empty string)`);
  return undefined;
}

function optionalTime(value: unknown, field: string, problems: string[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  problems.push(`${field}: must be an ISO 8601 timestamp`);
  return undefined;
}

function optionalResources(value: unknown, field: string, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  problems.push(`${field}: must be an array of strings`);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
