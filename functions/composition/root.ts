/**
 * The composition root: the one place that decides what each service is made
 * of (which stores open over which table, which port each use case is given,
 * when decision links and the digest queue are on). Callers bring only the
 * edges (edges.ts). The Lambdas, `npm start`, the bench and the tests all
 * build their services here, so none of them can drift from the others.
 *
 * Only adapters every environment shares are imported here: SDK clients and
 * local-only code stay in the edge modules, out of the Lambda bundles. The
 * ingest side, which has no tables, is composed in ingest.ts for the same
 * reason (its Lambdas do not load the stores).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbApprovalStore } from '../adapters/dynamodb/approval-store';
import { DynamoDbAuditLog } from '../adapters/dynamodb/audit-log';
import { DynamoDbDecisionLinkStore } from '../adapters/dynamodb/decision-link-store';
import { DynamoDbDigestQueue } from '../adapters/dynamodb/digest-queue';
import { DynamoDbOutreachMarkers } from '../adapters/dynamodb/outreach-markers';
import { DynamoDbRecordHistory } from '../adapters/dynamodb/record-history';
import { DynamoDbAppInventory } from '../adapters/dynamodb/inventory-store';
import { DynamoDbPeopleDirectory } from '../adapters/dynamodb/people-directory';
import { DEFAULT_POLICY_CACHE_TTL_SECONDS, DynamoDbPolicyStore } from '../adapters/dynamodb/policy-store';
import { inventorySeatsUsed, seatAwarePolicy, SeatCountOverlay } from '../adapters/dynamodb/seat-count-overlay';
import { DynamoDbRenewalStore } from '../adapters/dynamodb/renewal-store';
import { DynamoDbRequestStore } from '../adapters/dynamodb/request-store';
import { SignedDecisionLinkIssuer } from '../adapters/security/decision-link-issuer';
import { SignedRenewalLinkIssuer } from '../adapters/security/renewal-link-signer';
import { policySeatsUsed, type SeatsUsedSource } from '../domain/renewals/calendar';
import type { PolicySource } from '../domain/ports/policy-source';
import type { Clock } from '../domain/ports/clock';
import { inventoryView } from '../domain/use-cases/inventory/view';
import type { ServiceLogger } from '../domain/ports/logger';
import type { ApprovalsHandlerDeps } from '../handlers/shared/approvals-deps';
import type { GuardrailHandlerDeps } from '../handlers/shared/guardrail-handler';
import type { OutreachDeps } from '../domain/use-cases/outreach/run';
import type { ApprovalsEdges, GuardrailEdges, LinkEdges, OutreachEdges, RuntimeEdges, TableEdges } from './edges';

/** The stores over the two tables; each use case is given only the ones it needs. */
export interface Stores {
  policy: DynamoDbPolicyStore;
  requests: DynamoDbRequestStore;
  approvals: DynamoDbApprovalStore;
  usedLinks: DynamoDbDecisionLinkStore;
  digestQueue: DynamoDbDigestQueue;
  audit: DynamoDbAuditLog;
  /** Renewal steps sent and owners' decisions; also reads approved contracts (once a day). */
  renewals: DynamoDbRenewalStore;
  /** Records by arrival time (bounded scan): the IT console and outreach, never the event path. */
  history: DynamoDbRecordHistory;
  outreachMarkers: DynamoDbOutreachMarkers;
  /** The app inventory and the people directory, when the edges name their table. */
  inventory?: DynamoDbAppInventory;
  directory?: DynamoDbPeopleDirectory;
  /** Seats used from complete assignment lists, refreshed with the policy cache (with the inventory table only). */
  seatCounts?: SeatCountOverlay;
}

export interface PolicyStoreSettings {
  cacheTtlSeconds?: number;
  /** The cache's clock (default the system's). */
  clock?: Clock;
  logger?: ServiceLogger;
}

/** The policy table on its own: the CLI's import and show, and seeding a bench or test table. */
export function openPolicyStore(documents: DynamoDBDocumentClient, tableName: string, settings: PolicyStoreSettings = {}): DynamoDbPolicyStore {
  const { clock } = settings;
  return new DynamoDbPolicyStore(documents, tableName, {
    cacheTtlSeconds: settings.cacheTtlSeconds,
    logger: settings.logger,
    ...(clock ? { now: () => clock.now().getTime() } : {}),
  });
}

/** The renewal guard's store on its own (its items live in the requests table): the CLI's `renewals`. */
export function openRenewalStore(documents: DynamoDBDocumentClient, requestsTable: string): DynamoDbRenewalStore {
  return new DynamoDbRenewalStore(documents, requestsTable);
}

/**
 * Every store, opened once per container (or per local runtime): the policy
 * cache lives in the policy store, so services built over the same stores
 * share it.
 */
export function openStores(tables: TableEdges, runtime: Pick<RuntimeEdges, 'clock' | 'logger'>): Stores {
  const { documents, requestsTable } = tables;
  return {
    policy: openPolicyStore(documents, tables.policyTable, { cacheTtlSeconds: tables.policyCacheTtlSeconds, clock: runtime.clock, logger: runtime.logger }),
    requests: new DynamoDbRequestStore(documents, requestsTable),
    approvals: new DynamoDbApprovalStore(documents, requestsTable),
    usedLinks: new DynamoDbDecisionLinkStore(documents, requestsTable),
    digestQueue: new DynamoDbDigestQueue(documents, requestsTable),
    audit: new DynamoDbAuditLog(documents, requestsTable),
    renewals: openRenewalStore(documents, requestsTable),
    history: new DynamoDbRecordHistory(documents, requestsTable),
    outreachMarkers: new DynamoDbOutreachMarkers(documents, requestsTable),
    ...(tables.inventoryTable ? openInventoryWithSeats(documents, tables.inventoryTable, { ...runtime, ttlSeconds: tables.policyCacheTtlSeconds }) : {}),
  };
}

function openInventoryWithSeats(
  documents: DynamoDBDocumentClient,
  tableName: string,
  settings: Pick<RuntimeEdges, 'clock' | 'logger'> & { ttlSeconds?: number },
): Pick<Stores, 'inventory' | 'directory' | 'seatCounts'> {
  const opened = openInventory(documents, tableName);
  const { clock, logger } = settings;
  const ttlMs = (settings.ttlSeconds ?? DEFAULT_POLICY_CACHE_TTL_SECONDS) * 1000;
  return { ...opened, seatCounts: new SeatCountOverlay(opened.inventory, { ttlMs, now: () => clock.now().getTime(), logger }) };
}

/** The policy every rule reads: with the inventory's seat counts laid over the agreements, when there is an inventory. */
function rulesPolicy(stores: Stores): PolicySource {
  return stores.seatCounts ? seatAwarePolicy(stores.policy, stores.seatCounts) : stores.policy;
}

/** Seats used for renewals: the inventory's once an app's assignment list is complete, else the policy's. */
export function seatsUsedSource(overlay: SeatCountOverlay | undefined): SeatsUsedSource {
  return overlay ? inventorySeatsUsed(overlay) : policySeatsUsed;
}

/** The overlay on its own, read fresh each time (the CLI's `renewals`). */
export function openSeatCounts(documents: DynamoDBDocumentClient, inventoryTable: string): SeatCountOverlay {
  return new SeatCountOverlay(new DynamoDbAppInventory(documents, inventoryTable), { ttlMs: 0, now: Date.now });
}

/** The inventory table's two stores (the CLI's `directory import` and `inventory` open them on their own). */
export function openInventory(documents: DynamoDBDocumentClient, tableName: string): { inventory: DynamoDbAppInventory; directory: DynamoDbPeopleDirectory } {
  return { inventory: new DynamoDbAppInventory(documents, tableName), directory: new DynamoDbPeopleDirectory(documents, tableName) };
}

function decisionLinkIssuer(links: LinkEdges): SignedDecisionLinkIssuer {
  return new SignedDecisionLinkIssuer({ keys: links.keys, baseUrl: links.baseUrl, inbox: links.inboxEnabled });
}

/**
 * The guardrail handlers' dependencies. With links, notifications carry each
 * approver's signed decision links and low-risk reviews can wait for the
 * digest (whose sender, the approvals digest, needs the same links).
 */
export function guardrailServices(edges: GuardrailEdges, stores: Stores = openStores(edges.tables, edges)): GuardrailHandlerDeps {
  return {
    service: {
      policy: rulesPolicy(stores),
      requests: stores.requests,
      audit: stores.audit,
      notifier: edges.itApprovers,
      ...(edges.requesters ? { requesterNotifier: edges.requesters } : {}),
      decisions: edges.decisions,
      clock: edges.clock,
      ...(edges.links ? { links: decisionLinkIssuer(edges.links), digestQueue: stores.digestQueue } : {}),
      ...(stores.inventory ? { inventory: { inventory: stores.inventory, directory: stores.directory } } : {}),
      ...edges.timing,
    },
    deadLetters: edges.deadLetters,
    logger: edges.logger,
    metrics: edges.metrics,
  };
}

/** The approvals web app's, escalation sweep's and digest's dependencies. */
export function approvalsServices(edges: ApprovalsEdges, stores: Stores = openStores(edges.tables, edges)): ApprovalsHandlerDeps {
  const { links, signIn } = edges;
  return {
    app: {
      policy: stores.policy,
      approvals: stores.approvals,
      usedLinks: stores.usedLinks,
      digestQueue: stores.digestQueue,
      audit: stores.audit,
      history: stores.history,
      notifier: edges.itApprovers,
      requesterNotifier: edges.requesters,
      decisions: edges.decisions,
      links: decisionLinkIssuer(links),
      renewals: stores.renewals,
      contracts: stores.renewals,
      // Seats used come from the inventory once it holds an app's complete assignment list, else from the policy.
      seatsUsed: seatsUsedSource(stores.seatCounts),
      renewalLinks: new SignedRenewalLinkIssuer({ keys: links.keys, baseUrl: links.baseUrl, inbox: links.inboxEnabled }),
      // The keyring that signs the links also keys the page's CSRF values (and local sessions).
      keys: links.keys,
      baseUrl: links.baseUrl,
      inboxEnabled: links.inboxEnabled,
      decisionsNeedSignIn: signIn.kind === 'identity-provider' && signIn.decisionsNeedSignIn === true,
      clock: edges.clock,
      logger: edges.logger,
      ...(stores.inventory ? { inventory: inventoryView(stores.inventory) } : {}),
      // The people directory's aliases recognise a requester under another address (decide.ts; never who may approve).
      ...(stores.directory ? { people: stores.directory } : {}),
      // The local runtime's other inspection routes are open too (it listens on 127.0.0.1 only).
      ...(signIn.kind === 'local' ? { localSessions: signIn.sessions, anonymousRecordJson: true } : {}),
    },
    logger: edges.logger,
    metrics: edges.metrics,
    approverEmailClaim: signIn.kind === 'identity-provider' ? signIn.emailClaim : 'email',
    ...(signIn.kind === 'identity-provider' && signIn.subjectClaim ? { approverSubjectClaim: signIn.subjectClaim } : {}),
  };
}

/** Weekly department outreach and the monthly shadow-IT report (use-cases/outreach/run.ts). */
export function outreachServices(edges: OutreachEdges, stores: Stores = openStores(edges.tables, edges)): OutreachDeps {
  const { consoleUrl } = edges;
  return {
    policy: rulesPolicy(stores),
    history: stores.history,
    ...(stores.inventory ? { inventory: inventoryView(stores.inventory) } : {}),
    markers: stores.outreachMarkers,
    departments: edges.departments,
    notifier: edges.itApprovers,
    clock: edges.clock,
    logger: edges.logger,
    ...(consoleUrl ? { consoleUrl } : {}),
  };
}

/** The guardrail and the approvals side in one process (`npm start`, tests): one set of stores, one policy cache. */
export interface GuardrailWithApprovals {
  stores: Stores;
  guardrail: GuardrailHandlerDeps;
  approvals: ApprovalsHandlerDeps;
  /** With department edges (`npm start`, tests): the outreach run over the same stores. */
  outreach?: OutreachDeps;
}

export function composeGuardrailWithApprovals(
  edges: GuardrailEdges & ApprovalsEdges & Partial<Pick<OutreachEdges, 'departments' | 'consoleUrl'>>,
): GuardrailWithApprovals {
  const stores = openStores(edges.tables, edges);
  const { departments } = edges;
  return {
    stores,
    guardrail: guardrailServices(edges, stores),
    approvals: approvalsServices(edges, stores),
    ...(departments ? { outreach: outreachServices({ ...edges, departments }, stores) } : {}),
  };
}
