/**
 * The policy in the local store: see the current version (or any imported
 * one), import a new version while the runtime holds the data folder
 * (`guardrail policy import` falls back to this route then), or try one
 * without importing it (`?dryRun=1`: the stored requests decided again under
 * it, and what it changes against the current policy). Bodies are JSON or
 * YAML. Validation and storage are the adapters' own: the same checks a
 * deployed import runs.
 */
import {
  ConcurrentPolicyChangeError,
  InvalidPolicyError,
  PolicyLoadError,
  PolicyNotFoundError,
  PolicyVersionConflictError,
} from '../../adapters/dynamodb/policy-errors';
import { scanStoredDecisions } from '../../adapters/dynamodb/request-scan';
import { parsePolicyText, PolicyValidationError } from '../../adapters/policy-file';
import type { Policy } from '../../domain/policy';
import { diffPolicies } from '../../domain/policy-diff';
import { importPolicyVersion, PolicyNotNewerError } from '../../domain/use-cases/policy/import';
import { parseSimulationOptions, simulatePolicy } from '../../domain/use-cases/policy/simulate';
import type { LocalRuntimeContext, RouteGroup } from '../context';
import { HttpError, json, readDocumentBody } from '../http';
import { assertKnownParams, flagParam, textParam } from '../query';
import type { RouteRequest } from '../router';

/** A catalogue of thousands of vendors is a few MB; the store splits it into items. */
const MAX_POLICY_BODY_BYTES = 8 * 1024 * 1024;

export const policyRoutes: RouteGroup = (context) => [
  {
    method: 'GET',
    path: '/policy',
    summary: 'the current policy and every imported version; ?version=V for an older one',
    async handle({ url }) {
      assertKnownParams(url, ['version']);
      const versions = await context.policies.listVersions();
      const wanted = textParam(url, 'version');
      if (wanted !== undefined) {
        if (!versions.some((v) => v.version === wanted))
          throw new HttpError(404, `no policy version "${wanted}" is stored`, { versions: versions.map((v) => v.version) });
        return json(200, { version: wanted, versions, policy: await context.policies.loadVersion(wanted) });
      }
      const current = await currentPolicy(context);
      return json(200, { version: current?.version ?? null, versions, policy: current ?? null });
    },
  },
  {
    method: 'POST',
    path: '/policy',
    summary: 'import a policy (JSON or YAML) as a new version; ?force=1 for one not newer; ?dryRun=1[&since=&limit=&now=] simulates it instead',
    async handle(request) {
      const { url } = request;
      assertKnownParams(url, ['dryRun', 'force', 'since', 'limit', 'now']);
      const dryRun = flagParam(url, 'dryRun');
      if (!dryRun && ['since', 'limit', 'now'].some((p) => url.searchParams.has(p))) {
        throw new HttpError(400, 'since, limit and now go with ?dryRun=1 (a simulation); an import takes only ?force=1');
      }
      const policy = await readPolicy(request);
      return dryRun ? simulate(context, policy, url) : importPolicy(context, policy, flagParam(url, 'force'));
    },
  },
];

async function readPolicy({ req }: RouteRequest): Promise<Policy> {
  const { text, format } = await readDocumentBody(req, MAX_POLICY_BODY_BYTES, { yaml: true, example: 'policy.yaml' });
  try {
    return parsePolicyText(text, 'policy', format);
  } catch (error) {
    if (error instanceof PolicyValidationError) throw new HttpError(400, 'invalid policy', { problems: error.problems });
    throw error;
  }
}

async function currentPolicy(context: LocalRuntimeContext): Promise<Policy | undefined> {
  try {
    return await context.policies.loadCurrent();
  } catch (error) {
    if (error instanceof PolicyNotFoundError) return undefined;
    throw error;
  }
}

async function importPolicy(context: LocalRuntimeContext, policy: Policy, force: boolean) {
  try {
    const report = await importPolicyVersion(context.policies, policy, { force });
    context.print(`  ${report.message}`);
    return json(report.written || report.activated ? 201 : 200, report);
  } catch (error) {
    if (error instanceof PolicyNotNewerError) {
      throw new HttpError(409, `${error.message} with ?force=1`, {
        current: error.current,
        candidate: error.candidate,
        order: error.order,
        hint: 'POST /policy?force=1 imports it anyway',
      });
    }
    if (error instanceof InvalidPolicyError) throw new HttpError(400, 'invalid policy', { problems: error.problems });
    if (error instanceof PolicyVersionConflictError || error instanceof ConcurrentPolicyChangeError) throw new HttpError(409, error.message);
    if (error instanceof PolicyLoadError) throw new HttpError(500, error.message);
    throw error;
  }
}

/** The stored requests decided again under `policy`: nothing is written, the current policy stays. */
async function simulate(context: LocalRuntimeContext, policy: Policy, url: URL) {
  const raw = { since: textParam(url, 'since'), limit: textParam(url, 'limit'), now: textParam(url, 'now') };
  const { options, problems } = parseSimulationOptions(raw, () => context.clock.now());
  if (problems.length > 0) throw new HttpError(400, problems.join('; '), { problems });
  const current = await currentPolicy(context);
  const simulation = await simulatePolicy({
    candidate: policy,
    pages: scanStoredDecisions(context.tables.documents, context.tables.requestsTable, { since: options.since }),
    ...options,
  });
  const { changed, evaluated } = simulation.totals;
  context.print(`  policy ${policy.version} simulated (dry run): ${changed} of ${evaluated} decisions would change; nothing stored`);
  return json(200, {
    dryRun: true,
    current: current ? { version: current.version } : null,
    diff: current ? diffPolicies(current, policy) : null,
    simulation,
  });
}
