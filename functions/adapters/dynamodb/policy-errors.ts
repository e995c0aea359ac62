/** What can go wrong reading or writing the policy in DynamoDB, each with what to do about it. */

export class PolicyNotFoundError extends Error {
  constructor(message = 'no current policy: import one (for example policy/default.yaml) before sending events') {
    super(message);
    this.name = 'PolicyNotFoundError';
  }
}

/** The version already exists with other content: versions are immutable, so the import needs a new version. */
export class PolicyVersionConflictError extends Error {
  constructor(readonly version: string) {
    super(`policy version "${version}" already exists with different content; give the changed policy a new version`);
    this.name = 'PolicyVersionConflictError';
  }
}

/** Someone else moved the pointer between reading it and flipping it. */
export class ConcurrentPolicyChangeError extends Error {
  constructor(
    readonly expected: string | null,
    readonly attempted: string,
  ) {
    super(
      `the current policy is no longer ${expected === null ? '(none)' : `"${expected}"`}: another import or activation ran meanwhile; ` +
        `"${attempted}" was stored but not activated; check the current version and activate it again if still wanted`,
    );
    this.name = 'ConcurrentPolicyChangeError';
  }
}

/** Stored items do not add up to a valid policy (edited by hand, or an import that never finished). */
export class PolicyLoadError extends Error {
  constructor(
    readonly version: string,
    readonly problems: string[],
  ) {
    super(`policy version "${version}" cannot be loaded: ${problems.join('; ')}`);
    this.name = 'PolicyLoadError';
  }
}

export class InvalidPolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`policy is not valid:\n  ${problems.join('\n  ')}`);
    this.name = 'InvalidPolicyError';
  }
}
