/**
 * The local edges (`npm start`): dynalite on disk (or in memory) for the two
 * tables, a JSON-lines outbox for IT and requester messages (printed as they
 * go), a decision log routed on the local bus, dead letters in a file, a
 * random signing key in a 0600 file, per-source ingest secrets in another,
 * and the local development sign-in. Everything else comes from the root,
 * exactly as deployed.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { FileDeadLetterSink } from '../adapters/dead-letter/file-dead-letter-sink';
import { policyCacheTtlFromEnv } from '../adapters/dynamodb/policy-store';
import { CallbackDecisionPublisher } from '../adapters/eventbridge/decision-publisher';
import { FileIngestSecretProvider } from '../adapters/ingest/file-ingest-secrets';
import { localIngestPublisher } from '../adapters/ingest/local-ingest';
import { OutboxNotifier } from '../adapters/notifier/outbox-notifier';
import type { SourceOptions } from '../adapters/sources';
import { LocalFileKeyProvider } from '../adapters/security/signing-keys';
import { LocalSessions } from '../adapters/web/local-session';
import type { CanonicalEventEntry } from '../domain/ingest';
import type { Clock } from '../domain/ports/clock';
import { DecisionLog } from '../local/decision-log';
import { dataFiles } from '../local/paths';
import { openLocalTables, type LocalTables } from '../local/tables';
import type { Edges } from './edges';

export interface LocalEdgeOptions {
  /** Where the files go (outbox, dead letters, decision log, keys, ingest secrets). */
  dataDir: string;
  /** Keep DynamoDB in memory instead of `<dataDir>/dynamodb`. */
  inMemory?: boolean;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** Where the outbox prints each message; `print` takes the decision log's lines. */
  out: NodeJS.WritableStream;
  print(line: string): void;
  /** The server's URL once listening (`http://127.0.0.1:3000`): decision links point there. */
  url(): string;
  /** Puts one canonical entry on the local bus and returns what its rules answered (ingest publishes through it). */
  submitEntry(entry: CanonicalEventEntry): Promise<unknown>;
  sourceOptions?: Partial<SourceOptions>;
}

export type LocalEdges = Edges & {
  tables: LocalTables;
  /** The same edges under their local types, for the runtime's inspection routes. */
  outbox: OutboxNotifier;
  deadLetterFile: FileDeadLetterSink;
  decisionLog: DecisionLog;
  /** Stops dynalite (the files need no closing). */
  close(): Promise<void>;
};

/** Opens the tables (throws DataDirLockedError when another process holds the folder) and builds the other edges over files. */
export async function openLocalEdges(options: LocalEdgeOptions): Promise<LocalEdges> {
  const { env, clock, dataDir } = options;
  const files = dataFiles(dataDir);
  const policyCacheTtlSeconds = policyCacheTtlFromEnv(env);
  const tables = Object.assign(await openLocalTables(options.inMemory ? undefined : files.dynamodb), { policyCacheTtlSeconds });
  const outbox = new OutboxNotifier(files.outbox, options.out, () => clock.now());
  const deadLetterFile = new FileDeadLetterSink(files.deadLetters);
  const decisionLog = new DecisionLog(files.decisions, options.print);
  const keys = new LocalFileKeyProvider({ directory: dataDir });
  return {
    logger: localLogger(env),
    metrics: localMetrics(env),
    clock,
    tables,
    itApprovers: outbox,
    requesters: outbox,
    departments: outbox,
    consoleUrl: () => `${options.url()}/`,
    decisions: new CallbackDecisionPublisher(decisionLog.record, () => clock.now()),
    deadLetters: deadLetterFile,
    links: { keys, baseUrl: () => `${options.url()}/`, inboxEnabled: true },
    signIn: { kind: 'local', sessions: new LocalSessions(keys) },
    secrets: new FileIngestSecretProvider(dataDir),
    publish: localIngestPublisher(options.submitEntry),
    sourceOptions: options.sourceOptions,
    outbox,
    deadLetterFile,
    decisionLog,
    close: () => tables.close(),
  };
}

/**
 * The handlers log JSON for CloudWatch; in a terminal the runtime prints its
 * own lines instead. POWERTOOLS_LOG_LEVEL=INFO shows the handlers' logs too.
 */
function localLogger(env: NodeJS.ProcessEnv): Logger {
  const level = (env.POWERTOOLS_LOG_LEVEL || env.LOG_LEVEL || 'SILENT').toUpperCase();
  return new Logger({ serviceName: 'procurement-guardrail-local', logLevel: level as 'SILENT' });
}

/**
 * Metrics would print an EMF JSON blob per event. Powertools' documented
 * switch is POWERTOOLS_METRICS_DISABLED; the runtime sets it (unless the
 * developer did) because it owns its process.
 */
function localMetrics(env: NodeJS.ProcessEnv): Metrics {
  if (env.POWERTOOLS_METRICS_DISABLED === undefined && process.env.POWERTOOLS_METRICS_DISABLED === undefined) {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  }
  return new Metrics({ namespace: 'ProcurementGuardrail', serviceName: 'procurement-guardrail-local' });
}
