/**
 * The `guardrail` CLI as users run it: `node bin/guardrail.js …` in a child
 * process, so the tsx shim, argument parsing, stdout/stderr and exit codes are
 * what is tested. The processes start together in beforeAll (each pays tsx's
 * start-up once, in parallel) and the tests read their results.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function guardrail(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'guardrail.js'), ...args],
      { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** A port nothing listens on: bind one, note it, close it. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('guardrail CLI (child process)', () => {
  let work: string;
  const runs: Record<string, Run> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'guardrail-cli-test-'));
    const invalid = JSON.parse(readFileSync(join(ROOT, 'events', 'purchase-request', 'slack-seats-sanctioned.json'), 'utf8'));
    // What cannot be read at all: a negative amount and a term in words nobody can count.
    invalid.detail.amount.value = -12;
    invalid.detail.termMonths = 'a while';
    writeFileSync(join(work, 'invalid-event.json'), JSON.stringify(invalid));
    writeFileSync(join(work, 'not-json.json'), '{"source": "procurement-guardrail",');
    const policy = readFileSync(join(ROOT, 'policy', 'default.yaml'), 'utf8');
    // Two mistakes a person makes: a misspelt status, and a misspelt rule that would silently default.
    writeFileSync(join(work, 'bad-policy.yaml'), policy.replace('status: sanctioned', 'status: sanctionned').replace(/requireDpa:/, 'requireDPA:'));
    const port = await closedPort();

    const [evaluate, evaluateOtherCwd, invalidEvent, notJson, missing, validGood, validBad, unknown, sendRefused, normalize] = await Promise.all([
      guardrail(['evaluate', 'events/purchase-request/dropbox-marketing-confidential.json', '--now', '2026-12-01T09:00:00Z']),
      guardrail(['evaluate', join(ROOT, 'events', 'app-connected', 'okta-app-created-unknown.json')], { cwd: work }),
      guardrail(['evaluate', join(work, 'invalid-event.json')]),
      guardrail(['evaluate', join(work, 'not-json.json')]),
      guardrail(['evaluate', join(work, 'no-such-file.json')]),
      guardrail(['policy', 'validate', 'policy/default.yaml']),
      guardrail(['policy', 'validate', join(work, 'bad-policy.yaml')]),
      guardrail(['frobnicate']),
      guardrail(['send', 'events/purchase-request/slack-seats-sanctioned.json', '--url', `http://127.0.0.1:${port}`]),
      guardrail(['normalize', 'events/okta/eventbridge-application-created.json']),
    ]);
    Object.assign(runs, { evaluate, evaluateOtherCwd, invalidEvent, notJson, missing, validGood, validBad, unknown, sendRefused, normalize });
  }, 120_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('evaluate prints the decision as JSON and exits 0: the Dropbox request is a review naming Box as the duplicate', () => {
    const { code, stdout, stderr } = runs.evaluate;
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const decision = JSON.parse(stdout);
    expect(decision).toMatchObject({ kind: 'purchase-request', recordId: 'coupa:PR-2026-1042', outcome: 'review', evaluatedAt: '2026-12-01T09:00:00.000Z' });
    expect(decision.policyVersion).toMatch(/\S/);
    expect(decision.summary).toMatch(/\S/);
    const duplicate = decision.findings.find((f: { code: string }) => f.code === 'DUPLICATE_CAPABILITY');
    expect(duplicate?.message).toContain('Box');
  });

  it('evaluate finds the default policy from any working directory', () => {
    expect(runs.evaluateOtherCwd.code).toBe(0);
    expect(JSON.parse(runs.evaluateOtherCwd.stdout)).toMatchObject({ kind: 'app-connected', outcome: 'review' });
  });

  it('evaluate exits 2 on an invalid event, naming each bad field on stderr', () => {
    const { code, stdout, stderr } = runs.invalidEvent;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('detail.amount.value');
    expect(stderr).toContain('detail.termMonths');
  });

  it('evaluate exits 2 with a clear message for bad JSON and for a missing file', () => {
    expect(runs.notJson.code).toBe(2);
    expect(runs.notJson.stderr).toMatch(/not-json\.json is not valid JSON/);
    expect(runs.missing.code).toBe(2);
    expect(runs.missing.stderr).toMatch(/cannot read .*no-such-file\.json: no such file/);
  });

  it('policy validate summarises a good policy and lists each problem of a bad one with its path', () => {
    expect(runs.validGood.code).toBe(0);
    expect(runs.validGood.stdout).toMatch(/^valid: version \S+, \d+ vendors, \d+ categories\n$/);
    expect(runs.validBad.code).toBe(2);
    expect(runs.validBad.stderr).toMatch(/vendors\[\d+\]\.status: /);
    expect(runs.validBad.stderr).toMatch(/dataClassification\.\w+\.requireDPA: unknown field/);
  });

  it('an unknown command exits 2 with the usage, which documents the exit codes', () => {
    expect(runs.unknown.code).toBe(2);
    expect(runs.unknown.stderr).toContain('unknown command "frobnicate"');
    expect(runs.unknown.stderr).toContain('Exit codes:');
  });

  it('send exits 1 with a hint to run npm start when nothing listens', () => {
    expect(runs.sendRefused.code).toBe(1);
    expect(runs.sendRefused.stderr).toContain('npm start');
  });

  it('normalize prints the canonical event a native Okta payload becomes', () => {
    expect(runs.normalize.code).toBe(0);
    const result = JSON.parse(runs.normalize.stdout);
    expect(result).toMatchObject({ status: 'ok', source: 'okta' });
    expect(result.events[0]).toMatchObject({ kind: 'app-connected', detail: { source: 'okta', connectionKind: 'sso-app-created' } });
  });
});
