/**
 * Policy evaluation: a canonical event plus a prepared policy in, a Decision
 * out. Pure and deterministic (the clock is an argument, findings are sorted)
 * so the Lambdas, the local runtime, the CLI and the tests all reach the same
 * verdict for the same input, and a stored decision can be re-derived.
 *
 * The rules live in `rules/`, one concern per file; this module only decides
 * which rules apply to which kind of event and assembles the decision.
 */
import type { Decision, VendorMatch } from './decision';
import { recordIdOf, type AppConnected, type GuardrailEvent, type PurchaseRequest } from './events';
import type { PreparedPolicy } from './prepared-policy';
import type { CatalogueMatch, VendorCatalogue } from './vendor-catalogue';
import { resolveCategory, type ResolvedCategory } from './rules/category';
import { contractTermFindings } from './rules/contract-terms';
import { dataClassificationFindings } from './rules/data-classification';
import { duplicateCapabilityFindings } from './rules/duplicate-capability';
import { isoInstant, type RuleFinding } from './rules/findings';
import { adminConsentFinding, managedAppFinding, riskyScopeFindings, scopesShortenedFinding, unattributedActorFinding } from './rules/app-connection';
import { verdictOf, type Verdict } from './rules/outcome';
import { appVendorIdentity, purchaseVendorIdentity } from './rules/vendor-identity';
import { classificationOf, intakeNoteFindings, missingPartyFindings } from './rules/stated-facts';
import { assessSpend, type SpendAssessment } from './rules/spend';
import { knownVendorFindings, sanctionedAlternatives, unknownVendorFinding, unsanctionedAppFinding } from './rules/vendor-status';

/** Evaluates a purchase request before the contract is signed. */
export function evaluatePurchaseRequest(request: PurchaseRequest, prepared: PreparedPolicy, now: Date): Decision {
  const identity = purchaseVendorIdentity(prepared.catalogue, request);
  const { match } = identity;
  const seenAs = request.vendor.name ?? request.vendor.domain ?? request.product ?? 'the vendor';
  const displayName = match?.name ?? seenAs;
  const category = resolveCategory(prepared, {
    explicit: request.category,
    match,
    keywordText: [request.product, request.vendor.name].filter((t) => t !== undefined).join(' '),
  });
  const classification = classificationOf(request, prepared);
  const dataRule = prepared.policy.dataClassification[classification.level];
  const spend = assessSpend(prepared, request, match, now);

  const findings: RuleFinding[] = [
    ...identity.findings,
    ...category.findings,
    ...classification.findings,
    ...missingPartyFindings(request),
    ...intakeNoteFindings(request.intakeNotes),
    ...(match
      ? knownVendorFindings(prepared, match, category.resolved, seenAs)
      : [unknownVendorFinding(seenAs, classification.level, dataRule, sanctionedAlternatives(prepared, category.resolved?.category.id))]),
    ...duplicateCapabilityFindings(prepared, displayName, match, category.resolved),
    ...spend.findings,
    ...(match ? dataClassificationFindings(match.vendor, classification.level, dataRule, now) : []),
    ...contractTermFindings(request, prepared.policy.contracts, now),
  ];

  const verdict = verdictOf(findings, spend.requiredApprover, allowedBecause(match, category.resolved, displayName));
  return decisionOf({ kind: 'purchase-request', detail: request }, verdict, prepared, now, match ?? identity.suggestion, category.resolved, spend);
}

/** Evaluates an app added to SSO, a user assigned to one, or an OAuth consent. */
export function evaluateAppConnected(event: AppConnected, prepared: PreparedPolicy, now: Date): Decision {
  const actor = unattributedActorFinding(prepared, event);
  const managed = managedAppFinding(prepared, event);
  if (managed) {
    // Platform-managed apps are allowed outright: their scopes are the platform's own.
    const verdict = verdictOf(present([managed, actor]), undefined, `${event.app.name} is a platform-managed app`);
    return decisionOf({ kind: 'app-connected', detail: event }, verdict, prepared, now);
  }

  const identity = appVendorIdentity(prepared.catalogue, event.app.name, event.app.domain);
  const { match } = identity;
  const displayName = match?.name ?? event.app.name;
  const category = resolveCategory(prepared, { match, keywordText: event.app.name });
  const findings: RuleFinding[] = [
    ...identity.findings,
    ...category.findings,
    ...(match
      ? knownVendorFindings(prepared, match, category.resolved, event.app.name)
      : [unsanctionedAppFinding(event.app.name, event.connectionKind, sanctionedAlternatives(prepared, category.resolved?.category.id))]),
    ...duplicateCapabilityFindings(prepared, displayName, match, category.resolved),
    ...riskyScopeFindings(prepared, event),
    ...intakeNoteFindings(event.intakeNotes),
    ...present([adminConsentFinding(prepared, event), scopesShortenedFinding(event), actor]),
  ];

  const verdict = verdictOf(findings, undefined, allowedBecause(match, category.resolved, displayName));
  return decisionOf({ kind: 'app-connected', detail: event }, verdict, prepared, now, match ?? identity.suggestion, category.resolved);
}

/** Dispatches on the event kind; what the handlers, local runtime and CLI call. */
export function evaluateEvent(event: GuardrailEvent, prepared: PreparedPolicy, now: Date): Decision {
  return event.kind === 'purchase-request' ? evaluatePurchaseRequest(event.detail, prepared, now) : evaluateAppConnected(event.detail, prepared, now);
}

/** The catalogue entry the rules apply to a purchase request (see rules/vendor-identity.ts). */
export function matchPurchaseVendor(catalogue: VendorCatalogue, request: PurchaseRequest): CatalogueMatch | undefined {
  return purchaseVendorIdentity(catalogue, request).match;
}

function allowedBecause(match: CatalogueMatch | undefined, resolved: ResolvedCategory | undefined, name: string): string {
  const category = resolved ? ` for ${resolved.category.name}` : '';
  if (match?.status === 'sanctioned') return `${name} is sanctioned${category}`;
  if (match?.status === 'tolerated') return `${name} is tolerated${category}`;
  // Only low findings can leave an uncatalogued app allowed (a user added to an existing tile): say so, not "fine".
  if (!match) return `${name} is not in the catalogue yet; noted for IT`;
  return `${name} raised no policy concerns`;
}

function present<T>(items: readonly (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}

function vendorMatchOf(match: CatalogueMatch): VendorMatch {
  const { vendorId, name, status, category, matchedBy, confidence } = match;
  return { vendorId, name, status, category, matchedBy, confidence };
}

function decisionOf(
  event: GuardrailEvent,
  verdict: Verdict,
  prepared: PreparedPolicy,
  now: Date,
  match?: CatalogueMatch,
  resolved?: ResolvedCategory,
  spend?: SpendAssessment,
): Decision {
  const decision: Decision = {
    kind: event.kind,
    recordId: recordIdOf(event),
    outcome: verdict.outcome,
    severity: verdict.severity,
    findings: verdict.findings,
    summary: verdict.summary,
    policyVersion: prepared.policy.version,
    evaluatedAt: isoInstant(now),
  };
  if (match) decision.vendor = vendorMatchOf(match);
  if (resolved) decision.category = resolved.category.id;
  if (spend) {
    if (spend.spend) decision.spend = spend.spend;
    decision.requiredApprover = spend.requiredApprover;
    decision.twoStepApproval = spend.twoStepApproval;
  }
  return decision;
}
