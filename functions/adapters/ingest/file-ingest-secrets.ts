/**
 * Ingest secrets for the local runtime (`npm start`) and the CLI: the same
 * document as the deployed secret, kept in `<dataDir>/ingest-secrets.json`.
 * Created on first use with one random secret per source, readable only by
 * the owner (0600); a source added later gets its secret on first use too.
 * The file is re-read on every call, so editing it (to paste the secret a
 * real Okta or Coupa test tenant uses) takes effect without a restart.
 * Prints nothing: secrets never reach a terminal or a log.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { IngestSecretProvider } from '../../domain/ingest';
import { createPrivateFileOnce, replacePrivateFile } from '../private-file';
import { SOURCE_NAMES, isSourceName, type SourceName } from '../sources/source-names';
import { IngestSecretsError, parseIngestSecrets } from './ingest-secrets';
import { GUARDRAIL_SIGNATURE_HEADER, GUARDRAIL_TIMESTAMP_HEADER, signRequestBody } from './request-signature';

export const LOCAL_INGEST_SECRETS_FILE = 'ingest-secrets.json';

/** A fresh secret: 32 random bytes, base64url (43 characters, no padding). */
export function generateIngestSecret(): string {
  return randomBytes(32).toString('base64url');
}

export class FileIngestSecretProvider implements IngestSecretProvider {
  readonly filePath: string;

  constructor(readonly dataDir: string) {
    this.filePath = path.join(dataDir, LOCAL_INGEST_SECRETS_FILE);
  }

  async secretsFor(source: string): Promise<readonly string[]> {
    if (!isSourceName(source)) return [];
    const document = await this.readOrCreate();
    const found = parseIngestSecrets(JSON.stringify(document), this.filePath).secrets.get(source);
    if (found) return found;
    // A known source without an entry (a file from before it existed) gets one now; a broken
    // entry the user wrote is left for them to fix rather than silently replaced.
    if (Object.prototype.hasOwnProperty.call(document, source)) return [];
    return (await this.addSecret(source)) ?? [];
  }

  /** The secret a local sender signs with: the first one listed for the source. */
  async signingSecretFor(source: string): Promise<string> {
    const [secret] = await this.secretsFor(source);
    if (!secret) {
      throw new IngestSecretsError(`${this.filePath}: no usable secret for "${source}" (fix or delete its entry to get a new one)`);
    }
    return secret;
  }

  private async readOrCreate(): Promise<Record<string, unknown>> {
    const existing = await this.read();
    if (existing) return existing;
    const document = Object.fromEntries(SOURCE_NAMES.map((name) => [name, generateIngestSecret()]));
    await fs.mkdir(this.dataDir, { recursive: true });
    // If another process created the file first, theirs is read below.
    await createPrivateFileOnce(this.filePath, `${JSON.stringify(document, null, 2)}\n`);
    const created = await this.read();
    if (!created) throw new IngestSecretsError(`${this.filePath}: could not be created`);
    return created;
  }

  private async read(): Promise<Record<string, unknown> | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    // Validates the document as a whole (throws naming the file, never its content).
    parseIngestSecrets(text, this.filePath);
    return JSON.parse(text) as Record<string, unknown>;
  }

  private async addSecret(source: SourceName): Promise<readonly string[] | undefined> {
    const document = { ...(await this.readOrCreate()), [source]: generateIngestSecret() };
    await replacePrivateFile(this.filePath, `${JSON.stringify(document, null, 2)}\n`);
    // Read back: if another process added one at the same moment, its write is the one that counts.
    return parseIngestSecrets(JSON.stringify(await this.read()), this.filePath).secrets.get(source);
  }
}

/** A body and the headers that make the local ingest route accept it. */
export interface SignedLocalIngestRequest {
  /** Send exactly these bytes: the signature covers them. */
  rawBody: string;
  headers: Record<string, string>;
}

/**
 * Signs a body for `POST /ingest/<source>` on the local runtime with the
 * source's local secret (created on first use), as a real sender would:
 * `X-Guardrail-Timestamp` (Unix seconds) and `X-Guardrail-Signature:
 * sha256=HMAC(secret, "<timestamp>.<body>")`. An object body is serialised
 * here, so the bytes sent are the bytes signed.
 */
export async function signForLocalIngest(source: string, body: unknown, dataDir: string, now: Date = new Date()): Promise<SignedLocalIngestRequest> {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const secret = await new FileIngestSecretProvider(dataDir).signingSecretFor(source);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    rawBody,
    headers: {
      'content-type': 'application/json',
      [GUARDRAIL_TIMESTAMP_HEADER]: timestamp,
      [GUARDRAIL_SIGNATURE_HEADER]: signRequestBody({ rawBody, secret, timestamp }),
    },
  };
}
