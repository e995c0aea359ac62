/**
 * Reads a policy document from YAML or JSON text and checks it completely
 * before anything uses it: syntax errors, schema errors, misspelt keys (which
 * zod would otherwise drop silently, quietly weakening a rule), broken
 * cross-references and catalogue clashes are all reported together, each
 * with its path, so one run names every problem.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { describeIssues } from '../domain/problems';
import { ApproverSchema } from '../domain/approvals/config';
import { CategorySchema, DepartmentSchema, PolicySchema, VendorSchema, policyConsistencyProblems, type Category, type Policy } from '../domain/policy';
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

export type PolicyTextFormat = 'json' | 'yaml';

/**
 * Parses policy text: JSON or YAML as `format` says, else by the file name
 * (`.json` is JSON, anything else YAML 1.2, so `no` stays a string and dates
 * stay text). Throws PolicyValidationError listing every problem: YAML syntax
 * errors come first, then what is wrong in the part that could be read.
 */
export function parsePolicyText(text: string, fileName: string, format: PolicyTextFormat = formatOfName(fileName)): Policy {
  const { value, problems } = format === 'json' ? parseJson(text) : parseYaml(text);
  if (value === undefined) throw new PolicyValidationError(fileName, problems);
  let policy: Policy;
  try {
    policy = validatePolicyDocument(value, fileName);
  } catch (error) {
    if (error instanceof PolicyValidationError && problems.length > 0) throw new PolicyValidationError(fileName, [...problems, ...error.problems]);
    throw error;
  }
  if (problems.length > 0) throw new PolicyValidationError(fileName, problems);
  return policy;
}

function formatOfName(fileName: string): PolicyTextFormat {
  return extname(fileName).toLowerCase() === '.json' ? 'json' : 'yaml';
}

/** Validates an already-parsed document (what a store or API received). */
export function validatePolicyDocument(raw: unknown, fileName = 'policy'): Policy {
  const parsed = PolicySchema.safeParse(raw);
  const unknownKeys = unknownKeyProblems(PolicySchema, raw, '');
  if (!parsed.success) {
    // The cross-references are still checked on the entries that are valid, so one run names everything.
    const schemaProblems = describeIssues(parsed.error.issues, '', '(document)', raw);
    throw new PolicyValidationError(fileName, [...schemaProblems, ...unknownKeys, ...salvagedConsistencyProblems(raw)]);
  }
  const problems = [...unknownKeys, ...consistencyProblems(parsed.data)];
  if (problems.length > 0) throw new PolicyValidationError(fileName, problems);
  return parsed.data;
}

function consistencyProblems(policy: Policy): string[] {
  return [...policyConsistencyProblems(policy), ...new VendorCatalogue(policy.vendors).problems, ...departmentOverrideProblems(policy)];
}

function parseJson(text: string): { value?: unknown; problems: string[] } {
  try {
    return { value: JSON.parse(text), problems: [] };
  } catch (err) {
    return { problems: [`not valid JSON: ${(err as Error).message}`] };
  }
}

/** A YAML document with syntax errors is still read as far as it goes, so its other problems show too. */
function parseYaml(text: string): { value?: unknown; problems: string[] } {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problems = doc.errors.map((e) => `not valid YAML: ${e.message.split('\n')[0]}`);
  try {
    return { value: doc.toJS({ maxAliasCount: 100 }), problems };
  } catch (err) {
    return { problems: [...problems, `not valid YAML: ${(err as Error).message}`] };
  }
}

/**
 * Cross-reference problems of a document that failed the schema, found on
 * its valid entries (paths keep the entries' positions in the document).
 * Entries that failed are left out rather than guessed at; a category that
 * failed still counts as existing, so vendors in it are not reported twice.
 */
function salvagedConsistencyProblems(raw: unknown): string[] {
  if (!isPlainObject(raw)) return [];
  const vendors = validEntries(raw.vendors, VendorSchema);
  const categories = validEntries(raw.categories, CategorySchema);
  const categoryIds = Array.isArray(raw.categories) ? raw.categories.flatMap((c) => (isPlainObject(c) && typeof c.id === 'string' ? [c.id] : [])) : [];
  const knownCategories = categoryIds.map((id) => categories.items.find((c) => c.id === id) ?? ({ id } as Category));
  const spend = isPlainObject(raw.spend) ? raw.spend : {};
  const overrides = validEntries(spend.departmentOverrides, (unwrap(PolicySchema.shape.spend.shape.departmentOverrides) as z.core.$ZodArray)._zod.def.element);
  const approvals = isPlainObject(raw.approvals) ? raw.approvals : {};
  const approvers = validEntries(approvals.approvers, ApproverSchema);
  const intake = PolicySchema.shape.intake.safeParse(raw.intake);
  const departments = validEntries(raw.departments, DepartmentSchema);
  const partial = {
    departments: departments.items,
    vendors: vendors.items,
    // The intake section's own checks run when it is valid; when it is not, its schema problems already say why.
    intake: intake.success ? intake.data : { classificationSynonyms: {} },
    categories: knownCategories,
    spend: { departmentOverrides: overrides.items },
    // Whether someone holds every tier can only be judged on a directory whose every entry is valid.
    approvals: approvers.complete && approvers.items.length > 0 ? { approvers: approvers.items } : undefined,
  } as unknown as Policy;
  let problems: string[];
  try {
    problems = consistencyProblems(partial);
  } catch {
    return []; // a check that needs a section the schema refused: it runs once that is fixed
  }
  return problems.map((p) =>
    p
      .replace(/^vendors\[(\d+)\]/, (_m, i: string) => `vendors[${vendors.positions[Number(i)]}]`)
      .replace(/^spend\.departmentOverrides\[(\d+)\]/, (_m, i: string) => `spend.departmentOverrides[${overrides.positions[Number(i)]}]`)
      .replace(/approvals\.approvers\[(\d+)\]/g, (_m, i: string) => `approvals.approvers[${approvers.positions[Number(i)]}]`)
      .replace(/^departments\[(\d+)\]/, (_m, i: string) => `departments[${departments.positions[Number(i)]}]`),
  );
}

/** The entries of a list that pass `schema`, with their positions in the list. */
function validEntries<T>(list: unknown, schema: z.core.$ZodType<T>): { items: T[]; positions: number[]; complete: boolean } {
  const items: T[] = [];
  const positions: number[] = [];
  if (!Array.isArray(list)) return { items, positions, complete: false };
  list.forEach((entry, i) => {
    const parsed = z.safeParse(schema, entry);
    if (parsed.success) {
      items.push(parsed.data);
      positions.push(i);
    }
  });
  return { items, positions, complete: items.length === list.length };
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
function unknownKeyProblems(schema: z.core.$ZodType, value: unknown, path: string): string[] {
  const inner = unwrap(schema);
  if (inner instanceof z.core.$ZodObject && isPlainObject(value)) {
    const shape = inner._zod.def.shape;
    return Object.entries(value).flatMap(([key, child]) => {
      const childPath = path === '' ? key : `${path}.${key}`;
      return Object.hasOwn(shape, key) ? unknownKeyProblems(shape[key], child, childPath) : [`${childPath}: unknown field`];
    });
  }
  if (inner instanceof z.core.$ZodArray && Array.isArray(value)) {
    return value.flatMap((item, i) => unknownKeyProblems(inner._zod.def.element, item, `${path}[${i}]`));
  }
  if (inner instanceof z.core.$ZodRecord && isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, child]) => unknownKeyProblems(inner._zod.def.valueType, child, `${path}.${key}`));
  }
  return [];
}

/** Through optional, nullable, default and pipe wrappers (classic or zod/mini schemas alike: both are zod core types). */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current: z.core.$ZodType = schema;
  for (;;) {
    if (current instanceof z.core.$ZodOptional || current instanceof z.core.$ZodNullable || current instanceof z.core.$ZodDefault) {
      current = current._zod.def.innerType;
    } else if (current instanceof z.core.$ZodPipe) {
      current = current._zod.def.in;
    } else {
      return current;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
