/**
 * Where ingest secrets come from: the document format with its problems by
 * key (never by value), the Secrets Manager provider's cache and early
 * re-read, the local file created on first use with mode 0600, and the
 * CLI's signing helper round-tripping through the ingest core.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SOURCE_NAMES } from '../../../functions/adapters/sources';
import { IngestSecretsError, MIN_INGEST_SECRET_LENGTH, parseIngestSecrets } from '../../../functions/adapters/ingest/ingest-secrets';
import { SecretsManagerIngestSecrets } from '../../../functions/adapters/ingest/secrets-manager-ingest-secrets';
import { FileIngestSecretProvider, LOCAL_INGEST_SECRETS_FILE, signForLocalIngest } from '../../../functions/adapters/ingest/file-ingest-secrets';
import { handleIngestRequest } from '../../../functions/adapters/ingest/ingest-request';
import { verifySharedSecretHeader } from '../../../functions/adapters/ingest/request-signature';
import { SourceOptionsError, parseSourceOptions } from '../../../functions/adapters/ingest/source-options';
import { FakeDeadLetters, FakePublisher, NOW, bodyOf, sampleText } from './fakes';

const A = 'a'.repeat(MIN_INGEST_SECRET_LENGTH);
const B = 'b'.repeat(MIN_INGEST_SECRET_LENGTH + 8);

describe('parseIngestSecrets', () => {
  test('a secret or a list of secrets per source; "_" keys are notes', () => {
    const { secrets, problems } = parseIngestSecrets(JSON.stringify({ okta: A, coupa: [B, A], _generated: 'ignored' }), 'doc');
    expect(Object.fromEntries(secrets)).toEqual({ okta: [A], coupa: [B, A] });
    expect(problems).toEqual([]);
  });

  test('a bad entry disables only its source, and the problem names the key but never the value', () => {
    const { secrets, problems } = parseIngestSecrets(
      JSON.stringify({ okta: 'short-secret', coupa: [B, 42], servicenow: [], jira: A, 'entra-id': [A, A, A, A, A, A], 'generic-form': { x: 1 } }),
      'secret arn:x',
    );
    expect(Object.fromEntries(secrets)).toEqual({ coupa: [B] });
    expect(problems).toEqual([
      `secret arn:x: okta is shorter than ${MIN_INGEST_SECRET_LENGTH} characters`,
      'secret arn:x: coupa[1] must be a string',
      'secret arn:x: servicenow must be a secret or a non-empty list of secrets',
      `secret arn:x: "jira" is not a source name (${SOURCE_NAMES.join(', ')})`,
      'secret arn:x: entra-id lists 6 secrets; at most 5 (remove retired ones)',
      'secret arn:x: generic-form must be a secret or a non-empty list of secrets',
    ]);
    expect(problems.join('\n')).not.toContain('short-secret');
  });

  test('a document that is not a JSON object throws naming where it came from, not its content', () => {
    expect(() => parseIngestSecrets('{"okta": "leaky-secret-value-000', 'secret X')).toThrow(IngestSecretsError);
    try {
      parseIngestSecrets('{"okta": "leaky-secret-value-000', 'secret X');
    } catch (error) {
      expect((error as Error).message).toMatch(/^secret X: is not JSON/);
      expect((error as Error).message).not.toContain('leaky');
    }
    expect(() => parseIngestSecrets('["a"]', 'secret X')).toThrow(/must be a JSON object keyed by source name/);
  });
});

describe('SecretsManagerIngestSecrets', () => {
  const sm = mockClient(SecretsManagerClient);
  let clock = 0;
  const now = () => clock;
  const provider = (extra: Partial<ConstructorParameters<typeof SecretsManagerIngestSecrets>[0]> = {}) =>
    new SecretsManagerIngestSecrets({ client: new SecretsManagerClient({ region: 'eu-west-1' }), secretId: 'arn:secret', now, ...extra });

  beforeEach(() => {
    sm.reset();
    clock = 0;
  });
  afterAll(() => sm.restore());

  test('reads the secret once per TTL, shared by concurrent callers', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ okta: A, coupa: [B] }) });
    const secrets = provider({ ttlMs: 60_000 });
    expect(await Promise.all([secrets.secretsFor('okta'), secrets.secretsFor('coupa'), secrets.secretsFor('servicenow')])).toEqual([[A], [B], []]);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: 'arn:secret' });
    clock = 59_999;
    await secrets.secretsFor('okta');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    clock = 60_000;
    await secrets.secretsFor('okta');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  test('a fresh request re-reads, but at most once per freshAfterMs (forged requests cannot hammer it)', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ okta: A }) })
      .resolves({ SecretString: JSON.stringify({ okta: [B, A] }) });
    const secrets = provider({ freshAfterMs: 30_000 });
    await secrets.secretsFor('okta');
    clock = 10_000;
    expect(await secrets.secretsFor('okta', { fresh: true })).toEqual([A]);
    clock = 30_000;
    expect(await secrets.secretsFor('okta', { fresh: true })).toEqual([B, A]);
    for (let i = 0; i < 50; i++) await secrets.secretsFor('okta', { fresh: true });
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  test('keeps verifying with the last document when Secrets Manager fails, retrying later', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ okta: A }) })
      .rejects(new Error('ThrottlingException'));
    const secrets = provider({ ttlMs: 1000, freshAfterMs: 500 });
    await secrets.secretsFor('okta');
    clock = 1000;
    expect(await secrets.secretsFor('okta')).toEqual([A]);
    expect(await secrets.secretsFor('okta')).toEqual([A]);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    clock = 1500;
    await secrets.secretsFor('okta');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });

  test('with nothing cached, a failure propagates (the ingest answer is 503)', async () => {
    sm.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException'));
    await expect(provider().secretsFor('okta')).rejects.toThrow('AccessDeniedException');
  });

  test('a binary secret or a broken document is refused, naming the secret; entry problems are reported', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) });
    await expect(provider().secretsFor('okta')).rejects.toThrow(/arn:secret: has no SecretString/);
    sm.reset();
    const reported: string[][] = [];
    sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ okta: 'tooshort' }) });
    expect(await provider({ onProblems: (p) => reported.push(p) }).secretsFor('okta')).toEqual([]);
    expect(reported).toEqual([[`secret arn:secret: okta is shorter than ${MIN_INGEST_SECRET_LENGTH} characters`]]);
  });
});

describe('FileIngestSecretProvider (local runtime)', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'guardrail-ingest-secrets-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  test('creates ingest-secrets.json on first use: one random secret per source, mode 0600', async () => {
    const provider = new FileIngestSecretProvider(join(dataDir, 'nested'));
    const [okta] = await provider.secretsFor('okta');
    const file = join(dataDir, 'nested', LOCAL_INGEST_SECRETS_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const document = JSON.parse(readFileSync(file, 'utf8'));
    expect(Object.keys(document).sort()).toEqual([...SOURCE_NAMES].sort());
    expect(document.okta).toBe(okta);
    expect(new Set(Object.values(document)).size).toBe(SOURCE_NAMES.length);
    for (const secret of Object.values(document) as string[]) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Stable across instances (the runtime and the CLI read the same file).
    expect(await new FileIngestSecretProvider(join(dataDir, 'nested')).secretsFor('okta')).toEqual([okta]);
  });

  test('concurrent first uses agree on one file', async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => new FileIngestSecretProvider(dataDir).secretsFor('coupa')));
    expect(new Set(results.map((r) => r[0])).size).toBe(1);
  });

  test('edits take effect without a restart; a source missing from an older file gets a secret', async () => {
    const file = join(dataDir, LOCAL_INGEST_SECRETS_FILE);
    writeFileSync(file, JSON.stringify({ okta: [B, A] }), { mode: 0o600 });
    const provider = new FileIngestSecretProvider(dataDir);
    expect(await provider.secretsFor('okta')).toEqual([B, A]);
    const [coupa] = await provider.secretsFor('coupa');
    expect(coupa).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ okta: [B, A], coupa });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await provider.secretsFor('not-a-source')).toEqual([]);
  });

  test('a broken entry the user wrote is not silently replaced', async () => {
    writeFileSync(join(dataDir, LOCAL_INGEST_SECRETS_FILE), JSON.stringify({ okta: 'short' }));
    expect(await new FileIngestSecretProvider(dataDir).secretsFor('okta')).toEqual([]);
    await expect(new FileIngestSecretProvider(dataDir).signingSecretFor('okta')).rejects.toThrow(/no usable secret for "okta"/);
  });

  test('signForLocalIngest produces a request the ingest core accepts with the same file', async () => {
    const body = sampleText('okta/event-hook-user-assigned.json');
    const signed = await signForLocalIngest('okta', body, dataDir, NOW);
    expect(signed.rawBody).toBe(body);
    const publisher = new FakePublisher();
    const response = await handleIngestRequest(
      { secrets: new FileIngestSecretProvider(dataDir), publish: publisher.publish, deadLetters: new FakeDeadLetters(), clock: { now: () => NOW } },
      { method: 'POST', source: 'okta', headers: signed.headers, rawBody: signed.rawBody, receivedAt: NOW },
    );
    expect(response.status).toBe(202);
    expect(bodyOf(response).accepted).toBe(1);
    expect(publisher.entries).toHaveLength(1);
  });

  test('an object body is serialised once, and the bytes sent are the bytes signed', async () => {
    const signed = await signForLocalIngest('generic-form', { request_id: 'PR-1', vendor: 'Ærø <b>' }, dataDir, NOW);
    expect(signed.rawBody).toBe('{"request_id":"PR-1","vendor":"Ærø <b>"}');
    expect(signed.headers).toMatchObject({ 'content-type': 'application/json', 'x-guardrail-timestamp': String(NOW.getTime() / 1000) });
    expect(signed.headers['x-guardrail-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
});

describe('verifySharedSecretHeader', () => {
  test('matches any configured secret exactly', () => {
    expect(verifySharedSecretHeader(A, [B, A])).toEqual({ ok: true });
    expect(verifySharedSecretHeader(`${A} `, [A]).ok).toBe(false);
    expect(verifySharedSecretHeader(A.toUpperCase(), [A]).ok).toBe(false);
  });

  test('missing header and unconfigured secret are refused with their own reasons', () => {
    expect(verifySharedSecretHeader(undefined, [A])).toEqual({ ok: false, reason: 'missing authorization header' });
    expect(verifySharedSecretHeader(A, [])).toEqual({ ok: false, reason: 'no shared secret is configured' });
    expect(verifySharedSecretHeader(A, [''])).toEqual({ ok: false, reason: 'no shared secret is configured' });
  });
});

describe('parseSourceOptions', () => {
  test('accepts an object or JSON text keyed by source name; empty means none', () => {
    const options = { okta: { appNames: { '0oa1': 'Zoom' } }, 'generic-form': { fields: {} } };
    expect(parseSourceOptions(options)).toEqual(options);
    expect(parseSourceOptions(JSON.stringify(options))).toEqual(options);
    expect(parseSourceOptions(undefined)).toEqual({});
    expect(parseSourceOptions('')).toEqual({});
  });

  test('names every problem', () => {
    let error: unknown;
    try {
      parseSourceOptions({ jira: {}, okta: [], coupa: { big: 'x'.repeat(4000) } }, 'guardrail:sourceOptions');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SourceOptionsError);
    expect((error as SourceOptionsError).problems).toEqual([
      expect.stringMatching(/^guardrail:sourceOptions\.jira: is not a source name/),
      'guardrail:sourceOptions.okta: must be an object',
      expect.stringMatching(/^guardrail:sourceOptions: is \d+ bytes as JSON; at most 3072/),
    ]);
    expect(() => parseSourceOptions('{nope')).toThrow(/is not JSON/);
    expect(() => parseSourceOptions('[1]')).toThrow(/must be an object keyed by source name/);
  });

  test('a generic form is named by formName, its namespace; the options it replaced are refused', () => {
    expect(parseSourceOptions({ 'generic-form': { formName: 'zip-intake' } })).toEqual({ 'generic-form': { formName: 'zip-intake' } });
    expect(() => parseSourceOptions({ 'generic-form': { formName: 'coupa:1' } })).toThrow(/generic-form\.formName: must be lower-case/);
    expect(() => parseSourceOptions({ 'generic-form': { requestIdPrefix: 'zip-' } })).toThrow(
      /generic-form\.requestIdPrefix: is no longer read: name the form with formName/,
    );
    expect(() => parseSourceOptions({ 'generic-form': { source: 'coupa' } })).toThrow(/generic-form\.source: is no longer read/);
  });
});
