/**
 * Where decision-link keys come from. Deployed: AWS Secrets Manager or an
 * SSM SecureString parameter (ssm-parameter-keys.ts; rotation by adding a new current key and
 * keeping the old one as previous until its links have expired). Locally: a
 * random key file created on first use with mode 0600. Keys never appear in
 * code, logs or error messages.
 *
 * Keyring JSON (Secrets Manager secret string, or SSM parameter value):
 *   {"current": {"id": "2026-11", "key": "<base64, >= 32 bytes>"},
 *    "previous": [{"id": "2026-10", "key": "<base64>"}]}
 * An SSM parameter may instead hold just the base64 key; its parameter
 * version is then the key id (`ssm-v3`). Only versions the deployment names
 * are accepted (`versions`, from DECISION_LINK_KEY_PARAMETER_VERSIONS): the
 * highest signs, the others verify, read through SSM's `name:version`
 * selector. Without that list the latest version signs and verifies alone, so
 * a new version written to the parameter (or an old, retired one) never
 * becomes a key the links trust behind the deployment's back.
 *
 * A single-key form is accepted too, `{"id": "generated-1", "key": "<base64>"}`:
 * it is what the deployed secret starts as, because Secrets Manager can
 * generate a random value only into a top-level field. Rotate by rewriting
 * it into the `current`/`previous` form.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerClient } from '../clients';
import { createPrivateFileOnce, replacePrivateFile } from '../private-file';
import { CachedRead } from '../cached-read';
import { MIN_KEY_BYTES, type SigningKey } from './decision-link-signer';

export type { SigningKey };

export interface Keyring {
  current: SigningKey;
  previous: SigningKey[];
}

/** The agreed interface: the current signing key, and any key by id (for verifying older tokens). */
export interface SigningKeyProvider {
  current(): Promise<SigningKey>;
  byId(id: string): Promise<SigningKey | undefined>;
  /** Current and previous keys in one read (what a signer is built from). */
  keyring(): Promise<Keyring>;
}

/** A keyring that cannot be used; the message names the source and field, never key material. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

const KEY_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Decodes a base64 (or base64url) key strictly; refuses anything shorter than {@link MIN_KEY_BYTES}. */
export function decodeKey(text: unknown, where: string): Buffer {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text.trim())) {
    throw new KeyringError(`${where}: must be a base64 string`);
  }
  const trimmed = text.trim();
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.toString('base64').replace(/=+$/, '') !== trimmed.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '')) {
    throw new KeyringError(`${where}: is not valid base64`);
  }
  if (key.length < MIN_KEY_BYTES) throw new KeyringError(`${where}: must decode to at least ${MIN_KEY_BYTES} bytes (got ${key.length})`);
  return key;
}

/** Parses keyring JSON; each problem names `source` and the field path. */
export function parseKeyringJson(text: string, source: string): Keyring {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new KeyringError(`${source}: is not JSON (expected {"current": {"id", "key"}, "previous": [...]})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new KeyringError(`${source}: must be a JSON object`);
  const o = value as Record<string, unknown>;
  if (o.current === undefined && o.key !== undefined) {
    // The single-key form: the key Secrets Manager generated at deployment.
    if (o.previous !== undefined && !(Array.isArray(o.previous) && o.previous.length === 0)) {
      throw new KeyringError(`${source}: a single-key secret ({"id", "key"}) has no previous keys; use {"current": …, "previous": […]} to rotate`);
    }
    return { current: parseKey({ id: o.id, key: o.key }, `${source}`), previous: [] };
  }
  const current = parseKey(o.current, `${source}: current`);
  if (o.previous !== undefined && !Array.isArray(o.previous)) throw new KeyringError(`${source}: previous must be a list`);
  const previous = ((o.previous as unknown[] | undefined) ?? []).map((k, i) => parseKey(k, `${source}: previous[${i}]`));
  const ids = new Set<string>();
  for (const k of [current, ...previous]) {
    if (ids.has(k.id)) throw new KeyringError(`${source}: key id "${k.id}" appears twice`);
    ids.add(k.id);
  }
  return { current, previous };
}

function parseKey(value: unknown, where: string): SigningKey {
  if (typeof value !== 'object' || value === null) throw new KeyringError(`${where}: must be {"id": ..., "key": ...}`);
  const { id, key } = value as Record<string, unknown>;
  if (typeof id !== 'string' || !KEY_ID.test(id)) throw new KeyringError(`${where}.id: must be 1-64 letters, digits, ".", "_", ":" or "-"`);
  return { id, key: decodeKey(key, `${where}.key`) };
}

export interface CacheOptions {
  /** How long a read keyring is trusted before it is read again (default 5 minutes). */
  ttlMs?: number;
  /** An unknown key id triggers a fresh read, at most this often (default 30 s): a rotation elsewhere shows up fast. */
  unknownKeyRefreshMs?: number;
  /** For tests: the clock. */
  now?: () => number;
}

/**
 * Caches a keyring for a TTL, shares one in-flight read between concurrent
 * callers, and rereads early when asked for a key id it does not know.
 */
export abstract class CachedKeyProvider implements SigningKeyProvider {
  private readonly ring: CachedRead<Keyring>;
  private readonly ttlMs: number;
  private readonly unknownKeyRefreshMs: number;

  protected constructor(options: CacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.unknownKeyRefreshMs = options.unknownKeyRefreshMs ?? 30_000;
    this.ring = new CachedRead(() => this.load(), options.now);
  }

  /** Reads the keyring from its source. */
  protected abstract load(): Promise<Keyring>;

  /** Looks up a key the keyring does not list (e.g. an older SSM version); none by default. */
  protected loadById(_id: string): Promise<SigningKey | undefined> {
    return Promise.resolve(undefined);
  }

  async keyring(): Promise<Keyring> {
    const cached = this.ring.peek();
    if (cached && cached.ageMs < this.ttlMs) return cached.value;
    return this.ring.refresh();
  }

  async current(): Promise<SigningKey> {
    return (await this.keyring()).current;
  }

  async byId(id: string): Promise<SigningKey | undefined> {
    const find = (ring: Keyring) => [ring.current, ...ring.previous].find((k) => k.id === id);
    const ring = await this.keyring();
    const hit = find(ring);
    if (hit) return hit;
    if ((this.ring.peek()?.ageMs ?? 0) >= this.unknownKeyRefreshMs) {
      const fresh = find(await this.ring.refresh());
      if (fresh) return fresh;
    }
    return this.loadById(id);
  }
}

/** Reads the keyring JSON from an AWS Secrets Manager secret. */
export class SecretsManagerKeyProvider extends CachedKeyProvider {
  private readonly client: SecretsManagerClient;

  constructor(private readonly options: CacheOptions & { secretId: string; client?: SecretsManagerClient }) {
    super(options);
    if (!options.secretId) throw new KeyringError('secretId is required (the ARN or name of the decision-link key secret)');
    this.client = options.client ?? secretsManagerClient();
  }

  protected async load(): Promise<Keyring> {
    const out = await this.client.send(new GetSecretValueCommand({ SecretId: this.options.secretId }));
    if (typeof out.SecretString !== 'string') {
      throw new KeyringError(`secret ${this.options.secretId}: has no SecretString (store the keyring JSON as text)`);
    }
    return parseKeyringJson(out.SecretString, `secret ${this.options.secretId}`);
  }
}

/** A fixed keyring (tests, the CLI with a key passed in). */
export class StaticKeyProvider implements SigningKeyProvider {
  constructor(private readonly ring: Keyring) {}
  async keyring(): Promise<Keyring> {
    return this.ring;
  }
  async current(): Promise<SigningKey> {
    return this.ring.current;
  }
  async byId(id: string): Promise<SigningKey | undefined> {
    return [this.ring.current, ...this.ring.previous].find((k) => k.id === id);
  }
}

/**
 * For `npm start`: a keyring file under the local data directory, created
 * with a random key (mode 0600, directory 0700) the first time it is needed.
 * A file other users can read is refused rather than trusted.
 */
export class LocalFileKeyProvider implements SigningKeyProvider {
  static readonly FILE_NAME = 'decision-link-keys.json';
  private ring?: Promise<Keyring>;

  constructor(private readonly options: { directory: string; fileName?: string }) {
    if (!options.directory) throw new KeyringError('directory is required');
  }

  get filePath(): string {
    return path.join(this.options.directory, this.options.fileName ?? LocalFileKeyProvider.FILE_NAME);
  }

  keyring(): Promise<Keyring> {
    this.ring ??= this.loadOrCreate().catch((e) => {
      this.ring = undefined;
      throw e;
    });
    return this.ring;
  }

  async current(): Promise<SigningKey> {
    return (await this.keyring()).current;
  }

  async byId(id: string): Promise<SigningKey | undefined> {
    const ring = await this.keyring();
    return [ring.current, ...ring.previous].find((k) => k.id === id);
  }

  /** Makes a new current key and keeps the old one for verifying (tries rotation locally). */
  async rotate(): Promise<Keyring> {
    const old = await this.keyring();
    const next: Keyring = { current: newKey(), previous: [old.current, ...old.previous].slice(0, 5) };
    await replacePrivateFile(this.filePath, serialise(next));
    this.ring = Promise.resolve(next);
    return next;
  }

  private async loadOrCreate(): Promise<Keyring> {
    await fs.mkdir(this.options.directory, { recursive: true, mode: 0o700 });
    const file = this.filePath;
    try {
      return await this.read(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const ring: Keyring = { current: newKey(), previous: [] };
    // If another process created the file first, use theirs.
    return (await createPrivateFileOnce(file, serialise(ring))) ? ring : this.read(file);
  }

  private async read(file: string): Promise<Keyring> {
    const stat = await fs.stat(file);
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new KeyringError(`${file}: readable by other users (mode ${(stat.mode & 0o777).toString(8)}); run: chmod 600 ${file}`);
    }
    return parseKeyringJson(await fs.readFile(file, 'utf8'), file);
  }
}

function newKey(): SigningKey {
  const stamp = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return { id: `local-${stamp}-${randomBytes(3).toString('hex')}`, key: randomBytes(32) };
}

function serialise(ring: Keyring): string {
  const k = (key: SigningKey) => ({ id: key.id, key: key.key.toString('base64') });
  return `${JSON.stringify({ current: k(ring.current), previous: ring.previous.map(k) }, null, 2)}\n`;
}
