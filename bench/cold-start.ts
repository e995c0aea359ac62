/**
 * Benchmark 3: cold start. Each guardrail Lambda bundle exactly as `cdk
 * synth` ships it (the stack is synthesised with bundling, so CDK runs the
 * local esbuild with the construct's own settings), its size, and its module
 * initialisation time: the median, over fresh `node` processes, of the time
 * `require()` of the bundle takes with the environment the stack sets. Beside
 * it, a minimal bundle holding only the same AWS SDK clients, built with the
 * same esbuild flags. Ours over minimal is what middy, Powertools, zod and the
 * guardrail's own code add to every cold start.
 *
 * Init runs with `--enable-source-maps` because the stack sets it in
 * NODE_OPTIONS (Node then reads the source map at load); the figure without
 * it is reported too.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { CfnResource } from 'aws-cdk-lib';
import { synthGuardrail } from '../test/infra/support';
import { median, percentile, round, significant } from './support/stats';

const PROJECT_ROOT = join(__dirname, '..');
const ESBUILD = join(PROJECT_ROOT, 'node_modules', '.bin', 'esbuild');

/** What the Lambda runtime itself sets (the function's own variables come from the template). */
const RUNTIME_ENV: Record<string, string> = {
  AWS_LAMBDA_FUNCTION_NAME: 'cold-start-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDCOLDSTART',
  AWS_SECRET_ACCESS_KEY: 'cold-start-secret',
};

const MINIMAL_NAME = 'minimal (SDK clients only)';
const MINIMAL_ENV: Record<string, string> = {};
const PURCHASE_REQUEST_ENTRY = 'functions/handlers/purchase-request.ts';

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

export interface BundleFigures {
  /** Construct path of the function in the stack, or the minimal baseline. */
  name: string;
  bundleBytes: number;
  sourceMapBytes: number;
  /** index.js + index.js.map deflated, as in the asset's zip. */
  zippedBytes: number;
  /** require() of the bundle in a fresh process, with --enable-source-maps (as deployed), ms. */
  initMillis: { median: number; p90: number; min: number; runs: number };
  initMillisWithoutSourceMaps: { median: number; p90: number; min: number; runs: number };
}

export interface ColdStartResult {
  esbuildArgs: string[];
  /** Rebuilding the purchase-request handler with these flags gives CDK's bundle byte for byte. */
  flagsReproduceCdkBundle: boolean;
  /** What the purchase-request bundle is made of, KiB of minified output per package (largest first). */
  composition: { part: string; kib: number }[];
  functionMemoryMb: number;
  bundles: BundleFigures[];
  minimal: BundleFigures;
  /** Per bundle: its init median over the minimal bundle's. */
  overMinimal: Record<string, number>;
  /** The largest of those (headline). */
  coldStartOverMinimal: number;
  largestBundleKiB: number;
}

/** The esbuild invocation the NodejsFunction makes for this stack's settings (aws-lambda-nodejs bundling.js). */
export function cdkEsbuildArgs(entry: string, outfile: string): string[] {
  return ['--bundle', entry, '--target=node24', '--platform=node', '--format=cjs', `--outfile=${outfile}`, '--minify', '--sourcemap', '--sources-content=false', '--keep-names'];
}

export async function benchmarkColdStart(options: ColdStartOptions): Promise<ColdStartResult> {
  const workDir = mkdtempSync(join(tmpdir(), 'guardrail-cold-start-'));
  try {
    options.log('cold start: cdk synth with bundling');
    const synth = synthGuardrail({}, { bundle: true, outdir: join(workDir, 'cdk.out') });
    const assembly = synth.app.synth();
    const shipped = shippedFunctions(synth, assembly.directory);
    const purchaseId = synth.logicalId(synth.stack.functions['purchase-request']);
    const reference = shipped.find((f) => f.logicalId === purchaseId);
    if (!reference) throw new Error('the purchase-request function was not found among the synthesised functions');

    options.log('cold start: minimal SDK-only bundle with the same esbuild flags');
    const minimalDir = join(workDir, 'minimal');
    const minimalEntry = join(PROJECT_ROOT, 'bench', 'support', 'minimal-sdk-handler.ts');
    execFileSync(ESBUILD, cdkEsbuildArgs(minimalEntry, join(minimalDir, 'index.js')), { cwd: PROJECT_ROOT, stdio: 'pipe' });

    // Proof the flags are CDK's: rebuild one shipped handler and compare bytes.
    const checkDir = join(workDir, 'check');
    // (--metafile only writes a report next to it; the bundle is unchanged, which the hash comparison proves.)
    const metafile = join(checkDir, 'meta.json');
    execFileSync(ESBUILD, [...cdkEsbuildArgs(join(PROJECT_ROOT, PURCHASE_REQUEST_ENTRY), join(checkDir, 'index.js')), `--metafile=${metafile}`], {
      cwd: PROJECT_ROOT,
      stdio: 'pipe',
    });
    const reproduces = sha256(join(checkDir, 'index.js')) === sha256(join(reference.dir, 'index.js'));
    const composition = bundleComposition(metafile);

    const minimalEnv = { ...MINIMAL_ENV };
    const targets = [
      ...shipped.map((f) => ({ name: f.name, dir: f.dir, env: f.env })),
      { name: MINIMAL_NAME, dir: minimalDir, env: minimalEnv },
    ];
    const samples = new Map<string, { maps: number[]; plain: number[] }>(targets.map((t) => [t.name, { maps: [], plain: [] }]));
    options.log(`cold start: ${options.runs} fresh processes per bundle, interleaved`);
    for (let run = 0; run < options.runs; run++) {
      for (const target of targets) {
        const s = samples.get(target.name)!;
        s.maps.push(initMillis(join(target.dir, 'index.js'), workDir, target.env, true));
        s.plain.push(initMillis(join(target.dir, 'index.js'), workDir, target.env, false));
      }
    }
    const figures = targets.map((t) => bundleFigures(t, samples.get(t.name)!));
    const minimal = figures.pop()!;
    const overMinimal: Record<string, number> = {};
    for (const b of figures) overMinimal[b.name] = significant(b.initMillis.median / minimal.initMillis.median);
    for (const b of [...figures, minimal]) {
      options.log(`  ${b.name}: ${round(b.bundleBytes / 1024, 1)} KiB, init median ${b.initMillis.median} ms`);
    }
    return {
      esbuildArgs: cdkEsbuildArgs('<entry>', '<asset>/index.js'),
      flagsReproduceCdkBundle: reproduces,
      composition,
      functionMemoryMb: reference.memory,
      bundles: figures,
      minimal,
      overMinimal,
      coldStartOverMinimal: Math.max(...Object.values(overMinimal)),
      largestBundleKiB: round(Math.max(...figures.map((b) => b.bundleBytes)) / 1024, 1),
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function initMillis(bundle: string, cwd: string, env: Record<string, string>, sourceMaps: boolean): number {
  const args = [...(sourceMaps ? ['--enable-source-maps'] : []), '-e', INIT_PROBE, bundle];
  // A clean environment: no NODE_OPTIONS or NODE_PATH from the caller, nothing on the module path but the bundle.
  const out = execFileSync(process.execPath, args, { cwd, env: { PATH: process.env.PATH ?? '', ...RUNTIME_ENV, ...env }, encoding: 'utf8' });
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
    { Type: string; Metadata?: Record<string, string>; Properties: { Code?: { S3Key?: string }; MemorySize?: number; Environment?: { Variables?: Record<string, unknown> } } }
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
      name: path.split('/').slice(1).filter((p) => p !== 'Resource').join('/'),
      dir,
      memory: resource.Properties.MemorySize ?? 128,
      env,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** A well-formed value for an environment variable the template fills from another resource. */
function placeholderFor(name: string): string {
  if (/ARN$/i.test(name)) return name.includes('TOPIC') ? 'arn:aws:sns:us-east-1:111122223333:placeholder' : 'arn:aws:secretsmanager:us-east-1:111122223333:secret:placeholder-AbCdEf';
  if (/URL$/i.test(name)) return 'https://sqs.us-east-1.amazonaws.com/111122223333/placeholder';
  return `placeholder-${name.toLowerCase().replace(/_/g, '-')}`;
}

function bundleFigures(target: { name: string; dir: string }, s: { maps: number[]; plain: number[] }): BundleFigures {
  const js = join(target.dir, 'index.js');
  const map = join(target.dir, 'index.js.map');
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { median: round(median(values), 2), p90: round(percentile(sorted, 90), 2), min: round(sorted[0], 2), runs: values.length };
  };
  return {
    name: target.name,
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
  if (name.startsWith('@aws-sdk/') || name.startsWith('@smithy/') || name.startsWith('@aws-crypto/')) return `AWS SDK (${name.split('/')[0]})`;
  return name;
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
