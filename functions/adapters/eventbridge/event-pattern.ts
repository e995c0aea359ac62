/**
 * EventBridge content filtering, in process. The CDK rules and the local
 * runtime's router share the patterns in `domain/event-routes.ts`; this lets
 * the local runtime route with exactly those patterns, and lets tests prove
 * that the rules in the synthesised template select the sample events,
 * without AWS credentials (`TestEventPattern` needs them) and without a port
 * of AWS's Java event-ruler (there is no maintained one on npm).
 *
 * Semantics follow AWS's "content filtering" documentation and the event-ruler
 * README:
 * - fields in a pattern are ANDed, the values in a field's array are ORed;
 * - when the event holds an array, any element may match; fields of one
 *   nested pattern must all match inside the same array element (ruler's
 *   "array-consistent" matching);
 * - operators: exact string/number/boolean/null values, `prefix`, `suffix`
 *   (both also with `equals-ignore-case`), `equals-ignore-case`, `wildcard`,
 *   `anything-but` (value, list, or `prefix`/`suffix`/`equals-ignore-case`/
 *   `wildcard`), `numeric`, `exists` and `$or`;
 * - `exists` looks at leaf values only: an object at the path is not a value.
 *
 * Not supported: `cidr` (this project never routes on IP addresses). A pattern
 * using it, or any malformed pattern, throws {@link EventPatternError} naming
 * the path rather than silently never matching.
 */
import type { EventPattern } from '../../domain/event-routes';

export type { EventPattern };

/** A pattern EventBridge would reject (or this matcher cannot evaluate). */
export class EventPatternError extends Error {
  constructor(
    /** Where in the pattern, e.g. `detail.state[0].anything-but`. */
    readonly path: string,
    problem: string,
  ) {
    super(`${path || '(pattern)'}: ${problem}`);
    this.name = 'EventPatternError';
  }
}

/** A compiled pattern: call it with an event. */
export type EventMatcher = (event: unknown) => boolean;

type Leaf = string | number | boolean | null;
type ValueMatcher = (leaf: Leaf) => boolean;
/** Matches the object (or array of objects, or nothing) found at one level of the event. */
type ObjectMatcher = (container: unknown) => boolean;

interface FieldMatcher {
  /** Matches when the field is absent or holds no leaf value. */
  matchesAbsent: boolean;
  values: ValueMatcher[];
}

const compiledCache = new WeakMap<object, EventMatcher>();

/**
 * Whether `event` matches `pattern`, as an EventBridge rule would decide.
 * Compiles the pattern on first use and caches it per pattern object.
 * @throws EventPatternError when the pattern is not a valid event pattern.
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  let matcher = compiledCache.get(pattern);
  if (!matcher) {
    matcher = compileEventPattern(pattern);
    compiledCache.set(pattern, matcher);
  }
  return matcher(event);
}

/**
 * Validates a pattern once and returns a fast matcher: the local runtime
 * compiles each route at start-up so a bad pattern fails then, not on the
 * first event.
 * @throws EventPatternError naming the path of the first problem.
 */
export function compileEventPattern(pattern: EventPattern): EventMatcher {
  if (!isPlainObject(pattern)) throw new EventPatternError('', 'an event pattern must be a JSON object');
  if (Object.keys(pattern).length === 0) throw new EventPatternError('', 'an event pattern must name at least one field');
  const root = compileObject(pattern, '');
  return (event) => isPlainObject(event) && root(event);
}

/** Every problem in a pattern, each naming its path; empty when the pattern is valid. */
export function eventPatternProblems(pattern: unknown): string[] {
  try {
    compileEventPattern(pattern as EventPattern);
    return [];
  } catch (err) {
    if (err instanceof EventPatternError) return [err.message];
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Compilation

function compileObject(pattern: Record<string, unknown>, path: string): ObjectMatcher {
  const checks: ObjectMatcher[] = [];
  for (const [key, spec] of Object.entries(pattern)) {
    const keyPath = path ? `${path}.${key}` : key;
    if (key === '$or') {
      checks.push(compileOr(spec, keyPath));
    } else if (Array.isArray(spec)) {
      const field = compileField(spec, keyPath);
      checks.push((container) => matchField(field, isPlainObject(container) ? container[key] : undefined));
    } else if (isPlainObject(spec)) {
      if (Object.keys(spec).length === 0) throw new EventPatternError(keyPath, 'a nested pattern must name at least one field');
      const nested = compileObject(spec, keyPath);
      checks.push((container) => nested(isPlainObject(container) ? container[key] : undefined));
    } else {
      throw new EventPatternError(keyPath, `must be an array of values or a nested object, not ${describe(spec)}`);
    }
  }
  const matchOne = (container: unknown) => checks.every((check) => check(container));
  return (container) => {
    if (!Array.isArray(container)) return matchOne(container);
    // An array of objects: all fields of this level must match within one element.
    const objects = flatten(container).filter(isPlainObject);
    return objects.length === 0 ? matchOne(undefined) : objects.some(matchOne);
  };
}

function compileOr(spec: unknown, path: string): ObjectMatcher {
  if (!Array.isArray(spec) || spec.length < 2 || !spec.every(isPlainObject)) {
    throw new EventPatternError(path, 'must be an array of at least two nested patterns');
  }
  const alternatives = spec.map((alt, i) => {
    if (Object.keys(alt).length === 0) throw new EventPatternError(`${path}[${i}]`, 'an alternative must name at least one field');
    return compileObject(alt, `${path}[${i}]`);
  });
  return (container) => alternatives.some((alt) => alt(container));
}

function compileField(spec: unknown[], path: string): FieldMatcher {
  if (spec.length === 0) throw new EventPatternError(path, 'must list at least one value');
  const field: FieldMatcher = { matchesAbsent: false, values: [] };
  spec.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (isLeaf(item)) {
      field.values.push(exact(item));
      return;
    }
    if (!isPlainObject(item)) throw new EventPatternError(itemPath, `must be a value or an operator object, not ${describe(item)}`);
    const keys = Object.keys(item);
    if (keys.length !== 1) {
      throw new EventPatternError(itemPath, `an operator object must have exactly one operator, found ${keys.length ? keys.join(', ') : 'none'}`);
    }
    const operator = keys[0];
    const operand = item[operator];
    const operandPath = `${itemPath}.${operator}`;
    switch (operator) {
      case 'exists':
        if (typeof operand !== 'boolean') throw new EventPatternError(operandPath, 'must be true or false');
        if (operand) field.values.push(() => true);
        else field.matchesAbsent = true;
        return;
      case 'prefix':
        field.values.push(compileAffix(operand, operandPath, 'prefix'));
        return;
      case 'suffix':
        field.values.push(compileAffix(operand, operandPath, 'suffix'));
        return;
      case 'equals-ignore-case': {
        const expected = requireString(operand, operandPath);
        field.values.push((leaf) => typeof leaf === 'string' && sameIgnoringCase(leaf, expected));
        return;
      }
      case 'wildcard': {
        const regex = compileWildcard(requireString(operand, operandPath), operandPath);
        field.values.push((leaf) => typeof leaf === 'string' && regex.test(leaf));
        return;
      }
      case 'numeric':
        field.values.push(compileNumeric(operand, operandPath));
        return;
      case 'anything-but':
        field.values.push(compileAnythingBut(operand, operandPath));
        return;
      case 'cidr':
        throw new EventPatternError(operandPath, 'cidr matching is not supported by this matcher');
      default:
        throw new EventPatternError(itemPath, `unknown operator "${operator}"`);
    }
  });
  return field;
}

function exact(expected: Leaf): ValueMatcher {
  // JSON numbers compare by value (300 equals 3.0e2); a string never equals a number.
  return (leaf) => leaf === expected;
}

function compileAffix(operand: unknown, path: string, kind: 'prefix' | 'suffix'): ValueMatcher {
  let expected: string;
  let ignoreCase = false;
  if (typeof operand === 'string') {
    expected = operand;
  } else if (isPlainObject(operand) && Object.keys(operand).length === 1 && 'equals-ignore-case' in operand) {
    expected = requireString(operand['equals-ignore-case'], `${path}.equals-ignore-case`);
    ignoreCase = true;
  } else {
    throw new EventPatternError(path, `must be a string or {"equals-ignore-case": string}, not ${describe(operand)}`);
  }
  if (ignoreCase) {
    const lowered = expected.toLowerCase();
    return kind === 'prefix'
      ? (leaf) => typeof leaf === 'string' && leaf.toLowerCase().startsWith(lowered)
      : (leaf) => typeof leaf === 'string' && leaf.toLowerCase().endsWith(lowered);
  }
  return kind === 'prefix' ? (leaf) => typeof leaf === 'string' && leaf.startsWith(expected) : (leaf) => typeof leaf === 'string' && leaf.endsWith(expected);
}

const NUMERIC_OPERATORS = {
  '=': (a: number, b: number) => a === b,
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
} as const;
type NumericOperator = keyof typeof NUMERIC_OPERATORS;

function compileNumeric(operand: unknown, path: string): ValueMatcher {
  if (!Array.isArray(operand) || (operand.length !== 2 && operand.length !== 4)) {
    throw new EventPatternError(path, 'must be [operator, number] or a range such as [">", 0, "<=", 5]');
  }
  const conditions: Array<{ op: NumericOperator; bound: number }> = [];
  for (let i = 0; i < operand.length; i += 2) {
    const op = operand[i];
    const bound = operand[i + 1];
    if (typeof op !== 'string' || !(op in NUMERIC_OPERATORS)) {
      throw new EventPatternError(`${path}[${i}]`, `unknown numeric operator ${describe(op)}; use =, <, <=, > or >=`);
    }
    if (typeof bound !== 'number' || !Number.isFinite(bound)) {
      throw new EventPatternError(`${path}[${i + 1}]`, `must be a number, not ${describe(bound)}`);
    }
    conditions.push({ op: op as NumericOperator, bound });
  }
  if (conditions.length === 2) {
    const [lower, upper] = conditions;
    // EventBridge accepts a range only as a lower bound followed by an upper bound.
    if (!(lower.op === '>' || lower.op === '>=') || !(upper.op === '<' || upper.op === '<=')) {
      throw new EventPatternError(path, 'a range must be a lower bound (> or >=) followed by an upper bound (< or <=)');
    }
    if (lower.bound >= upper.bound) throw new EventPatternError(path, 'the lower bound must be below the upper bound');
  }
  return (leaf) => typeof leaf === 'number' && conditions.every(({ op, bound }) => NUMERIC_OPERATORS[op](leaf, bound));
}

function compileAnythingBut(operand: unknown, path: string): ValueMatcher {
  if (typeof operand === 'string' || typeof operand === 'number') {
    return (leaf) => leaf !== operand;
  }
  if (Array.isArray(operand)) {
    const allStrings = operand.every((v) => typeof v === 'string');
    const allNumbers = operand.every((v) => typeof v === 'number');
    if (operand.length === 0 || !(allStrings || allNumbers)) {
      throw new EventPatternError(path, 'a list must be non-empty and hold only strings or only numbers');
    }
    const excluded = new Set<unknown>(operand);
    return (leaf) => !excluded.has(leaf);
  }
  if (isPlainObject(operand) && Object.keys(operand).length === 1) {
    const [inner] = Object.keys(operand);
    const innerPath = `${path}.${inner}`;
    const value = operand[inner];
    switch (inner) {
      case 'prefix': {
        const p = requireString(value, innerPath);
        return (leaf) => typeof leaf === 'string' && !leaf.startsWith(p);
      }
      case 'suffix': {
        const s = requireString(value, innerPath);
        return (leaf) => typeof leaf === 'string' && !leaf.endsWith(s);
      }
      case 'equals-ignore-case': {
        const excluded = requireStrings(value, innerPath).map((v) => v.toLowerCase());
        return (leaf) => typeof leaf === 'string' && !excluded.includes(leaf.toLowerCase());
      }
      case 'wildcard': {
        const regexes = requireStrings(value, innerPath).map((v, i) => compileWildcard(v, Array.isArray(value) ? `${innerPath}[${i}]` : innerPath));
        return (leaf) => typeof leaf === 'string' && !regexes.some((r) => r.test(leaf));
      }
      default:
        throw new EventPatternError(innerPath, `anything-but does not support "${inner}"`);
    }
  }
  throw new EventPatternError(path, `must be a string, a number, a list, or {prefix|suffix|equals-ignore-case|wildcard}, not ${describe(operand)}`);
}

/**
 * `*` matches any run of characters (including none); `\*` is a literal
 * asterisk and `\\` a literal backslash. Consecutive wildcards and other
 * escapes are rejected, as EventBridge does.
 */
function compileWildcard(pattern: string, path: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw new EventPatternError(path, 'a backslash may only escape "*" or "\\"');
      source += escapeRegExp(next);
      i++;
    } else if (ch === '*') {
      if (pattern[i + 1] === '*') throw new EventPatternError(path, 'consecutive wildcard characters are not allowed');
      source += '[\\s\\S]*';
    } else {
      source += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${source}$`);
}

// ---------------------------------------------------------------------------
// Matching

function matchField(field: FieldMatcher, value: unknown): boolean {
  const leaves = leavesOf(value);
  if (leaves.length === 0) return field.matchesAbsent;
  return leaves.some((leaf) => field.values.some((match) => match(leaf)));
}

/** The leaf values at a path: the value itself, or the scalar elements of an array (nested arrays flattened). */
function leavesOf(value: unknown): Leaf[] {
  if (value === undefined) return [];
  if (isLeaf(value)) return [value];
  if (Array.isArray(value)) return flatten(value).filter(isLeaf);
  return []; // an object is an intermediate node, not a value
}

function flatten(values: unknown[]): unknown[] {
  return values.flatMap((v) => (Array.isArray(v) ? flatten(v) : [v]));
}

// ---------------------------------------------------------------------------
// Helpers

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isLeaf(value: unknown): value is Leaf {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new EventPatternError(path, `must be a string, not ${describe(value)}`);
  return value;
}

function requireStrings(value: unknown, path: string): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  throw new EventPatternError(path, `must be a string or a non-empty list of strings, not ${describe(value)}`);
}

function sameIgnoringCase(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
