/**
 * Benchmark 3: cold start. Each Lambda bundle exactly as `cdk synth` ships it
 * (the stack is synthesised with bundling, so CDK runs the local esbuild with
 * the construct's own settings), its size, and its module initialisation
 * time: the median, over fresh `node` processes, of the time `require()` of
 * the bundle takes with the environment the stack sets. Beside each, a
 * minimal bundle holding only the same AWS SDK clients, built with the same
 * esbuild flags. Ours over minimal is what middy, Powertools, zod and the
 * guardrail's own code add to every cold start.
 *
 * Every shipped bundle is matched to its entry file by rebuilding each
 * `functions/handlers/*.ts` with the flags below and comparing bytes: that
 * proves the flags are CDK's, and the rebuild's metafile says which SDK
 * clients (and which packages) each bundle holds.
 *
 * Init runs with `--enable-source-maps` because the stack sets it in
 * NODE_OPTIONS (Node then reads the source map at load); the figure without
 * it is reported too.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { CfnResource } from 'aws-cdk-lib';
import { KEY_PROVIDERS_BUILD_CONSTANT } from '../functions/composition/aws-edges';
import { LEFT_OUT_OF_BUNDLES } from '../infra/constructs/guardrail-function';
import { synthGuardrail } from '../test/infra/support';
import { median, percentile, round, significant } from './support/stats';

const PROJECT_ROOT = join(__dirname, '..');
const ESBUILD = join(PROJECT_ROOT, 'node_modules', '.bin', 'esbuild');
const HANDLERS_DIR = join(PROJECT_ROOT, 'functions', 'handlers');

/** What the Lambda runtime itself sets (the function's own variables come from the template). */
const RUNTIME_ENV: Record<string, string> = {
  AWS_LAMBDA_FUNCTION_NAME: 'cold-start-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDCOLDSTART',
  AWS_SECRET_ACCESS_KEY: 'cold-start-secret',
};

/** Times `require()` of the bundle given as argv[1] and prints milliseconds; exits 3 if there is no handler. */
const INIT_PROBE = [
  'const t0 = process.hrtime.bigint();',
  'const m = require(process.argv[1]);',
  'const t1 = process.hrtime.bigint();',
  "if (typeof m.handler !== 'function') process.exit(3);",
  'process.stdout.write(String(Number(t1 - t0) / 1e6));',
].join('\n');

export interface ColdStartOptions {
  runs: number;
  log: (line: string) => void;
}

export const DEFAULT_COLD_START_OPTIONS: Omit<ColdStartOptions, 'log'> = { runs: 21 };

export interface InitFigures {
  median: number;
  p90: number;
  min: number;
  runs: number;
}

export interface BundleFigures {
  /** Construct path of the function in the stack, or the baseline's name. */
  name: string;
  /** The handler entry whose rebuild with CDK's flags is byte-identical to the shipped bundle (undefined: none is). */
  entry?: string;
  /** AWS SDK client packages the bundle holds (from the rebuild's metafile). */
  sdkClients: string[];
  bundleBytes: number;
  sourceMapBytes: number;
  /** index.js + index.js.map deflated, as in the asset's zip. */
  zippedBytes: number;
  /** require() of the bundle in a fresh process, with --enable-source-maps (as deployed), ms. */
  initMillis: InitFigures;
  initMillisWithoutSourceMaps: InitFigures;
  /** Init median over the init median of the minimal bundle with the same SDK clients. */
  overMinimal?: number;
  /** The baseline it is compared with. */
  minimal?: string;
}

export interface ColdStartResult {
  esbuildArgs: string[];
  /** Every shipped bundle was reproduced byte for byte by rebuilding its entry with these flags. */
  flagsReproduceCdkBundle: boolean;
  functionMemoryMb: number;
  bundles: BundleFigures[];
  /** The SDK-only baselines, one per distinct set of clients. */
  minimals: BundleFigures[];
  /** Per bundle: its init median over its baseline's (also on each bundle). */
  overMinimal: Record<string, number>;
  /** The largest of those (headline). */
  coldStartOverMinimal: number;
  largestBundleKiB: number;
  /** What the largest-init bundle is made of, KiB of minified output per package (largest first). */
  composition: { bundle: string; parts: { part: string; kib: number }[] };
}

/** The esbuild invocation the NodejsFunction makes for this stack's settings (aws-lambda-nodejs bundling.js). */
export function cdkEsbuildArgs(entry: string, outfile: string): string[] {
  return [
    '--bundle',
    entry,
    '--target=node24',
    '--platform=node',
    '--format=cjs',
    `--outfile=${outfile}`,
    '--minify',
    '--sourcemap',
    '--sources-content=false',
    ...LEFT_OUT_OF_BUNDLES.map((name) => `--external:${name}`),
    `--define:${KEY_PROVIDERS_BUILD_CONSTANT}="secrets-manager"`,
    '--keep-names',
    '--main-fields=module,main',
  ];
}

interface Rebuild {
  entry: string;
  hash: string;
  metafile: string;
}

export async function benchmarkColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'guardrail-cold-start-'));
  // Baseline entries must sit inside the project so esbuild resolves node_modules; removed at the end.
  const baselineSrc = mkdtempSync(join(PROJECT_ROOT, 'bench', '.cold-start-'));
  try {
    options.log('cold start: cdk synth with bundling');
    const synth = synthGuardrail({}, { bundle: true, outdir: join(workDir, 'cdk.out') });
    const assembly = synth.app.synth();
    const shipped = shippedFunctions(synth, assembly.directory);
    const purchaseId = synth.logicalId(synth.stack.functions['purchase-request']);
    const memory = shipped.find((f) => f.logicalId === purchaseId)?.memory ?? 128;

    options.log('cold start: rebuilding every handler entry with the same flags, to match the shipped bundles');
    const rebuilds: Rebuild[] = readdirSync(HANDLERS_DIR)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((file) => {
        const out = join(workDir, 'rebuild', file.replace(/\.ts$/, ''));
        const metafile = join(out, 'meta.json');
        // --metafile only writes a report next to the bundle; the bundle is unchanged (the hash match proves it).
        esbuild([...cdkEsbuildArgs(join(HANDLERS_DIR, file), join(out, 'index.js')), `--metafile=${metafile}`]);
        return { entry: `functions/handlers/${file}`, hash: sha256(join(out, 'index.js')), metafile };
      });

    const bundles = shipped.map((f) => {
      const match = rebuilds.find((r) => r.hash === sha256(join(f.dir, 'index.js')));
      return { ...f, entry: match?.entry, sdkClients: match ? sdkClientsOf(match.metafile) : [], metafile: match?.metafile };
    });

    options.log('cold start: minimal SDK-only bundles, one per set of clients, same flags');
    const clientSets = new Map<string, string[]>();
    for (const b of bundles) if (b.sdkClients.length > 0) clientSets.set(b.sdkClients.join(','), b.sdkClients);
    const minimalTargets = [...clientSets.values()].map((clients, i) => {
      const entry = join(baselineSrc, `minimal-${i}.ts`);
      writeFileSync(entry, minimalEntrySource(clients));
      const dir = join(workDir, 'minimal', String(i));
      esbuild(cdkEsbuildArgs(entry, join(dir, 'index.js')));
      return { name: `minimal (${clients.map(shortClient).join(', ')})`, dir, env: {}, clients };
    });

    const targets = [...bundles.map((b) => ({ name: b.name, dir: b.dir, env: b.env })), ...minimalTargets];
    const samples = new Map<string, { maps: number[]; plain: number[] }>(targets.map((t) => [t.name, { maps: [], plain: [] }]));
    options.log(`cold start: ${options.runs} fresh processes per bundle (${Math.ceil(options.runs / 2)} without source maps), interleaved`);
    for (let run = 0; run < options.runs; run++) {
      for (const target of targets) {
        const s = samples.get(target.name)!;
        s.maps.push(initMillis(join(target.dir, 'index.js'), workDir, target.env, true));
        if (run % 2 === 0) s.plain.push(initMillis(join(target.dir, 'index.js'), workDir, target.env, false));
      }
    }

    const minimals = minimalTargets.map((t) => ({ ...bundleFigures(t, samples.get(t.name)!), sdkClients: t.clients }));
    const figures: BundleFigures[] = bundles.map((b) => {
      const f = bundleFigures(b, samples.get(b.name)!);
      const baseline = minimals.find((m) => m.sdkClients.join(',') === b.sdkClients.join(','));
      return {
        ...f,
        ...(b.entry ? { entry: b.entry } : {}),
        sdkClients: b.sdkClients,
        ...(baseline ? { minimal: baseline.name, overMinimal: significant(f.initMillis.median / baseline.initMillis.median) } : {}),
      };
    });
    const overMinimal: Record<string, number> = {};
    for (const b of figures) if (b.overMinimal !== undefined) overMinimal[b.name] = b.overMinimal;
    for (const b of [...figures, ...minimals]) {
      options.log(
        `  ${b.name}: ${round(b.bundleBytes / 1024, 1)} KiB, init median ${b.initMillis.median} ms${b.overMinimal ? ` (${b.overMinimal}× its baseline)` : ''}`,
      );
    }
    const slowest = figures.reduce((a, b) => (a.initMillis.median >= b.initMillis.median ? a : b));
    const slowestMeta = bundles.find((b) => b.name === slowest.name)?.metafile;
    return {
      esbuildArgs: cdkEsbuildArgs('<entry>', '<asset>/index.js'),
      flagsReproduceCdkBundle: figures.every((b) => b.entry !== undefined),
      functionMemoryMb: memory,
      bundles: figures,
      minimals,
      overMinimal,
      coldStartOverMinimal: Math.max(...Object.values(overMinimal)),
      largestBundleKiB: round(Math.max(...figures.map((b) => b.bundleBytes)) / 1024, 1),
      composition: { bundle: slowest.name, parts: slowestMeta ? bundleComposition(slowestMeta) : [] },
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    rmSync(baselineSrc, { recursive: true, force: true });
  }
}

function esbuild(args: string[]): void {
  execFileSync(ESBUILD, [...args, '--log-level=error'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
}

/** A handler that holds only these SDK clients, constructed at module scope as the guardrail constructs its own. */
export function minimalEntrySource(clients: readonly string[]): string {
  const lines = [
    '// Generated by bench/cold-start.ts: the SDK clients of a guardrail bundle and nothing else.',
    ...clients.map((pkg, i) => `import * as sdk${i} from '${pkg}';`),
    'const clientClass = (m: Record<string, unknown>) =>',
    "  Object.entries(m).find(([name, value]) => /^[A-Z][A-Za-z0-9]*Client$/.test(name) && typeof value === 'function')?.[1] as new (config: object) => { send(command: unknown): Promise<unknown> };",
    'const clients: unknown[] = [];',
  ];
  clients.forEach((pkg, i) => {
    if (pkg === '@aws-sdk/lib-dynamodb') {
      const dynamo = clients.indexOf('@aws-sdk/client-dynamodb');
      lines.push(
        dynamo >= 0
          ? `clients.push((sdk${i} as unknown as { DynamoDBDocumentClient: { from(c: unknown): unknown } }).DynamoDBDocumentClient.from(new (clientClass(sdk${dynamo}))({})));`
          : `clients.push(sdk${i});`,
      );
    } else lines.push(`clients.push(new (clientClass(sdk${i}))({}));`);
  });
  lines.push('export const handler = async (): Promise<number> => clients.length;');
  return `${lines.join('\n')}\n`;
}

function sdkClientsOf(metafilePath: string): string[] {
  // From the output's inputs with bytes in it: `meta.inputs` also lists modules esbuild read and then tree-shook away.
  const meta = JSON.parse(readFileSync(metafilePath, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const clients = new Set<string>();
  const inOutput = Object.values(meta.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input),
  );
  for (const input of inOutput) {
    const m = /node_modules\/(@aws-sdk\/(?:client-[a-z0-9-]+|lib-dynamodb))\//.exec(input);
    if (m) clients.add(m[1]);
  }
  return [...clients].sort();
}

const shortClient = (pkg: string) => pkg.replace('@aws-sdk/client-', '').replace('@aws-sdk/', '');

function initMillis(bundle: string, cwd: string, env: Record<string, string>, sourceMaps: boolean): number {
  const args = [...(sourceMaps ? ['--enable-source-maps'] : []), '-e', INIT_PROBE, bundle];
  // A clean environment: no NODE_OPTIONS or NODE_PATH from the caller, nothing on the module path but the bundle.
  const out = execFileSync(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...RUNTIME_ENV, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // A handler whose configuration is incomplete logs that at init and would skip building its clients: not a fair figure.
  if (/misconfigured|MissingConfiguration/i.test(out)) throw new Error(`${bundle} reported a configuration problem at init: ${out.slice(0, 500)}`);
  const value = Number(out.trim().split('\n').pop());
  if (!Number.isFinite(value)) throw new Error(`init probe printed ${JSON.stringify(out)}`);
  return value;
}

interface ShippedFunction {
  logicalId: string;
  /** The construct path below the stack ("PurchaseRequestFunction", "Ingest/Function"). */
  name: string;
  dir: string;
  memory: number;
  env: Record<string, string>;
}

/**
 * Every Lambda function of the synthesised stack with a bundled asset, with
 * the environment its template sets (references to other resources become
 * well-formed placeholders: nothing at init calls AWS).
 */
function shippedFunctions(synth: ReturnType<typeof synthGuardrail>, assemblyDir: string): ShippedFunction[] {
  const resources = synth.template.toJSON().Resources as Record<
    string,
    {
      Type: string;
      Metadata?: Record<string, string>;
      Properties: { Code?: { S3Key?: string }; MemorySize?: number; Environment?: { Variables?: Record<string, unknown> } };
    }
  >;
  // Construct paths by logical id (template metadata carries them only when the CLI asks for it).
  const paths = new Map<string, string>();
  for (const construct of synth.stack.node.findAll()) {
    if (construct instanceof CfnResource && construct.cfnResourceType === 'AWS::Lambda::Function') {
      paths.set(synth.stack.getLogicalId(construct), construct.node.path);
    }
  }
  const out: ShippedFunction[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const key = resource.Properties.Code?.S3Key;
    if (typeof key !== 'string') continue;
    const dir = join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`);
    if (!existsSync(join(dir, 'index.js'))) continue; // not a bundled Node function (e.g. a CDK-provided handler)
    const path = paths.get(logicalId) ?? resource.Metadata?.['aws:cdk:path'] ?? `stack/${logicalId}`;
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(resource.Properties.Environment?.Variables ?? {})) {
      env[name] = typeof value === 'string' ? value : placeholderFor(name);
    }
    delete env.NODE_OPTIONS; // set per run: with and without --enable-source-maps
    out.push({
      logicalId,
      name: path
        .split('/')
        .slice(1)
        .filter((p) => p !== 'Resource')
        .join('/'),
      dir,
      memory: resource.Properties.MemorySize ?? 128,
      env,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** A well-formed value for an environment variable the template fills from another resource. */
function placeholderFor(name: string): string {
  if (/ARN$/i.test(name)) {
    if (name.includes('TOPIC')) return 'arn:aws:sns:us-east-1:111122223333:placeholder';
    return 'arn:aws:secretsmanager:us-east-1:111122223333:secret:placeholder-AbCdEf';
  }
  if (/URL$/i.test(name)) return name.includes('QUEUE') ? 'https://sqs.us-east-1.amazonaws.com/111122223333/placeholder' : 'https://placeholder.example.com/';
  return `placeholder-${name.toLowerCase().replace(/_/g, '-')}`;
}

function bundleFigures(target: { name: string; dir: string }, s: { maps: number[]; plain: number[] }): BundleFigures {
  const js = join(target.dir, 'index.js');
  const map = join(target.dir, 'index.js.map');
  const summary = (values: number[]): InitFigures => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: round(median(values), 2), p90: round(percentile(sorted, 90), 2), min: round(sorted[0], 2), runs: values.length };
  };
  return {
    name: target.name,
    sdkClients: [],
    bundleBytes: statSync(js).size,
    sourceMapBytes: statSync(map).size,
    zippedBytes: deflateRawSync(readFileSync(js), { level: 9 }).length + deflateRawSync(readFileSync(map), { level: 9 }).length,
    initMillis: summary(s.maps),
    initMillisWithoutSourceMaps: summary(s.plain),
  };
}

/** Output bytes per package from esbuild's metafile: where a bundle's size (and parse time) comes from. */
function bundleComposition(metafilePath: string): { part: string; kib: number }[] {
  const meta = JSON.parse(readFileSync(metafilePath, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const totals = new Map<string, number>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const part = partOf(input);
      totals.set(part, (totals.get(part) ?? 0) + bytesInOutput);
    }
  }
  return [...totals.entries()]
    .map(([part, bytes]) => ({ part, kib: round(bytes / 1024, 1) }))
    .filter((p) => p.kib > 0)
    .sort((a, b) => b.kib - a.kib);
}

function partOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return input.startsWith('functions/') ? 'guardrail code (functions/)' : 'other';
  const rest = input.slice(at + 'node_modules/'.length).split('/');
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  if (name.startsWith('@smithy/') || name.startsWith('@aws-crypto/')) return 'AWS SDK core (@smithy)';
  if (name.startsWith('@aws-sdk/client-') || name === '@aws-sdk/lib-dynamodb') return name;
  if (name.startsWith('@aws-sdk/')) return 'AWS SDK shared (@aws-sdk)';
  return name;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
