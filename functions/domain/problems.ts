/**
 * One way to say what is wrong with an input: "path: message" lines, the path
 * in the style people read (`detail.amount.currency`, `target[0].displayName`).
 * Dead letters, ingest answers, policy validation and configuration errors all
 * use it, so a problem reads the same wherever it is reported.
 */

/** The part of a zod issue this module reads (keeps callers independent of zod's internals). */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
}

/** More problems than this are summarised: a dead letter or an error stays readable and small. */
export const MAX_PROBLEMS = 50;

/**
 * Joins path segments: `target[0].displayName`, `requisition-lines[2].supplier.name`;
 * a key that is not a plain name is quoted (`detail["weird key"]`). An empty base stays empty.
 */
export function joinPath(base: string, ...segments: readonly PropertyKey[]): string {
  let path = base;
  for (const segment of segments) {
    const name = String(segment);
    if (typeof segment === 'number') path += `[${segment}]`;
    else if (!/^[A-Za-z_$@][\w$@.-]*$/.test(name)) path += `[${JSON.stringify(name)}]`;
    else path += path === '' ? name : `.${name}`;
  }
  return path;
}

/**
 * Schema issues as `path: message` lines rooted at `root` (`'(root)'` names
 * the value itself), duplicates dropped, at most {@link MAX_PROBLEMS}. zod's
 * generic wording is rephrased into what a person fixing the input needs
 * ("is required" rather than "expected string, received undefined"). Pass the
 * validated `value` so a missing field reads "is required" even where the
 * schema gives a message of its own (`z.email('must be an email address')`).
 */
export function describeIssues(issues: readonly SchemaIssue[], root = '', whole = '(root)', value?: unknown): string[] {
  const lines = issues.map((issue) => `${joinPath(root, ...issue.path) || whole}: ${isMissing(issue, value) ? 'is required' : friendlyMessage(issue.message)}`);
  const unique = [...new Set(lines)];
  return unique.length <= MAX_PROBLEMS ? unique : [...unique.slice(0, MAX_PROBLEMS), `… and ${unique.length - MAX_PROBLEMS} more problems`];
}

function isMissing(issue: SchemaIssue, value: unknown): boolean {
  if (issue.code !== 'invalid_type' || value === undefined || issue.path.length === 0) return false;
  let at: unknown = value;
  for (const key of issue.path) {
    if (at === null || typeof at !== 'object') return false;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at === undefined;
}

function friendlyMessage(message: string): string {
  if (message === 'Invalid input') return 'is not a value this field accepts';
  const typeMismatch = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (!typeMismatch) return message;
  const [, zodExpected, received] = typeMismatch;
  if (received === 'undefined') return 'is required';
  // A record (string-keyed map) is what a JSON object is to the person reading the problem.
  const expected = zodExpected === 'record' ? 'object' : zodExpected;
  return `must be ${article(expected)} ${expected}, not ${received}`;
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');
