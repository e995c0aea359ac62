/**
 * The keyring shape the deployed secret starts as: Secrets Manager generates
 * a random value only into a top-level field, so the secret is
 * `{"id": "generated-1", "key": "<88 characters of A-Z a-z 0-9>"}`, which is
 * canonical base64 of 66 bytes. Rotation rewrites it into current/previous.
 */
import { randomInt } from 'node:crypto';
import { DecisionLinkSigner } from '../../../functions/adapters/security/decision-link-signer';
import { KeyringError, SecretsManagerKeyProvider, parseKeyringJson } from '../../../functions/adapters/security/signing-keys';
import { mockClient } from 'aws-sdk-client-mock';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** What generateSecretString with passwordLength 88 and excludePunctuation produces. */
const generated = () => Array.from({ length: 88 }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');

describe('the generated single-key secret', () => {
  it('reads as a keyring whose current key is 66 bytes', () => {
    for (let i = 0; i < 50; i++) {
      const ring = parseKeyringJson(JSON.stringify({ id: 'generated-1', key: generated() }), 'secret');
      expect(ring.current.id).toBe('generated-1');
      expect(ring.current.key).toHaveLength(66);
      expect(ring.previous).toEqual([]);
    }
  });

  it('names the problem without key material: missing id, short key, previous keys in the single-key form', () => {
    expect(() => parseKeyringJson(JSON.stringify({ key: generated() }), 'secret arn:x')).toThrow(
      new KeyringError('secret arn:x.id: must be 1-64 letters, digits, ".", "_", ":" or "-"'),
    );
    expect(() => parseKeyringJson(JSON.stringify({ id: 'g', key: 'c2hvcnQ=' }), 'secret')).toThrow(/must decode to at least 32 bytes/);
    expect(() => parseKeyringJson(JSON.stringify({ id: 'g', key: generated(), previous: [{ id: 'old', key: generated() }] }), 'secret')).toThrow(
      /has no previous keys/,
    );
  });

  it('signs and verifies links when read from Secrets Manager', async () => {
    const sm = mockClient(SecretsManagerClient);
    try {
      sm.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ id: 'generated-1', key: generated() }) });
      const provider = new SecretsManagerKeyProvider({ secretId: 'arn:secret', client: new SecretsManagerClient({ region: 'eu-west-1' }) });
      const signer = await DecisionLinkSigner.fromProvider(provider);
      const now = new Date('2026-11-27T12:00:00Z');
      const token = await signer.issue({ recordId: 'PR-1', approverEmail: 'dana.okafor@example.com', expiresAt: new Date(now.getTime() + 3_600_000), now });
      expect(await signer.verify(token, { now })).toMatchObject({ ok: true, claims: { rid: 'PR-1', kid: 'generated-1' } });
    } finally {
      sm.restore();
    }
  });
});
