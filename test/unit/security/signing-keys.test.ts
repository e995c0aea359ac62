import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  DecisionLinkSigner,
  KeyringError,
  LocalFileKeyProvider,
  SecretsManagerKeyProvider,
  SsmParameterKeyProvider,
  decodeKey,
  parseKeyringJson,
} from '../../../functions/adapters/security';

const b64 = (n = 32) => randomBytes(n).toString('base64');
const ring = (currentId = 'k2', previousId = 'k1') => JSON.stringify({ current: { id: currentId, key: b64() }, previous: [{ id: previousId, key: b64() }] });

describe('parseKeyringJson', () => {
  it('reads current and previous keys', () => {
    const r = parseKeyringJson(ring(), 'test');
    expect(r.current.id).toBe('k2');
    expect(r.current.key.length).toBe(32);
    expect(r.previous.map((k) => k.id)).toEqual(['k1']);
  });

  it('names the source and field of each problem and never echoes key material', () => {
    const short = Buffer.alloc(16, 9).toString('base64');
    const cases: [string, RegExp][] = [
      ['not json', /test: is not JSON/],
      ['[]', /test: must be a JSON object/],
      ['{}', /test: current: must be/],
      [JSON.stringify({ current: { id: 'k 1', key: b64() } }), /test: current.id/],
      [JSON.stringify({ current: { id: 'k1', key: short } }), /test: current.key: must decode to at least 32 bytes \(got 16\)/],
      [JSON.stringify({ current: { id: 'k1', key: 'not base64!' } }), /test: current.key: must be a base64 string/],
      [JSON.stringify({ current: { id: 'k1', key: b64() }, previous: {} }), /previous must be a list/],
      [JSON.stringify({ current: { id: 'k1', key: b64() }, previous: [{ id: 'k1', key: b64() }] }), /"k1" appears twice/],
      [JSON.stringify({ current: { id: 'k1', key: b64() }, previous: [{ id: 'k0', key: 5 }] }), /test: previous\[0\].key/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parseKeyringJson(text, 'test');
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(KeyringError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('accepts base64url keys and refuses non-canonical ones', () => {
    const raw = randomBytes(32);
    expect(decodeKey(raw.toString('base64url'), 'k').equals(raw)).toBe(true);
    expect(() => decodeKey(`${raw.toString('base64').slice(0, -2)}B=`, 'k')).toThrow(KeyringError);
  });
});

describe('SecretsManagerKeyProvider', () => {
  const sm = mockClient(SecretsManagerClient);
  beforeEach(() => sm.reset());

  it('reads the keyring once per TTL and shares concurrent reads', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: ring() });
    let now = 1_000_000;
    const p = new SecretsManagerKeyProvider({ secretId: 'guardrail/decision-link-keys', client: new SecretsManagerClient({}), ttlMs: 60_000, now: () => now });
    const [a, b] = await Promise.all([p.current(), p.current()]);
    expect(a).toBe(b);
    expect((await p.byId('k1'))?.id).toBe('k1');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sm.commandCalls(GetSecretValueCommand)[0].args[0].input).toEqual({ SecretId: 'guardrail/decision-link-keys' });
    now += 60_000;
    await p.current();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('rereads early for a key id it does not know (a rotation elsewhere), at most every 30 s', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: ring('k2', 'k1') })
      .resolves({ SecretString: ring('k3', 'k2') });
    let now = 0;
    const p = new SecretsManagerKeyProvider({ secretId: 's', client: new SecretsManagerClient({}), now: () => now });
    expect((await p.current()).id).toBe('k2');
    expect(await p.byId('k3')).toBeUndefined();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    now = 30_000;
    expect((await p.byId('k3'))?.id).toBe('k3');
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('builds a signer that verifies tokens of the previous key', async () => {
    const k1 = { id: 'k1', key: randomBytes(32) };
    const old = await new DecisionLinkSigner(k1).issue({ recordId: 'R', approverEmail: 'a@example.com', expiresAt: new Date(Date.now() + 3_600_000) });
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ current: { id: 'k2', key: b64() }, previous: [{ id: 'k1', key: k1.key.toString('base64') }] }),
    });
    const signer = await DecisionLinkSigner.fromProvider(new SecretsManagerKeyProvider({ secretId: 's', client: new SecretsManagerClient({}) }));
    expect(signer.keyId).toBe('k2');
    expect((await signer.verify(old, { now: new Date() })).ok).toBe(true);
  });

  it('explains a secret without a string, and a read failure is retried on the next call', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretBinary: new Uint8Array([1]) })
      .rejectsOnce(new Error('throttled'))
      .resolves({ SecretString: ring() });
    const p = new SecretsManagerKeyProvider({ secretId: 'arn:secret', client: new SecretsManagerClient({}) });
    await expect(p.current()).rejects.toThrow(/secret arn:secret: has no SecretString/);
    await expect(p.current()).rejects.toThrow(/throttled/);
    await expect(p.current()).resolves.toMatchObject({ id: 'k2' });
    expect(() => new SecretsManagerKeyProvider({ secretId: '' })).toThrow(/secretId is required/);
  });
});

describe('SsmParameterKeyProvider', () => {
  const ssm = mockClient(SSMClient);
  beforeEach(() => ssm.reset());

  it('reads a keyring JSON SecureString with decryption', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/guardrail/keys', Type: 'SecureString', Value: ring(), Version: 4 } });
    const p = new SsmParameterKeyProvider({ name: '/guardrail/keys', client: new SSMClient({}) });
    expect((await p.current()).id).toBe('k2');
    expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({ Name: '/guardrail/keys', WithDecryption: true });
  });

  it('treats a single base64 value as key ssm-v<version> and reads the older versions the deployment names on demand', async () => {
    const v3 = randomBytes(32);
    const v2 = randomBytes(32);
    ssm.on(GetParameterCommand, { Name: '/guardrail/key:3' }).resolves({ Parameter: { Type: 'SecureString', Value: v3.toString('base64'), Version: 3 } });
    ssm.on(GetParameterCommand, { Name: '/guardrail/key:2' }).resolves({ Parameter: { Type: 'SecureString', Value: v2.toString('base64'), Version: 2 } });
    const notFound = Object.assign(new Error('nope'), { name: 'ParameterVersionNotFound' });
    ssm.on(GetParameterCommand, { Name: '/guardrail/key:1' }).rejects(notFound);
    const p = new SsmParameterKeyProvider({ name: '/guardrail/key', versions: [2, 3, 1], client: new SSMClient({}) });
    expect(await p.current()).toEqual({ id: 'ssm-v3', key: v3 });
    expect(await p.byId('ssm-v2')).toEqual({ id: 'ssm-v2', key: v2 });
    expect(await p.byId('ssm-v1')).toBeUndefined();
    expect(await p.byId('other')).toBeUndefined();
    // Older versions are cached too.
    await p.byId('ssm-v2');
    expect(ssm.commandCalls(GetParameterCommand, { Name: '/guardrail/key:2' })).toHaveLength(1);

    const oldToken = await new DecisionLinkSigner({ id: 'ssm-v2', key: v2 }).issue({
      recordId: 'R',
      approverEmail: 'a@example.com',
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const signer = await DecisionLinkSigner.fromProvider(p, { forToken: oldToken });
    expect((await signer.verify(oldToken, { now: new Date() })).ok).toBe(true);
  });

  it('accepts only the versions the deployment names: an unlisted older or newer version is no key', async () => {
    const [v1, v2, v5] = [randomBytes(32), randomBytes(32), randomBytes(32)];
    for (const [n, value] of [
      [1, v1],
      [2, v2],
      [5, v5],
    ] as const) {
      ssm
        .on(GetParameterCommand, { Name: `/guardrail/key:${n}` })
        .resolves({ Parameter: { Type: 'SecureString', Value: value.toString('base64'), Version: n } });
    }
    // Someone wrote version 5 to the parameter; the deployment still names 2 only.
    ssm.on(GetParameterCommand, { Name: '/guardrail/key' }).resolves({ Parameter: { Type: 'SecureString', Value: v5.toString('base64'), Version: 5 } });
    const listed = new SsmParameterKeyProvider({ name: '/guardrail/key', versions: [2], client: new SSMClient({}) });
    expect(await listed.current()).toEqual({ id: 'ssm-v2', key: v2 });
    expect(await listed.byId('ssm-v1')).toBeUndefined();
    expect(await listed.byId('ssm-v5')).toBeUndefined();
    const leaked = await new DecisionLinkSigner({ id: 'ssm-v1', key: v1 }).issue({
      recordId: 'R',
      approverEmail: 'a@example.com',
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    expect(await (await DecisionLinkSigner.fromProvider(listed, { forToken: leaked })).verify(leaked, { now: new Date() })).toEqual({
      ok: false,
      reason: 'unknown-key',
    });
    // Without a list, the latest version alone: no older version is read at all.
    const latest = new SsmParameterKeyProvider({ name: '/guardrail/key', client: new SSMClient({}) });
    expect((await latest.current()).id).toBe('ssm-v5');
    expect(await latest.byId('ssm-v2')).toBeUndefined();
    expect(
      ssm
        .commandCalls(GetParameterCommand)
        .map((c) => c.args[0].input.Name)
        .filter((n) => n === '/guardrail/key:1'),
    ).toHaveLength(0);
    expect(() => new SsmParameterKeyProvider({ name: '/k', versions: [0] })).toThrow(/versions: 0 is not a parameter version/);
  });

  it('refuses a plain String parameter (keys must be encrypted at rest)', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Type: 'String', Value: b64(), Version: 1 } });
    await expect(new SsmParameterKeyProvider({ name: '/k', client: new SSMClient({}) }).current()).rejects.toThrow(/must be a SecureString/);
  });
});

describe('LocalFileKeyProvider', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'guardrail-keys-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('creates a random key file with mode 0600 on first use and reuses it', async () => {
    const sub = path.join(dir, 'data', 'secrets');
    const p = new LocalFileKeyProvider({ directory: sub });
    const key = await p.current();
    expect(key.key.length).toBe(32);
    expect(key.id).toMatch(/^local-\d{8}-[0-9a-f]{6}$/);
    const stat = await fs.stat(p.filePath);
    expect(stat.mode & 0o777).toBe(0o600);
    expect((await fs.stat(sub)).mode & 0o077).toBe(0);
    const again = await new LocalFileKeyProvider({ directory: sub }).current();
    expect(again.key.equals(key.key)).toBe(true);
  });

  it('lets two processes starting at once end up with the same key', async () => {
    const [a, b] = await Promise.all([new LocalFileKeyProvider({ directory: dir }).current(), new LocalFileKeyProvider({ directory: dir }).current()]);
    expect(a.key.equals(b.key)).toBe(true);
  });

  it('refuses a key file other users can read', async () => {
    const p = new LocalFileKeyProvider({ directory: dir });
    await p.current();
    await fs.chmod(p.filePath, 0o644);
    await expect(new LocalFileKeyProvider({ directory: dir }).current()).rejects.toThrow(/readable by other users.*chmod 600/);
  });

  it('rotates: a new current key, the old one kept for verifying', async () => {
    const p = new LocalFileKeyProvider({ directory: dir });
    const before = await p.current();
    const token = await (
      await DecisionLinkSigner.fromProvider(p)
    ).issue({ recordId: 'R', approverEmail: 'a@example.com', expiresAt: new Date(Date.now() + 60_000) });
    const after = await p.rotate();
    expect(after.current.id).not.toBe(before.id);
    expect((await fs.stat(p.filePath)).mode & 0o777).toBe(0o600);
    const reread = new LocalFileKeyProvider({ directory: dir });
    expect((await reread.byId(before.id))?.key.equals(before.key)).toBe(true);
    expect((await (await DecisionLinkSigner.fromProvider(reread)).verify(token, { now: new Date() })).ok).toBe(true);
  });
});
