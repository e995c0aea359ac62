/**
 * Reading a Lambda's environment through a zod schema: every variable that is
 * missing or invalid is found in one pass and reported in one error, one
 * "NAME: problem" line each (domain/problems.ts formats them), instead of the
 * function failing later on an `undefined` table name.
 */
import * as z from '../../domain/zod-mini';
import { describeIssues } from '../../domain/problems';

/** The message of a variable that is not set (or blank); it marks the issue as "missing". */
export const NOT_SET = 'is not set';

/** A variable that must be set: trimmed, blank counts as missing. */
export const requiredVar = z.string({ error: NOT_SET }).check(z.trim(), z.minLength(1, { error: NOT_SET }));

/** An optional variable: trimmed, blank counts as unset. */
export const optionalVar = z.pipe(
  z.optional(z.string()),
  z.transform((value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim())),
);

/**
 * A configuration the deployment got wrong: `missing` names what is not set,
 * `problems` has one line per missing or invalid variable.
 */
export class ConfigurationError extends Error {
  constructor(
    readonly missing: string[],
    readonly problems: string[],
    invalid: string[],
  ) {
    super(
      [
        missing.length > 0
          ? `missing environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: the deployment (CDK stack) must set them on the function`
          : '',
        invalid.length > 0 ? `invalid environment: ${invalid.join('; ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
    this.name = 'ConfigurationError';
  }
}

/** At least one variable is missing (and perhaps others invalid). */
export class MissingConfigurationError extends ConfigurationError {
  constructor(missing: string[], problems: string[] = missing.map((name) => `${name}: ${NOT_SET}`), invalid: string[] = []) {
    super(missing, problems, invalid);
    this.name = 'MissingConfigurationError';
  }
}

/** Everything is set, but something is not usable. */
export class InvalidConfigurationError extends ConfigurationError {
  constructor(problems: string[]) {
    super([], problems, problems);
    this.name = 'InvalidConfigurationError';
  }
}

/** What an issue says is missing: the variable it names, or its own `params.missing` ("A (or B)"). */
function missingName(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'custom' && typeof issue.params?.missing === 'string') return issue.params.missing;
  return issue.message === NOT_SET ? String(issue.path[0]) : undefined;
}

/**
 * Parses `env` with `schema`; throws {@link MissingConfigurationError} when
 * anything is missing, {@link InvalidConfigurationError} otherwise, naming
 * every variable either way. An issue may name what is missing itself
 * (`params.missing`, e.g. "A (or B)") when one of several variables will do.
 */
export function readEnv<S extends z.ZodMiniType>(schema: S, env: NodeJS.ProcessEnv): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues;
  const missing = issues.map(missingName).filter((name): name is string => name !== undefined);
  const problems = describeIssues(issues, '', '(environment)');
  if (missing.length === 0) throw new InvalidConfigurationError(problems);
  throw new MissingConfigurationError(
    missing,
    problems,
    describeIssues(
      issues.filter((issue) => missingName(issue) === undefined),
      '',
      '(environment)',
    ),
  );
}

/** A whole number of seconds ≥ 0 from a variable, or `fallback` when it is unset. */
export function secondsVar(fallback: number) {
  return z.pipe(
    optionalVar,
    z.pipe(
      z.optional(z.pipe(z.string().check(z.regex(/^\d+(\.\d+)?$/, { error: 'must be a number of seconds ≥ 0' })), z.transform(Number))),
      z.transform((value: number | undefined) => value ?? fallback),
    ),
  );
}
