/**
 * A small hand-built policy for rule tests: each test changes one thing with
 * `policyWith` / `vendorWith` so a failure points at one rule, independent of
 * whatever policy/default.yaml says today.
 */
import type { AppConnected, PurchaseRequest } from '../../../functions/domain/events';
import { PolicySchema, type Policy, type PolicyInput, type VendorSchema } from '../../../functions/domain/policy';
import { preparePolicy, type PreparedPolicy } from '../../../functions/domain/prepared-policy';
import type { z } from 'zod';

export const NOW = new Date('2026-11-27T12:00:00Z');

type VendorInput = z.input<typeof VendorSchema>;

export function fixturePolicyInput(): PolicyInput {
  return {
    version: 'test-1',
    vendors: [
      {
        id: 'box',
        name: 'Box',
        aliases: ['Box Enterprise'],
        domains: ['box.com'],
        category: 'file-sharing',
        status: 'sanctioned',
        securityReview: { status: 'approved', completedOn: '2026-01-01', expiresOn: '2028-01-01' },
        dpaSigned: true,
        ssoSupported: true,
        scimSupported: true,
        approvedDataClassification: 'restricted',
        agreement: { type: 'enterprise', seats: 500, seatsUsed: 380, renewalDate: '2027-03-31', owner: 'it@example.com' },
      },
      {
        id: 'dropbox',
        name: 'Dropbox',
        aliases: ['Dropbox Business'],
        domains: ['dropbox.com', 'dropboxusercontent.com'],
        category: 'file-sharing',
        status: 'tolerated',
        securityReview: { status: 'approved', completedOn: '2026-01-01', expiresOn: '2028-01-01' },
        dpaSigned: true,
        ssoSupported: true,
        scimSupported: true,
        approvedDataClassification: 'restricted',
      },
      {
        id: 'wetransfer',
        name: 'WeTransfer',
        domains: ['wetransfer.com'],
        category: 'file-sharing',
        status: 'prohibited',
        ssoSupported: true,
      },
      {
        id: 'slack',
        name: 'Slack',
        domains: ['slack.com'],
        category: 'chat',
        status: 'sanctioned',
        securityReview: { status: 'approved', expiresOn: '2028-01-01' },
        dpaSigned: true,
        ssoSupported: true,
        scimSupported: true,
        approvedDataClassification: 'restricted',
      },
      {
        id: 'rocket',
        name: 'Rocket Chat',
        category: 'chat',
        status: 'restricted',
        securityReview: { status: 'approved', expiresOn: '2028-01-01' },
        dpaSigned: true,
        ssoSupported: true,
        scimSupported: true,
      },
      {
        id: 'notion',
        name: 'Notion',
        category: 'notes',
        status: 'tolerated',
        securityReview: { status: 'approved', expiresOn: '2028-01-01' },
        dpaSigned: true,
        ssoSupported: true,
        scimSupported: true,
      },
      {
        id: 'confluence',
        name: 'Confluence',
        category: 'notes',
        status: 'sanctioned',
        ssoSupported: true,
      },
    ],
    categories: [
      { id: 'file-sharing', name: 'File sharing', keywords: ['file sharing', 'cloud storage', 'file transfer'] },
      { id: 'chat', name: 'Team chat', keywords: ['chat', 'messaging'] },
      // Duplicates here are normal: several note tools live side by side.
      { id: 'notes', name: 'Notes', keywords: ['notes', 'wiki'], duplicates: 'allow' },
      { id: 'analytics', name: 'Analytics', keywords: ['dashboard', 'business intelligence'] },
    ],
    spend: {
      baseCurrency: 'USD',
      exchangeRates: { EUR: 1.1, GBP: 1.3 },
      tiers: [
        { upTo: 1000, approver: 'none' },
        { upTo: 10000, approver: 'it-manager' },
        { upTo: 50000, approver: 'it-director' },
        { approver: 'cio', twoStep: true },
      ],
      departmentOverrides: [
        {
          department: 'Engineering',
          tiers: [
            { upTo: 5000, approver: 'none' },
            { upTo: 20000, approver: 'it-manager' },
            { approver: 'it-director', twoStep: true },
          ],
        },
      ],
    },
    dataClassification: {
      public: {},
      internal: {},
      confidential: { requireSecurityReview: true, requireDpa: true },
      restricted: { requireSecurityReview: true, requireDpa: true, requireSso: true, requireScim: true, blockUnknownVendor: true },
    },
    contracts: { maxTermMonths: 12, flagAutoRenew: true, minLeadTimeDays: 5, renewalNoticeDays: 120 },
    oauth: {
      adminConsentSeverity: 'high',
      riskyScopes: [
        { scope: 'https://www.googleapis.com/auth/drive', severity: 'high', reason: 'All Drive files' },
        { scope: 'https://www.googleapis.com/auth/admin.directory.*', severity: 'high', reason: 'Directory admin' },
        { scope: 'Mail.ReadWrite', severity: 'high', reason: 'Read and write mail' },
        { scope: 'offline_access', severity: 'low', reason: 'Refresh tokens' },
      ],
    },
    identityProvider: {
      managedAppAllowList: ['Amazon Managed Grafana'],
      managedAppServicePrincipals: ['grafana.amazonaws.com'],
      systemActors: ['system@okta.com'],
    },
  };
}

/** The fixture policy after one change, validated like a real one. */
export function policyWith(change: (input: PolicyInput) => void = () => undefined): Policy {
  const input = fixturePolicyInput();
  change(input);
  return PolicySchema.parse(input);
}

export function preparedWith(change?: (input: PolicyInput) => void): PreparedPolicy {
  return preparePolicy(policyWith(change));
}

/** Changes one vendor of the fixture (by id). */
export function vendorWith(id: string, change: Partial<VendorInput>): (input: PolicyInput) => void {
  return (input) => {
    const vendor = input.vendors.find((v) => v.id === id);
    if (!vendor) throw new Error(`no fixture vendor ${id}`);
    Object.assign(vendor, change);
  };
}

/** A purchase that raises nothing under the fixture: sanctioned Slack, small, public data, no term issues. */
export function purchase(overrides: Partial<PurchaseRequest> = {}): PurchaseRequest {
  return {
    requestId: 'PR-1',
    requester: { email: 'ana@example.com', department: 'Sales' },
    vendor: { name: 'Slack' },
    product: 'Slack',
    amount: { value: 500, currency: 'USD' },
    billingPeriod: 'annual',
    termMonths: 12,
    dataClassification: 'public',
    ...overrides,
  };
}

export function appEvent(overrides: Partial<AppConnected> = {}): AppConnected {
  return {
    source: 'okta',
    sourceEventId: 'evt-1',
    occurredAt: '2026-11-27T10:00:00Z',
    app: { name: 'Slack' },
    actor: { type: 'user', email: 'admin@example.com' },
    connectionKind: 'user-assigned',
    ...overrides,
  };
}

export function codesOf(findings: readonly { code: string }[]): string[] {
  return findings.map((f) => f.code);
}
