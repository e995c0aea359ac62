/**
 * Replays the sample events on a fresh local store so a newcomer sees real
 * decisions, notifications and dead letters the moment `npm start` is up.
 * Samples go through the same intake as `POST /events`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EventSubmission } from './event-submission';

export interface ReplayedSample {
  /** `purchase-request/dropbox-marketing-confidential.json` */
  sample: string;
  status: number;
  recordId?: string;
  outcome?: string;
  summary?: string;
  problems?: string[];
}

/** Files in sample folders that are not events (expectations for tests, schemas…). */
const NOT_EVENTS = new Set(['expected-outcomes.json']);

export async function replaySamples(dirs: readonly string[], submissions: EventSubmission): Promise<ReplayedSample[]> {
  const replayed: ReplayedSample[] = [];
  for (const dir of dirs) {
    let files: string[];
    try {
      files = readdirSync(dir)
        .filter((f) => f.endsWith('.json') && !NOT_EVENTS.has(f))
        .sort();
    } catch {
      continue; // a sample folder that does not exist yet is not an error
    }
    for (const file of files) {
      const sample = `${basename(dir)}/${file}`;
      let body: unknown;
      try {
        body = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      } catch (error) {
        replayed.push({ sample, status: 400, problems: [`not valid JSON: ${(error as Error).message}`] });
        continue;
      }
      // Only canonical event files: anything without an envelope or a kind is not a sample to replay.
      if (!looksLikeEvent(body)) continue;
      const answer = await submissions.submitEntry(body, '');
      const b = answer.body;
      replayed.push({
        sample,
        status: answer.status,
        recordId: typeof b.recordId === 'string' ? b.recordId : undefined,
        outcome: typeof b.outcome === 'string' ? b.outcome : undefined,
        summary: typeof b.summary === 'string' ? b.summary : typeof b.error === 'string' ? b.error : undefined,
        problems: Array.isArray(b.problems) ? (b.problems as string[]) : undefined,
      });
    }
  }
  return replayed;
}

function looksLikeEvent(body: unknown): boolean {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  return ['detail-type', 'DetailType', 'kind'].some((key) => key in body);
}

/** One line per sample for the banner. */
export function replayLine(r: ReplayedSample, width: number): string {
  const name = r.sample.padEnd(width);
  if (r.status === 202) return `  ${name}  ${r.recordId} → ${r.outcome}: ${r.summary ?? ''}`;
  return `  ${name}  ✗ HTTP ${r.status}: ${r.problems?.join('; ') ?? r.summary ?? ''}`;
}
