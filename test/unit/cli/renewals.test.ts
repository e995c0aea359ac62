/** `guardrail renewals` on a local data folder: the calendar, an owner's decision recorded once, usage errors. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../functions/cli/main';

const ROOT = join(__dirname, '..', '..', '..');

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env, cwd: ROOT });
  return { code, stdout, stderr };
}

describe('guardrail renewals', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'guardrail-renewals-'));
    env = { GUARDRAIL_DATA_DIR: dir };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says plainly when no policy is stored, and names a bad window', async () => {
    expect(await cli(['renewals'], env)).toMatchObject({ code: 1, stderr: expect.stringContaining('no current policy') });
    expect(await cli(['renewals', '--within', 'soon'], env)).toMatchObject({ code: 2, stderr: expect.stringContaining('--within') });
  });

  it('lists the calendar and records a decision once', async () => {
    expect((await cli(['policy', 'import', 'policy/default.yaml'], env)).code).toBe(0);
    const listed = await cli(['renewals', '--within', '120d', '--now', '2026-11-30T07:00:00Z'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('2027-01-15  Okta  [vendor:okta]');
    expect(listed.stdout).toContain('seats 2,600 bought, 2,512 used (from the policy), 88 unused');
    const ack = await cli(['renewals', 'ack', 'vendor:okta', '--action', 'renegotiate', '--by', 'security@example.com', '--now', '2026-11-30T08:00:00Z'], env);
    expect(ack).toMatchObject({ code: 0, stdout: expect.stringContaining('Recorded: Okta renewing 2027-01-15: Renegotiate') });
    expect(
      await cli(['renewals', 'ack', 'vendor:okta', '--action', 'cancel', '--by', 'security@example.com', '--now', '2026-11-30T08:00:00Z'], env),
    ).toMatchObject({ code: 1, stderr: expect.stringContaining('already decided') });
    const json = JSON.parse((await cli(['renewals', '--json', '--within', '60', '--now', '2026-11-30T07:00:00Z'], env)).stdout) as {
      renewals: { key: string; decision: { action: string } | null }[];
    };
    expect(json.renewals.find((r) => r.key === 'vendor:okta')?.decision).toMatchObject({ action: 'renegotiate' });
    expect(await cli(['renewals', 'ack', 'okta', '--action', 'cancel', '--by', 'x@example.com'], env)).toMatchObject({ code: 2 });
  });
});
