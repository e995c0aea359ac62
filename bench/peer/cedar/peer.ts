/**
 * The Cedar peer: the policies of policies.ts preparsed once per policy
 * version (`preparsePolicySet`), then per request the principal, resource
 * and context built from the request, one `statefulIsAuthorized` call, and
 * the reasons turned back into findings. Everything a caller would do per
 * request is inside `evaluate` (and so inside the benchmark's timing): the
 * catalogue lookup and the other facts computed in code, building the
 * entities and context, the call across the WebAssembly boundary (Cedar
 * serialises its input and answer as JSON), and reading the reasons. The
 * vendor entity is built once per catalogue vendor and reused, as a Cedar
 * user would cache entities of static data.
 */
import type { CedarValueJson, EntityJson } from '@cedar-policy/cedar-wasm/nodejs';
import { getCedarSDKVersion, getCedarVersion, preparsePolicySet, statefulIsAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import { DATA_CLASSIFICATIONS, type PurchaseRequest } from '../../../functions/domain/events';
import type { ApproverTier, Severity, Vendor } from '../../../functions/domain/policy';
import type { PreparedPolicy } from '../../../functions/domain/prepared-policy';
import { resolveCategory } from '../../../functions/domain/rules/category';
import { purchaseVendorIdentity, type VendorIdentity } from '../../../functions/domain/rules/vendor-identity';
import { annualise } from '../../../functions/domain/rules/spend';
import { nameKey } from '../../../functions/domain/vendor-catalogue';
import { peerDecision, type PeerDecision } from '../decision';
import { BASE_POLICY_ID, NAMESPACE, PURCHASE_ACTION, compileCedarPolicies, type PolicyMeaning } from './policies';

const DAY_MS = 86_400_000;
const VENDOR_TYPE = `${NAMESPACE}::Vendor`;
const REQUESTER_TYPE = `${NAMESPACE}::Requester`;
/** The resource when the catalogue does not know the vendor. */
const UNKNOWN_VENDOR: EntityJson = { uid: { type: VENDOR_TYPE, id: '(unknown)' }, attrs: { status: 'unknown' }, parents: [] };

let policySetCounter = 0;

export class CedarPeer {
  readonly policyCount: number;
  private readonly policySetId: string;
  private readonly meanings: Map<string, PolicyMeaning>;
  private readonly vendorEntities = new Map<string, EntityJson>();

  constructor(private readonly prepared: PreparedPolicy) {
    const { policies, meanings } = compileCedarPolicies(prepared);
    this.policyCount = Object.keys(policies).length;
    this.meanings = meanings;
    this.policySetId = `guardrail-${prepared.policy.version}-${++policySetCounter}`;
    const parsed = preparsePolicySet(this.policySetId, { staticPolicies: policies });
    if (parsed.type !== 'success') throw new Error(`Cedar refused the policies: ${parsed.errors.map((e) => e.message).join('; ')}`);
  }

  evaluate(request: PurchaseRequest, now: Date): PeerDecision {
    const stated = statedFacts(request);
    // Which entry a request is about is a lookup, not a condition: computed in code, as a Cedar user would.
    const identity = purchaseVendorIdentity(this.prepared.catalogue, request);
    const match = identity.match;
    const vendor = match ? this.vendorEntity(match.vendor) : UNKNOWN_VENDOR;
    const principal: EntityJson = {
      uid: { type: REQUESTER_TYPE, id: request.requester.email ?? '(unknown)' },
      attrs: { department: nameKey(stated.department) },
      parents: [],
    };
    const answer = statefulIsAuthorized({
      principal: principal.uid,
      action: PURCHASE_ACTION,
      resource: vendor.uid,
      context: this.context(request, stated, identity, now),
      preparsedPolicySetId: this.policySetId,
      entities: [principal, vendor],
    });
    if (answer.type !== 'success') throw new Error(`Cedar failed: ${answer.errors.map((e) => e.message).join('; ')}`);
    const { reason, errors } = answer.response.diagnostics;
    // A policy that errs is skipped by Cedar: that would be a bug in the policies, never a decision.
    if (errors.length > 0) throw new Error(`Cedar policy errors: ${errors.map((e) => `${e.policyId}: ${e.error.message}`).join('; ')}`);
    const findings: { code: string; severity: Severity }[] = [];
    let approver: ApproverTier = 'none';
    for (const id of reason) {
      if (id === BASE_POLICY_ID) continue;
      const meaning = this.meanings.get(id)!;
      findings.push(meaning);
      if (meaning.approver) approver = meaning.approver;
    }
    return peerDecision(findings, approver);
  }

  private context(request: PurchaseRequest, stated: StatedFacts, identity: VendorIdentity, now: Date): Record<string, CedarValueJson> {
    const { policy } = this.prepared;
    const { match } = identity;
    const category = resolveCategory(this.prepared, { explicit: request.category, match, keywordText: `${request.product} ${request.vendor.name}` });
    const today = dayNumber(now.toISOString().slice(0, 10));
    const context: Record<string, CedarValueJson> = {
      vendorConfidence: match?.confidence ?? 'none',
      suggestionSeverity: identity.findings.find((f) => f.code === 'VENDOR_MATCH_UNCERTAIN')?.severity ?? 'none',
      vendorProductMismatch: identity.findings.some((f) => f.code === 'VENDOR_PRODUCT_MISMATCH'),
      classification: stated.classification,
      classificationRank: DATA_CLASSIFICATIONS.indexOf(stated.classification),
      currency: stated.currency,
      billingPeriod: stated.billingPeriod,
      autoRenew: request.autoRenew === true,
      today,
    };
    const explicit = request.category?.trim().toLowerCase();
    if (explicit) context.explicitCategory = explicit;
    if (category.resolved) context.resolvedCategory = category.resolved.category.id;
    const { baseCurrency, exchangeRates } = policy.spend;
    const rate = stated.currency === baseCurrency ? 1 : exchangeRates[stated.currency];
    if (rate !== undefined) context.annualisedCents = Math.round(annualise(stated.value, stated.billingPeriod) * rate * 100);
    if (request.termMonths !== undefined) context.termMonths = request.termMonths;
    if (request.expectedSigningDate) context.signingInDays = dayNumber(request.expectedSigningDate) - today;
    return context;
  }

  private vendorEntity(vendor: Vendor): EntityJson {
    let entity = this.vendorEntities.get(vendor.id);
    if (!entity) {
      const attrs: Record<string, CedarValueJson> = {
        status: vendor.status,
        reviewStatus: vendor.securityReview?.status ?? 'none',
        dpaSigned: vendor.dpaSigned,
        ssoSupported: vendor.ssoSupported,
        scimSupported: vendor.scimSupported,
        agreementType: vendor.agreement?.type ?? 'none',
      };
      if (vendor.securityReview?.expiresOn) attrs.reviewExpiresDay = dayNumber(vendor.securityReview.expiresOn);
      if (vendor.approvedDataClassification) attrs.approvedRank = DATA_CLASSIFICATIONS.indexOf(vendor.approvedDataClassification);
      entity = { uid: { type: VENDOR_TYPE, id: vendor.id }, attrs, parents: [] };
      this.vendorEntities.set(vendor.id, entity);
    }
    return entity;
  }
}

export function cedarVersion(): string {
  return `${getCedarSDKVersion()} (Cedar ${getCedarVersion()})`;
}

function dayNumber(isoDate: string): number {
  return Math.round(Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS);
}

type StatedFacts = ReturnType<typeof statedFacts>;

/** The peer covers requests that state every fact (the benchmark generates only those); the rules for missing facts are ours alone. */
function statedFacts(request: PurchaseRequest) {
  const { amount, dataClassification, billingPeriod, requester } = request;
  if (!amount?.currency || !dataClassification || !billingPeriod || !requester.department) {
    throw new Error(`peer: request ${request.requestId} leaves a fact out; the peer compares only complete requests`);
  }
  return { value: amount.value, currency: amount.currency, classification: dataClassification, billingPeriod, department: requester.department };
}
