/**
 * The decision-link keyring from an SSM SecureString parameter: the keyring
 * JSON, or one base64 key whose parameter version is its id (see
 * signing-keys.ts for the format and rotation). In its own module, with its
 * own client, so a bundle built for Secrets Manager keys (the stack's) holds
 * neither this provider nor the SSM client (about 220 KiB).
 */
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { traced } from '../tracing';
import { CachedKeyProvider, KeyringError, decodeKey, parseKeyringJson, type CacheOptions, type Keyring, type SigningKey } from './signing-keys';

let ssm: SSMClient | undefined;

/** The process-wide SSM client (traced like the others in clients.ts). */
export function ssmClient(): SSMClient {
  ssm ??= traced(new SSMClient({}));
  return ssm;
}

/** Reads the keyring (JSON) or a single base64 key from an SSM SecureString parameter. */
export class SsmParameterKeyProvider extends CachedKeyProvider {
  private readonly client: SSMClient;
  private readonly versions: readonly number[];
  private readonly olderVersions = new Map<string, SigningKey | undefined>();

  /**
   * @param options.versions the parameter versions this deployment accepts
   *   (single-key form); the highest signs. Empty or absent: the latest
   *   version only.
   */
  constructor(private readonly options: CacheOptions & { name: string; versions?: readonly number[]; client?: SSMClient }) {
    super(options);
    if (!options.name) throw new KeyringError('name is required (the SSM parameter holding the decision-link key)');
    const versions = options.versions ?? [];
    const bad = versions.find((v) => !Number.isSafeInteger(v) || v < 1);
    if (bad !== undefined) throw new KeyringError(`versions: ${String(bad)} is not a parameter version (a whole number from 1)`);
    this.versions = [...new Set(versions)].sort((a, b) => b - a);
    this.client = options.client ?? ssmClient();
  }

  protected async load(): Promise<Keyring> {
    const [newest] = this.versions;
    const name = newest === undefined ? this.options.name : `${this.options.name}:${newest}`;
    const out = await this.client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    const p = out.Parameter;
    if (!p || typeof p.Value !== 'string') throw new KeyringError(`parameter ${name}: has no value`);
    if (p.Type && p.Type !== 'SecureString') throw new KeyringError(`parameter ${this.options.name}: must be a SecureString (it is ${p.Type})`);
    return this.ringFrom(p.Value, newest ?? p.Version, name);
  }

  /** For a single-key parameter, `ssm-v<n>` names version n: read it through `name:n`, if the deployment accepts n. */
  protected async loadById(id: string): Promise<SigningKey | undefined> {
    const m = /^ssm-v(\d{1,9})$/.exec(id);
    if (!m || !this.versions.includes(Number(m[1]))) return undefined;
    if (this.olderVersions.has(id)) return this.olderVersions.get(id);
    let key: SigningKey | undefined;
    try {
      const out = await this.client.send(new GetParameterCommand({ Name: `${this.options.name}:${m[1]}`, WithDecryption: true }));
      const value = out.Parameter?.Value;
      key = typeof value === 'string' && !value.trim().startsWith('{') ? { id, key: decodeKey(value, `parameter ${this.options.name}:${m[1]}`) } : undefined;
    } catch (e) {
      // A version that does not exist (or was deleted) cannot verify anything: remember that.
      if ((e as { name?: string }).name !== 'ParameterVersionNotFound' && (e as { name?: string }).name !== 'ParameterNotFound') throw e;
      key = undefined;
    }
    this.olderVersions.set(id, key);
    return key;
  }

  private ringFrom(value: string, version: number | undefined, source: string): Keyring {
    if (value.trim().startsWith('{')) return parseKeyringJson(value, `parameter ${source}`);
    return { current: { id: `ssm-v${version ?? 1}`, key: decodeKey(value, `parameter ${source}`) }, previous: [] };
  }
}
