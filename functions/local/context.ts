/**
 * What route modules get from the runtime: the services and stores the
 * composition root built over the local edges (dynalite and local files), the
 * local bus and its intake. A new route group receives this and needs
 * nothing else wired.
 */
import type { DynamoDbPolicyStore } from '../adapters/dynamodb/policy-store';
import type { DynamoDbRequestStore } from '../adapters/dynamodb/request-store';
import type { IngestDeps } from '../adapters/ingest';
import type { FileDeadLetterSink } from '../adapters/dead-letter/file-dead-letter-sink';
import type { OutboxNotifier } from '../adapters/notifier/outbox-notifier';
import type { Clock } from '../domain/ports/clock';
import type { AppInventoryStore, InventoryView, PeopleDirectory } from '../domain/ports/app-inventory';
import type { SeatCountOverlay } from '../adapters/dynamodb/seat-count-overlay';
import type { TableEdges } from '../composition/edges';
import type { DecisionLog } from './decision-log';
import type { LocalApprovals } from './approvals';
import type { LocalEventBus } from './event-bus';
import type { EventSubmission } from './event-submission';
import type { Route } from './router';

export interface LocalRuntimeContext {
  dataDir: string | undefined;
  /** Base URL once listening (empty before). */
  url(): string;
  /** The two tables (for read-only scans such as `POST /policy?dryRun=1`). */
  tables: TableEdges;
  policies: DynamoDbPolicyStore;
  requests: DynamoDbRequestStore;
  /** The people directory (`POST /directory`) and the inventory's read side. */
  directory?: PeopleDirectory;
  inventory?: InventoryView;
  /** The inventory's store (`POST /inventory/assignments` replaces an app's people) and the seat counts it feeds. */
  appInventory?: AppInventoryStore;
  seatCounts?: SeatCountOverlay;
  outbox: OutboxNotifier;
  deadLetters: FileDeadLetterSink;
  decisions: DecisionLog;
  bus: LocalEventBus;
  submissions: EventSubmission;
  /** Decision pages, inbox, sign-in and the sweep (functions/local/approvals.ts). */
  approvals: LocalApprovals;
  /** The ingest core's dependencies: the per-source secrets file, the local bus, the dead-letter file. */
  ingest: IngestDeps;
  clock: Clock;
  /** A line for the terminal. */
  print(line: string): void;
  startedAt: Date;
  /** Every registered route (for the index and 404 answers). */
  routes(): readonly Route[];
}

/** A module's routes, built from the runtime context. */
export type RouteGroup = (context: LocalRuntimeContext) => Route[];
