/** Helpers for the source normaliser tests: load a sample, change one field, read the outcome. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConnected, PurchaseRequest } from '../../../functions/domain/events';
import type { NormalizeResult } from '../../../functions/domain/normalization';

const eventsRoot = join(__dirname, '../../../events');

/** A fresh, mutable copy of events/<source>/<name>.json. */
export function sample(source: string, name: string): any {
  return JSON.parse(readFileSync(join(eventsRoot, source, `${name}.json`), 'utf8'));
}

/** Sets (or with `undefined`, deletes) the value at a path such as `detail.target[0].displayName`. */
export function set<T>(root: T, path: string, value: unknown): T {
  const steps = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let node: any = root;
  for (const step of steps.slice(0, -1)) node = node[step];
  const last = steps[steps.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return root;
}

/** Asserts a malformed result whose problems include each fragment (each naming its field). */
export function expectMalformed(result: NormalizeResult, ...fragments: string[]): string[] {
  expect(result.status).toBe('malformed');
  const problems = result.status === 'malformed' ? result.problems : [];
  for (const fragment of fragments) {
    expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));
  }
  return problems;
}

export function expectIgnored(result: NormalizeResult, fragment: string): void {
  expect(result).toEqual({ status: 'ignored', reason: expect.stringContaining(fragment) });
}

/** The single app-connected event of an ok result. */
export function onlyApp(result: NormalizeResult): AppConnected {
  expect(result.status).toBe('ok');
  if (result.status !== 'ok') throw new Error(JSON.stringify(result));
  expect(result.events).toHaveLength(1);
  const [event] = result.events;
  if (event.kind !== 'app-connected') throw new Error(`expected app-connected, got ${event.kind}`);
  return event.detail;
}

/** The purchase requests of an ok result. */
export function purchases(result: NormalizeResult): PurchaseRequest[] {
  expect(result.status).toBe('ok');
  if (result.status !== 'ok') throw new Error(JSON.stringify(result));
  return result.events.map((event) => {
    if (event.kind !== 'purchase-request') throw new Error(`expected purchase-request, got ${event.kind}`);
    return event.detail;
  });
}

/** Names that must travel unchanged: HTML and non-Latin text are data, escaped where rendered. */
export const TRICKY_BUT_VALID_NAME = 'Ærø & Søn <b>CRM</b> "Pro" — 日本語 📎';
export const HUGE_NAME = 'A'.repeat(5 * 1024 * 1024);
export const CONTROL_CHARACTER_NAME = 'Evil\u0007App\u001b[31m';

/** {@link CONTROL_CHARACTER_NAME} as the record keeps it: control characters replaced, the rest kept. */
export const CLEANED_CONTROL_CHARACTER_NAME = 'Evil App [31m';

/** {@link HUGE_NAME} as the record keeps it: 200 characters ending in a marker that says how long it was. */
export function expectShortenedHugeName(name: string | undefined): void {
  expect(name).toHaveLength(200);
  expect(name).toMatch(/ … \[shortened from 5,242,880 characters\]$/);
}
