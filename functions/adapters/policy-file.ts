/**
 * Reads a policy document from YAML or JSON text and checks it completely
 * before anything uses it: schema errors, misspelt keys (which zod would
 * otherwise drop silently, quietly weakening a rule), broken cross-references
 * and catalogue clashes are all reported together, each with its path.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { describeIssues, joinPath } from '../domain/problems';
import { PolicySchema, policyConsistencyProblems, type Policy } from '../domain/policy';
import { VendorCatalogue } from '../domain/vendor-catalogue';

/** A policy that must not be used, with every problem found (`vendors[3].status: Invalid option…`). */
export class PolicyValidationError extends Error {
  readonly problems: string[];
  readonly fileName: string;

  constructor(fileName: string, problems: string[]) {
    super(`${fileName}: invalid policy (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`);
    this.name = 'PolicyValidationError';
    this.fileName = fileName;
    this.problems = problems;
  }
}

/** Reads and validates a policy file (`.yaml`, `.yml` or `.json`). */
export function loadPolicyFile(path: string): Policy {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new PolicyValidationError(basename(path), [`cannot read ${path}: ${(err as Error).message}`]);
  }
  return parsePolicyText(text, path);
}

/**
 * Parses policy text. JSON when the file name ends in `.json`, YAML otherwise
 * (YAML 1.2, so `no` stays a string and dates stay text). Throws
 * PolicyValidationError listing every problem.
 */
export function parsePolicyText(text: string, fileName: string): Policy {
  const raw = extname(fileName).toLowerCase() === '.json' ? parseJson(text, fileName) : parseYaml(text, fileName);
  return validatePolicyDocument(raw, fileName);
}

/** Validates an already-parsed document (what a store or API received). */
export function validatePolicyDocument(raw: unknown, fileName = 'policy'): Policy {
  const parsed = PolicySchema.safeParse(raw);
  const unknownKeys = unknownKeyProblems(PolicySchema, raw, '');
  if (!parsed.success) {
    throw new PolicyValidationError(fileName, [...describeIssues(parsed.error.issues, '', '(document)', raw), ...unknownKeys]);
  }
  const problems = [
    ...unknownKeys,
    ...policyConsistencyProblems(parsed.data),
    ...new VendorCatalogue(parsed.data.vendors).problems,
    ...departmentOverrideProblems(parsed.data),
  ];
  if (problems.length > 0) throw new PolicyValidationError(fileName, problems);
  return parsed.data;
}

function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new PolicyValidationError(fileName, [`not valid JSON: ${(err as Error).message}`]);
  }
}

function parseYaml(text: string, fileName: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new PolicyValidationError(
      fileName,
      doc.errors.map((e) => `not valid YAML: ${e.message.split('\n')[0]}`),
    );
  }
  return doc.toJS({ maxAliasCount: 100 });
}

/** `vendors[3].status` from zod's `['vendors', 3, 'status']` (the problems' path style, see {@link joinPath}). */
export function pathText(path: readonly PropertyKey[]): string {
  return joinPath('', ...path) || '(document)';
}

/** Two overrides for one department (in any letter case) would make the tiers depend on list order. */
function departmentOverrideProblems(policy: Policy): string[] {
  const seen = new Set<string>();
  const problems: string[] = [];
  policy.spend.departmentOverrides.forEach((o, i) => {
    const key = o.department.trim().toLowerCase();
    if (seen.has(key)) problems.push(`spend.departmentOverrides[${i}].department: "${o.department}" appears twice`);
    seen.add(key);
  });
  return problems;
}

/**
 * Keys the schema does not define. zod strips them, so a typo such as
 * `blockUnknownVendr: true` would silently leave the real rule at its default.
 */
function unknownKeyProblems(schema: z.ZodType, value: unknown, path: string): string[] {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject && isPlainObject(value)) {
    const shape = inner.shape as Record<string, z.ZodType>;
    return Object.entries(value).flatMap(([key, child]) => {
      const childPath = path === '' ? key : `${path}.${key}`;
      return key in shape ? unknownKeyProblems(shape[key], child, childPath) : [`${childPath}: unknown field`];
    });
  }
  if (inner instanceof z.ZodArray && Array.isArray(value)) {
    return value.flatMap((item, i) => unknownKeyProblems(inner.element as z.ZodType, item, `${path}[${i}]`));
  }
  if (inner instanceof z.ZodRecord && isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, child]) =>
      unknownKeyProblems(inner.valueType as z.ZodType, child, `${path}.${key}`),
    );
  }
  return [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      current = current.in as z.ZodType;
    } else {
      return current;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
