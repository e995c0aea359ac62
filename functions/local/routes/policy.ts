/**
 * The policy in the local store: see the current version and the imported
 * ones, and import a new version while the runtime holds the data folder
 * (`guardrail policy import` falls back to this route then). Validation and
 * storage are the adapters' own: the same checks a deployed import runs.
 */
import {
  ConcurrentPolicyChangeError,
  InvalidPolicyError,
  PolicyNotFoundError,
  PolicyVersionConflictError,
} from '../../adapters/dynamodb/policy-errors';
import { PolicyValidationError, validatePolicyDocument } from '../../adapters/policy-file';
import type { RouteGroup } from '../context';
import { HttpError, json, readJsonBody } from '../http';

/** A catalogue of thousands of vendors is a few MB; the store splits it into items. */
const MAX_POLICY_BODY_BYTES = 8 * 1024 * 1024;

export const policyRoutes: RouteGroup = (context) => [
  {
    method: 'GET',
    path: '/policy',
    summary: 'the current policy and every imported version',
    async handle() {
      const versions = await context.policies.listVersions();
      try {
        const policy = await context.policies.loadCurrent();
        return json(200, { version: policy.version, versions, policy });
      } catch (error) {
        if (error instanceof PolicyNotFoundError) return json(200, { version: null, versions, policy: null });
        throw error;
      }
    },
  },
  {
    method: 'POST',
    path: '/policy',
    summary: 'import a policy document (JSON) as a new version and make it current',
    async handle({ req }) {
      const body = await readJsonBody(req, MAX_POLICY_BODY_BYTES);
      let policy;
      try {
        policy = validatePolicyDocument(body, 'policy');
      } catch (error) {
        if (error instanceof PolicyValidationError) throw new HttpError(400, 'invalid policy', { problems: error.problems });
        throw error;
      }
      try {
        const result = await context.policies.importPolicy(policy);
        context.print(
          `  policy ${result.version} imported${result.activated ? ' and now current' : result.written ? '' : ' (already stored, already current)'}`,
        );
        return json(result.written || result.activated ? 201 : 200, result);
      } catch (error) {
        if (error instanceof InvalidPolicyError) throw new HttpError(400, 'invalid policy', { problems: error.problems });
        if (error instanceof PolicyVersionConflictError || error instanceof ConcurrentPolicyChangeError) {
          throw new HttpError(409, error.message);
        }
        throw error;
      }
    },
  },
];
