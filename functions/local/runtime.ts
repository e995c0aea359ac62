/**
 * The guardrail on one machine: the Lambda handlers, built by their own
 * factory over the services the composition root makes from the local edges
 * (composition/local-edges.ts), behind a local bus that routes with the CDK
 * rules' patterns, over dynalite on disk. Only the edges differ from AWS:
 * notifications go to a JSON-lines outbox (printed), decision events to a
 * log, dead letters to a file, and events arrive over HTTP.
 *
 * `startLocalRuntime` is what `npm start` runs and what the integration tests
 * start in-process (temp data folder or in-memory store, port 0).
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { loadPolicyFile } from '../adapters/policy-file';
import { ingestServices, nativeSourceServices } from '../composition/ingest';
import { openLocalEdges } from '../composition/local-edges';
import { composeGuardrailWithApprovals } from '../composition/root';
import { EVENT_PATTERNS } from '../domain/event-routes';
import type { EventKind } from '../domain/events';
import { systemClock, type Clock } from '../domain/ports/clock';
import { createGuardrailHandler, type GuardrailHandlerResult } from '../handlers/shared/guardrail-handler';
import type { LocalRuntimeContext, RouteGroup } from './context';
import { LocalEventBus, localLambdaContext, type LocalRule } from './event-bus';
import { nativeSourceRules, readLocalSourceOptions, type NativeRuleResult } from './native-sources';
import { EVENT_KINDS } from './event-intake';
import { EventSubmission } from './event-submission';
import { errorBody, HttpError, sendResponse } from './http';
import { DEFAULT_POLICY_FILE, PROJECT_ROOT, SAMPLE_EVENT_DIRS, dataFiles, defaultDataDir } from './paths';
import { replayLine, replaySamples, type ReplayedSample } from './replay';
import { Router, type Route } from './router';
import { ROUTE_GROUPS } from './routes';
import { createLocalApprovals, sweepIntervalFromEnv } from './approvals';
import { Terminal, type TextSink } from './terminal';

export interface LocalRuntimeOptions {
  /** Default 3000; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the runtime has no authentication, so it is not exposed unless asked. */
  host?: string;
  /** Default `.local-data` of the project (or GUARDRAIL_DATA_DIR). */
  dataDir?: string;
  /** Keep DynamoDB in memory (tests); files go to `dataDir`, or a temp folder removed on close. */
  inMemory?: boolean;
  /** Replay the sample events when the store was empty (default true). */
  replaySamples?: boolean;
  /** The policy a fresh store is seeded with (default policy/default.yaml). */
  policyFile?: string;
  sampleDirs?: readonly string[];
  /** Where the banner and event lines go (default stdout). */
  out?: TextSink;
  /** Extra route groups (a feature under development, tests). */
  routeGroups?: readonly RouteGroup[];
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  /**
   * How often the approvals sweep (reminders, escalation, expiry, digest)
   * runs; 0 turns the interval off (tests call POST /admin/sweep instead).
   * Default GUARDRAIL_SWEEP_INTERVAL_SECONDS, else one minute.
   */
  sweepIntervalMs?: number;
}

export interface LocalRuntime {
  /** `http://127.0.0.1:<port>`: an address that works whatever `localhost` resolves to. */
  url: string;
  port: number;
  dataDir: string | undefined;
  /** True when the store held no request records: samples were replayed (unless disabled). */
  firstStart: boolean;
  /** The policy version seeded from the policy file because the store had none. */
  seededPolicy?: string;
  replayed: ReplayedSample[];
  context: LocalRuntimeContext;
  close(): Promise<void>;
}

/** The event kinds' handlers, from the Lambdas' own factory. */
const HANDLER_FUNCTION_NAMES: Record<EventKind, string> = {
  'purchase-request': 'guardrail-purchase-request',
  'app-connected': 'guardrail-app-connected',
};

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const env = options.env ?? process.env;
  const terminal = new Terminal(options.out ?? process.stdout);
  const clock = options.clock ?? systemClock;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 3000;

  // Files (outbox, dead letters, decisions) always need a folder; an in-memory run without one gets a temp folder.
  const tempDir = options.inMemory && !options.dataDir ? mkdtempSync(join(tmpdir(), 'guardrail-local-')) : undefined;
  const dataDir = options.dataDir ?? tempDir ?? defaultDataDir(env);
  const files = dataFiles(dataDir);

  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch {
        // Best effort: closing one resource must not keep the others open.
      }
    }
    cleanups.length = 0;
  };

  if (tempDir) cleanups.push(() => rmSync(tempDir, { recursive: true, force: true }));
  try {
    let baseUrl = '';
    let submissions: EventSubmission | undefined;
    // Only the edges are local; the services are composed by the same root as the Lambdas'.
    const sourceOptions = readLocalSourceOptions(files.sourceOptions);
    const edges = await openLocalEdges({
      dataDir,
      sourceOptions,
      inMemory: options.inMemory,
      env,
      clock,
      out: terminal.stream(),
      print: terminal.line,
      url: () => baseUrl,
      submitEntry: (entry) => {
        if (!submissions) throw new Error('the local runtime is still starting');
        return submissions.submitEntry(entry, '');
      },
    });
    cleanups.push(() => edges.close());
    const services = composeGuardrailWithApprovals(edges);
    const { policy: policies, requests } = services.stores;

    const policyFile = options.policyFile ?? DEFAULT_POLICY_FILE;
    // Seed when there is no policy; replay when there are no records (a policy imported with the CLI before the
    // first start is kept, and the samples are then decided under it).
    const firstStart = !(await edges.tables.hasRequestRecords());
    let seeded: string | undefined;
    if ((await policies.currentPointer()) === undefined) {
      const imported = await policies.importPolicy(loadPolicyFile(policyFile));
      seeded = imported.version;
    }

    const { outbox } = edges;
    // Decision pages, inbox, sign-in and the sweep over the same stores (functions/local/approvals.ts).
    const approvals = createLocalApprovals(services.approvals.app, terminal.line, services.outreach);
    const rules: LocalRule<GuardrailHandlerResult | NativeRuleResult>[] = EVENT_KINDS.map((kind) => {
      const handler = createGuardrailHandler(kind, services.guardrail);
      const functionName = HANDLER_FUNCTION_NAMES[kind];
      return {
        name: functionName,
        pattern: EVENT_PATTERNS[kind],
        target: (event) => handler(event, localLambdaContext(functionName)),
      };
    });
    // Okta partner events and aws.sso CloudTrail calls, routed by the CDK rules' own patterns (native-sources.ts).
    rules.push(
      ...nativeSourceRules({
        submit: (entry) => submissions!.submitEntry(entry, ''),
        services: (publish) => nativeSourceServices({ ...edges, publish }),
        print: terminal.line,
      }),
    );
    const bus = new LocalEventBus(rules);
    submissions = new EventSubmission({ bus, requests, print: terminal.line, now: () => clock.now() });
    const ingest = ingestServices(edges);

    let routes: readonly Route[] = [];
    const context: LocalRuntimeContext = {
      dataDir: options.inMemory && !options.dataDir ? undefined : dataDir,
      url: () => baseUrl,
      tables: edges.tables,
      policies,
      requests,
      directory: services.stores.directory,
      appInventory: services.stores.inventory,
      seatCounts: services.stores.seatCounts,
      inventory: services.approvals.app.inventory,
      outbox,
      deadLetters: edges.deadLetterFile,
      decisions: edges.decisionLog,
      bus: bus as LocalEventBus,
      submissions,
      approvals,
      ingest: { ...ingest.ingest, logger: ingest.logger },
      clock,
      print: terminal.line,
      startedAt: clock.now(),
      routes: () => routes,
    };
    const router = new Router([...ROUTE_GROUPS, ...(options.routeGroups ?? [])].flatMap((group) => group(context)));
    routes = router.routes;

    const server = createServer((req, res) => {
      void serve(router, host, terminal, req, res);
    });
    await listen(server, port, host);
    cleanups.push(() => closeServer(server));
    const boundPort = (server.address() as AddressInfo).port;
    baseUrl = `http://${urlHost(host)}:${boundPort}`;

    // Lets `guardrail send` / `policy import` find this runtime (and know the data folder is taken).
    // (Not for an in-memory store: the folder's LevelDB is then free, and the CLI should use it directly.)
    if (context.dataDir && !options.inMemory) {
      writeFileSync(files.runtimeInfo, `${JSON.stringify({ url: baseUrl, pid: process.pid, startedAt: context.startedAt.toISOString() }, null, 2)}\n`);
      cleanups.push(() => unlinkSync(files.runtimeInfo));
    }

    const sweepIntervalMs = options.sweepIntervalMs ?? sweepIntervalFromEnv(env);
    if (sweepIntervalMs > 0) cleanups.push(approvals.schedule(sweepIntervalMs));

    const shownDataDir = context.dataDir ? displayPath(context.dataDir) : '(in memory)';
    terminal.line('Procurement Guardrail: local runtime');
    terminal.line(`  data     ${shownDataDir}  (DynamoDB via dynalite, outbox.jsonl, dead-letters.jsonl, decisions.jsonl)`);
    terminal.line(
      seeded
        ? `  policy   ${seeded}, seeded from ${displayPath(policyFile)}`
        : `  policy   ${(await policies.currentPointer())?.version ?? '(none)'} (from the store)`,
    );
    const rebuilt = edges.tables.rebuilt;
    if (rebuilt) {
      terminal.line(
        `  upgrade  the requests table was rebuilt with the ${rebuilt.indexes.join(', ')} index${rebuilt.indexes.length === 1 ? '' : 'es'} of this version: ` +
          `${rebuilt.items} item${rebuilt.items === 1 ? '' : 's'} kept${rebuilt.backup ? `, a copy in ${displayPath(rebuilt.backup)}` : ''}`,
      );
    }
    const configured = Object.keys(sourceOptions);
    terminal.line(
      configured.length > 0
        ? `  sources  options for ${configured.join(', ')} from ${displayPath(files.sourceOptions)}`
        : `  sources  no options (${displayPath(files.sourceOptions)} sets defaults, field mappings and names; see README)`,
    );

    let replayed: ReplayedSample[] = [];
    if (firstStart && options.replaySamples !== false) {
      replayed = await terminal.whileMuted(() => replaySamples(options.sampleDirs ?? SAMPLE_EVENT_DIRS, submissions));
      const notifications = (await outbox.list()).length;
      terminal.line('');
      terminal.line(`Replayed ${replayed.length} sample events (first start):`);
      const width = Math.max(0, ...replayed.map((r) => r.sample.length));
      for (const r of replayed) terminal.line(replayLine(r, width));
      terminal.line(`  → ${notifications} notification${notifications === 1 ? '' : 's'} to IT in the outbox (GET /outbox)`);
    } else if (!firstStart) {
      terminal.line('  samples  not replayed: the store already holds requests (delete the data folder to start afresh and replay them)');
    }

    const shownUrl = host === '127.0.0.1' || host === 'localhost' ? `http://localhost:${boundPort}` : baseUrl;
    terminal.line('');
    terminal.line(`Listening on ${shownUrl}`);
    const methodWidth = Math.max(...routes.map((r) => r.method.length));
    const pathWidth = Math.max(...routes.map((r) => r.path.length));
    for (const r of routes) terminal.line(`  ${r.method.padEnd(methodWidth)} ${r.path.padEnd(pathWidth)}  ${r.summary}`);
    const example = replayed.find((r) => r.recordId)?.recordId;
    terminal.line('');
    terminal.line('Try:');
    terminal.line(`  npx guardrail send events/purchase-request/dropbox-marketing-confidential.json`);
    terminal.line(`  curl -s -H 'content-type: application/json' --data @events/app-connected/okta-app-created-unknown.json ${shownUrl}/events`);
    if (example) terminal.line(`  curl -s ${shownUrl}/requests/${encodeURIComponent(example)}`);
    // The approvals pages on the host the decision links use, so their cookies belong together.
    terminal.line(
      `  open a decision link from GET /outbox, or sign in at ${baseUrl}/sign-in as an approver (approvals.approvers in the policy) and open ${baseUrl}/inbox`,
    );
    terminal.line(
      sweepIntervalMs > 0
        ? `  approvals sweep (reminders, escalation, digest) every ${Math.round(sweepIntervalMs / 1000)} s; POST /admin/sweep runs it now`
        : '  approvals sweep interval off; POST /admin/sweep runs it',
    );
    terminal.line(
      context.dataDir && !options.inMemory
        ? `Ctrl+C stops it. Records persist in ${shownDataDir}; delete that folder to start afresh (the samples replay again).`
        : 'Ctrl+C stops it. The store is in memory: nothing persists.',
    );
    terminal.line('');

    let closing: Promise<void> | undefined;
    return {
      url: baseUrl,
      port: boundPort,
      dataDir: context.dataDir,
      firstStart,
      seededPolicy: seeded,
      replayed,
      context,
      close: () => (closing ??= cleanup()),
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** One request: host check, route, answer; every failure becomes a JSON error. */
async function serve(router: Router, host: string, terminal: Terminal, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    assertAllowedHost(req, host);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const { route, params } = router.resolve(req.method ?? 'GET', url.pathname);
    sendResponse(res, await route.handle({ req, url, params }));
  } catch (error) {
    if (error instanceof HttpError) {
      const headers: Record<string, string> = {};
      if (error.status === 405 && Array.isArray(error.details.allow)) headers.allow = (error.details.allow as string[]).join(', ');
      // After a 413 the rest of the body may still be arriving: do not reuse the connection.
      if (error.status === 413) headers.connection = 'close';
      sendResponse(res, { status: error.status, json: errorBody(error), headers });
      return;
    }
    terminal.line(`  ✗ ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
    if (!res.headersSent) sendResponse(res, { status: 500, json: { error: `internal error: ${(error as Error).message}` } });
    else res.destroy();
  }
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/**
 * On a loopback bind, only loopback Host names are answered: a web page the
 * developer visits could otherwise reach this unauthenticated server through
 * DNS rebinding (its own name resolving to 127.0.0.1).
 */
function assertAllowedHost(req: IncomingMessage, host: string): void {
  if (!LOOPBACK_NAMES.has(host)) return; // bound to a real interface on purpose (HOST=0.0.0.0)
  const header = req.headers.host ?? '';
  const name = header.startsWith('[') ? header.slice(0, header.indexOf(']') + 1) : header.split(':')[0];
  if (!LOOPBACK_NAMES.has(name.toLowerCase())) {
    throw new HttpError(403, `Host "${header}" is not served: the local runtime answers localhost only`);
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} on ${host} is already in use (another \`npm start\`?); stop it or choose another port: PORT=3001 npm start`));
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === 'localhost') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function displayPath(path: string): string {
  const rel = relative(PROJECT_ROOT, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
