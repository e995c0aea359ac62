/**
 * Ingest secrets from one AWS Secrets Manager secret (the document described
 * in `ingest-secrets.ts`). A warm Lambda reads it once per TTL, not per
 * request; a signature mismatch may force an early re-read (at most every
 * `freshAfterMs`), so a secret added for a rotation works within seconds
 * while a flood of forged requests still costs at most one read per interval.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { IngestSecretProvider } from '../../domain/ingest';
import type { SourceName } from '../sources/source-names';
import { IngestSecretsError, parseIngestSecrets } from './ingest-secrets';
import { CachedRead } from '../cached-read';

/** Env var with the secret's ARN (the CDK stack sets it on the ingest function). */
export const INGEST_SECRET_ARN_ENV = 'INGEST_SECRET_ARN';

export interface SecretsManagerIngestSecretsOptions {
  client: SecretsManagerClient;
  /** ARN or name of the secret. */
  secretId: string;
  /** How long a read document is used (default 5 minutes). */
  ttlMs?: number;
  /** Minimum age of the cached document before a `fresh` request re-reads it (default 30 s). */
  freshAfterMs?: number;
  /** Told about entries that were skipped (never their values). */
  onProblems?: (problems: string[]) => void;
  now?: () => number;
}

export class SecretsManagerIngestSecrets implements IngestSecretProvider {
  private readonly document: CachedRead<ReadonlyMap<SourceName, readonly string[]>>;
  private readonly ttlMs: number;
  private readonly freshAfterMs: number;

  constructor(private readonly options: SecretsManagerIngestSecretsOptions) {
    if (!options.secretId) throw new IngestSecretsError('secretId is required (the ARN of the ingest secret)');
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.freshAfterMs = options.freshAfterMs ?? 30_000;
    this.document = new CachedRead(() => this.load(), options.now);
  }

  async secretsFor(source: string, options: { fresh?: boolean } = {}): Promise<readonly string[]> {
    const secrets = await this.secrets(options.fresh === true);
    return secrets.get(source as SourceName) ?? [];
  }

  private async secrets(fresh: boolean): Promise<ReadonlyMap<SourceName, readonly string[]>> {
    const cached = this.document.peek();
    if (!cached) return this.document.refresh();
    const stale = cached.ageMs >= this.ttlMs || (fresh && cached.ageMs >= this.freshAfterMs);
    if (!stale) return cached.value;
    try {
      return await this.document.refresh();
    } catch (error) {
      // A Secrets Manager blip must not lock every sender out: keep verifying with what we had,
      // unless the document itself became unusable (then refusing is right).
      if (error instanceof IngestSecretsError) throw error;
      // Try again after `freshAfterMs`, not on every request while the service is down.
      this.document.age(this.ttlMs - this.freshAfterMs);
      return cached.value;
    }
  }

  private async load(): Promise<ReadonlyMap<SourceName, readonly string[]>> {
    const { secretId, client } = this.options;
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (typeof out.SecretString !== 'string') {
      throw new IngestSecretsError(`secret ${secretId}: has no SecretString (store the JSON document as text)`);
    }
    const parsed = parseIngestSecrets(out.SecretString, `secret ${secretId}`);
    if (parsed.problems.length > 0) this.options.onProblems?.(parsed.problems);
    return parsed.secrets;
  }
}
