/**
 * The per-source ingest secrets document, shared by every place that holds
 * it: the Secrets Manager secret deployed by the stack and the local
 * `ingest-secrets.json`. One JSON object keyed by source name:
 *
 *   {"okta": "<secret>", "coupa": ["<new secret>", "<old secret>"]}
 *
 * A list is a rotation in progress: any entry verifies, so the sender can be
 * switched to the new secret at its own pace and the old one removed after.
 * Keys starting with `_` are notes (the stack's generated placeholder) and
 * are skipped. A problem names the key, never the secret's value.
 */
import { SOURCE_NAMES, isSourceName, type SourceName } from '../sources/source-names';

/** Shorter secrets are refused: an HMAC key or header secret must not be guessable. */
export const MIN_INGEST_SECRET_LENGTH = 16;
/** A rotation needs two; more than a handful is a mistake worth hearing about. */
export const MAX_SECRETS_PER_SOURCE = 5;

export interface ParsedIngestSecrets {
  secrets: ReadonlyMap<SourceName, readonly string[]>;
  /** Entries that were skipped, each naming its key (`coupa[1]: …`). */
  problems: string[];
}

/** The whole document is unusable (not JSON, not an object). */
export class IngestSecretsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IngestSecretsError';
  }
}

/**
 * Parses the secrets document. A bad entry only disables its own source (its
 * senders get 401 and the problem is logged); a document that is not a JSON
 * object throws, naming `origin`.
 */
export function parseIngestSecrets(text: string, origin: string): ParsedIngestSecrets {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's message may quote the text: never let secret material reach an error.
    throw new IngestSecretsError(`${origin}: is not JSON (expected {"<source>": "<secret>" | ["<secret>", ...]})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IngestSecretsError(`${origin}: must be a JSON object keyed by source name (${SOURCE_NAMES.join(', ')})`);
  }

  const secrets = new Map<SourceName, string[]>();
  const problems: string[] = [];
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (key.startsWith('_')) continue;
    if (!isSourceName(key)) {
      problems.push(`${origin}: ${JSON.stringify(key.slice(0, 64))} is not a source name (${SOURCE_NAMES.join(', ')})`);
      continue;
    }
    const list = typeof entry === 'string' ? [entry] : entry;
    if (!Array.isArray(list) || list.length === 0) {
      problems.push(`${origin}: ${key} must be a secret or a non-empty list of secrets`);
      continue;
    }
    if (list.length > MAX_SECRETS_PER_SOURCE) {
      problems.push(`${origin}: ${key} lists ${list.length} secrets; at most ${MAX_SECRETS_PER_SOURCE} (remove retired ones)`);
      continue;
    }
    const usable: string[] = [];
    list.forEach((secret: unknown, index: number) => {
      const at = typeof entry === 'string' ? key : `${key}[${index}]`;
      if (typeof secret !== 'string') problems.push(`${origin}: ${at} must be a string`);
      else if (secret.length < MIN_INGEST_SECRET_LENGTH) problems.push(`${origin}: ${at} is shorter than ${MIN_INGEST_SECRET_LENGTH} characters`);
      else usable.push(secret);
    });
    if (usable.length > 0) secrets.set(key, usable);
  }
  return { secrets, problems };
}
