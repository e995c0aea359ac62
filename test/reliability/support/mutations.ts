/**
 * fast-check generators for bad input: real events and native payloads with
 * one to three things wrong (a field removed, of the wrong type, empty,
 * enormous, full of control characters or markup, an unknown key such as
 * `__proto__`), plus arbitrary JSON and text. Starting from valid samples
 * keeps most cases close to what a buggy or hostile sender really produces,
 * which is where validators break.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';

export const HOSTILE_MARKUP = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '</textarea><script>alert(2)</script>',
  '<a href="javascript:alert(3)">click</a>',
  '*[Approve](http://evil.example/approve)*',
  '<!--',
  '<svg onload=alert(4)>',
];

/** Strings a validator has to survive. */
export const awkwardString: fc.Arbitrary<string> = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\t\n', '\u0000', '\u202e', 'null', 'undefined', 'NaN', '-1', '1e309', '__proto__', 'constructor'),
  fc.constantFrom(...HOSTILE_MARKUP),
  fc.string({ minLength: 250, maxLength: 5_000 }),
  fc.stringMatching(/^[\u0000-\u001f\u007f]{1,8}$/),
);

const awkwardNumber: fc.Arbitrary<number> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, 1.5, 1e12 + 1, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2),
);

/** A JSON value of the wrong kind, or a valid-looking one in the wrong place. */
export const replacementValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: awkwardString },
  { weight: 2, arbitrary: awkwardNumber },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.constant([]) },
);

type Path = (string | number)[];

/** Every path into a JSON value (objects and arrays), the root excluded. */
export function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...prefix, i]);
      pathsOf(v, [...prefix, i], out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push([...prefix, k]);
      pathsOf(v, [...prefix, k], out);
    }
  }
  return out;
}

export type Mutation = { op: 'delete'; path: Path } | { op: 'replace'; path: Path; value: unknown } | { op: 'add'; path: Path; key: string; value: unknown };

/** One to three mutations of `base`, each at a path that exists in it. */
export function mutationsOf(base: unknown): fc.Arbitrary<Mutation[]> {
  const paths = pathsOf(base);
  const containers: Path[] = [[], ...paths.filter((p) => isObject(get(base, p)))];
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), path: fc.constantFrom(...paths) }) },
    { weight: 5, arbitrary: fc.record({ op: fc.constant('replace' as const), path: fc.constantFrom(...paths), value: replacementValue }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('add' as const),
        path: fc.constantFrom(...containers),
        key: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString')),
        value: replacementValue,
      }),
    },
  );
  return fc.array(mutation, { minLength: 1, maxLength: 3 });
}

/** A deep copy of `base` with the mutations applied (JSON round trip: only what a sender could send). */
export function applyMutations(base: unknown, mutations: readonly Mutation[]): unknown {
  let value: unknown = JSON.parse(JSON.stringify(base));
  // Values are copied in: fast-check may hand the same object to several mutations (and cases).
  const copy = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  for (const m of mutations) {
    if (m.path.length === 0 && m.op !== 'add') {
      value = m.op === 'replace' ? copy(m.value) : undefined;
      continue;
    }
    const parentPath = m.op === 'add' ? m.path : m.path.slice(0, -1);
    const parent = parentPath.length === 0 ? value : get(value, parentPath);
    if (!isObject(parent) && !Array.isArray(parent)) continue; // an earlier mutation removed it
    const container = parent as Record<string | number, unknown>;
    if (m.op === 'add') {
      // defineProperty: `__proto__` becomes an own key, as JSON.parse makes it, instead of a prototype change.
      Object.defineProperty(container, m.key, { value: copy(m.value), enumerable: true, writable: true, configurable: true });
    } else {
      const key = m.path[m.path.length - 1];
      if (m.op === 'delete') {
        if (Array.isArray(container) && typeof key === 'number') container.splice(key, 1);
        else delete container[key];
      } else container[key] = copy(m.value);
    }
  }
  // What reaches a Lambda or an HTTP endpoint is JSON text, parsed.
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function get(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The native samples of one source (events/<source>/*.json, without expectations and options files). */
export function nativeSamples(root: string, source: string): { name: string; payload: unknown; options?: unknown }[] {
  const dir = join(root, 'events', source);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.endsWith('.expected.json') && !f.endsWith('.options.json'))
    .sort()
    .map((f) => {
      const payload = JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown;
      const optionsFile = join(dir, f.replace(/\.json$/, '.options.json'));
      let options: unknown;
      try {
        options = JSON.parse(readFileSync(optionsFile, 'utf8'));
      } catch {
        options = undefined;
      }
      return { name: `${source}/${f}`, payload, ...(options === undefined ? {} : { options }) };
    });
}
