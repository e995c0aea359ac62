/**
 * CLI commands that talk to the local store and the local runtime, run
 * in-process through `runCli` with captured streams (starting dynalite and a
 * runtime per child process would make these slow for no extra truth: the
 * child-process tests already cover the entry and exit codes).
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../functions/cli/main';
import { startLocalRuntime, type LocalRuntime } from '../../../functions/local/runtime';

const ROOT = join(__dirname, '..', '..', '..');

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
    cwd: ROOT,
  });
  return { code, stdout, stderr };
}

describe('guardrail policy import/show and send against local data', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let runtime: LocalRuntime | undefined;
  let policyV2: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-cli-store-'));
    env = { ...process.env, GUARDRAIL_DATA_DIR: dataDir, GUARDRAIL_URL: '' };
    delete env.GUARDRAIL_URL;
    policyV2 = join(dataDir, 'policy-v2.yaml');
    writeFileSync(
      policyV2,
      readFileSync(join(ROOT, 'policy', 'default.yaml'), 'utf8')
        .replace(/^version: .*$/m, 'version: 2026-11-27.2')
        .replace('seats: 500', 'seats: 600'),
    );
  });

  afterAll(async () => {
    await runtime?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports into the data folder directly when no runtime holds it, and shows it', async () => {
    const first = await cli(['policy', 'import', 'policy/default.yaml'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(`Stored policy 2026-11-27.1 (27 vendors, 14 categories) in the local store (${dataDir}); it is now current.\n`);

    const again = await cli(['policy', 'import', 'policy/default.yaml'], env);
    expect(again.stdout).toMatch(/^Policy 2026-11-27\.1 .* is already stored in the local store .* and current; nothing changed\.\n$/);

    const shown = await cli(['policy', 'show'], env);
    expect(shown.code).toBe(0);
    const body = JSON.parse(shown.stdout);
    expect(body.versions).toHaveLength(1);
    expect(body.policy.version).toBe(body.version);
  });

  it('refuses to change an imported version: versions are immutable (exit 1)', async () => {
    const changed = join(dataDir, 'changed.yaml');
    const current = JSON.parse((await cli(['policy', 'show'], env)).stdout).version as string;
    writeFileSync(changed, readFileSync(join(ROOT, 'policy', 'default.yaml'), 'utf8').replace('seats: 120', 'seats: 121'));
    const result = await cli(['policy', 'import', changed], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`"${current}" already exists with different content`);
  });

  it('imports through the running runtime when it holds the data folder, and send posts events to it', async () => {
    runtime = await startLocalRuntime({ port: 0, dataDir, replaySamples: false, out: { write: () => true } });
    const imported = await cli(['policy', 'import', policyV2], env);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(`Importing through the local runtime at ${runtime.url} (POST /policy)`);
    expect(imported.stdout).toBe(
      'Stored policy 2026-11-27.2 (27 vendors, 14 categories); it is now current (was 2026-11-27.1). Changes: Box: seats 500 → 600.\n',
    );

    // An older version is refused (exit 1) unless forced; the refusal says how versions are compared.
    const older = await cli(['policy', 'import', 'policy/default.yaml'], env);
    expect(older.code).toBe(1);
    expect(older.stderr).toMatch(
      /"2026-11-27\.1" is older than the current "2026-11-27\.2"; versions are compared part by part.* with --force \(for a rollback\)\.\n$/,
    );
    const forced = await cli(['policy', 'import', 'policy/default.yaml', '--force'], env);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/it is now current again \(was 2026-11-27\.2\)\. Changes: Box: seats 600 → 500\./);
    expect((await cli(['policy', 'import', policyV2], env)).code).toBe(0);

    // `send` finds the runtime from the data folder (no --url needed).
    const sent = await cli(['send', 'events/purchase-request/wetransfer-prohibited.json'], env);
    expect(sent.code).toBe(0);
    expect(JSON.parse(sent.stdout)).toMatchObject({ recordId: 'form:intake:PR-2026-1045', outcome: 'block', duplicate: false, policyVersion: '2026-11-27.2' });

    const badEvent = join(dataDir, 'bad-event.json');
    writeFileSync(badEvent, JSON.stringify({ kind: 'app-connected', source: 'okta', sourceEventId: 'x' }));
    const refused = await cli(['send', badEvent, '--url', runtime.url], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('HTTP 400');
    expect(JSON.parse(refused.stdout).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^detail\.occurredAt: /)]));
  });

  it('prints help with exit codes for every command', async () => {
    for (const command of ['evaluate', 'normalize', 'send', 'policy']) {
      const help = await cli([command, '--help'], env);
      expect({ command, code: help.code }).toEqual({ command, code: 0 });
      expect(help.stdout).toContain(`Usage: guardrail ${command}`);
      expect(help.stdout).toContain('Exit codes');
    }
  });

  it('evaluate reads a native payload with --source, and reports an ignored one without failing', async () => {
    const native = await cli(['evaluate', 'events/entra-id/add-application.json', '--source', 'entra-id'], env);
    expect(native.code).toBe(0);
    expect(JSON.parse(native.stdout)).toMatchObject({ kind: 'app-connected' });

    const ignored = await cli(['evaluate', 'events/google-workspace/ignored-revoke.json'], env);
    expect(ignored.code).toBe(0);
    expect(JSON.parse(ignored.stdout)).toMatchObject({ status: 'ignored', source: 'google-workspace' });

    const unknownSource = await cli(['normalize', 'events/okta/eventbridge-application-created.json', '--source', 'myspace'], env);
    expect(unknownSource.code).toBe(2);
    expect(unknownSource.stderr).toContain('--source: "myspace" is not a known source');
  });
});
