/**
 * Fakes for the ingest core: a secret provider that counts its reads, a
 * publisher and a dead-letter sink that record everything and can be told to
 * fail, and a logger that keeps what was logged at which level.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IngestPublishError, type CanonicalEventEntry, type IngestSecretProvider, type PublishReceipt } from '../../../functions/domain/ingest';
import type { Clock } from '../../../functions/domain/ports/clock';
import type { DeadLetter, DeadLetterSink } from '../../../functions/domain/ports/dead-letter';
import type { IngestDeps, IngestLogger, IngestRequest } from '../../../functions/adapters/ingest/ingest-request';
import { GUARDRAIL_SIGNATURE_HEADER, GUARDRAIL_TIMESTAMP_HEADER, signRequestBody } from '../../../functions/adapters/ingest/request-signature';

export const NOW = new Date('2026-03-02T12:00:00Z');
export const NOW_SECONDS = Math.floor(NOW.getTime() / 1000);
export const OKTA_SECRET = 'okta-shared-secret-0123456789abcdef';
export const COUPA_SECRET = 'coupa-hmac-secret-fedcba9876543210';
export const FORM_SECRET = 'generic-form-secret-00112233445566';

const EVENTS = join(__dirname, '..', '..', '..', 'events');
export function sampleText(path: string): string {
  return readFileSync(join(EVENTS, path), 'utf8');
}
export function sampleJson(path: string): any {
  return JSON.parse(sampleText(path));
}

export class FakeSecrets implements IngestSecretProvider {
  reads: Array<{ source: string; fresh: boolean }> = [];
  failWith?: Error;
  /** What a fresh read returns (a rotation that happened since the cached read). */
  afterRefresh?: Record<string, string[]>;

  constructor(public secrets: Record<string, string[]> = { okta: [OKTA_SECRET], coupa: [COUPA_SECRET], 'generic-form': [FORM_SECRET] }) {}

  async secretsFor(source: string, options: { fresh?: boolean } = {}): Promise<readonly string[]> {
    this.reads.push({ source, fresh: options.fresh === true });
    if (this.failWith) throw this.failWith;
    if (options.fresh && this.afterRefresh) this.secrets = this.afterRefresh;
    return this.secrets[source] ?? [];
  }
}

export class FakePublisher {
  calls: CanonicalEventEntry[][] = [];
  /** Fail the call with this (1-based) number, accepting these positions of it. */
  failOnCall?: { call: number; acceptedIndexes?: number[]; plainError?: boolean };
  receipt?: PublishReceipt;

  readonly publish = async (entries: readonly CanonicalEventEntry[]): Promise<PublishReceipt | void> => {
    this.calls.push([...entries]);
    if (this.failOnCall && this.calls.length === this.failOnCall.call) {
      if (this.failOnCall.plainError) throw new Error('EventBridge is unavailable');
      throw new IngestPublishError('EventBridge rejected 2 event(s)', this.failOnCall.acceptedIndexes ?? []);
    }
    return this.receipt;
  };

  get entries(): CanonicalEventEntry[] {
    return this.calls.flat();
  }
}

export class FakeDeadLetters implements DeadLetterSink {
  letters: DeadLetter[] = [];
  fail = false;
  async send(letter: DeadLetter): Promise<void> {
    if (this.fail) throw new Error('SQS is unavailable');
    this.letters.push(letter);
  }
}

export class RecordingLogger implements IngestLogger {
  lines: Array<{ level: string; message: string; extra: unknown[] }> = [];
  debug(message: string, ...extra: unknown[]) {
    this.lines.push({ level: 'debug', message, extra });
  }
  info(message: string, ...extra: unknown[]) {
    this.lines.push({ level: 'info', message, extra });
  }
  warn(message: string, ...extra: unknown[]) {
    this.lines.push({ level: 'warn', message, extra });
  }
  error(message: string, ...extra: unknown[]) {
    this.lines.push({ level: 'error', message, extra });
  }
  /** Everything logged, as text (to look for leaked bodies or secrets). */
  text(levels: string[] = ['debug', 'info', 'warn', 'error']): string {
    return this.lines
      .filter((l) => levels.includes(l.level))
      .map((l) => `${l.message} ${JSON.stringify(l.extra, (_k, v) => (v instanceof Error ? v.message : v))}`)
      .join('\n');
  }
}

export const fixedClock: Clock = { now: () => new Date(NOW) };

export interface Harness {
  deps: IngestDeps;
  secrets: FakeSecrets;
  publisher: FakePublisher;
  deadLetters: FakeDeadLetters;
  logger: RecordingLogger;
}

export function harness(overrides: Partial<IngestDeps> = {}): Harness {
  const secrets = new FakeSecrets();
  const publisher = new FakePublisher();
  const deadLetters = new FakeDeadLetters();
  const logger = new RecordingLogger();
  return {
    deps: { secrets, publish: publisher.publish, deadLetters, clock: fixedClock, logger, ...overrides },
    secrets,
    publisher,
    deadLetters,
    logger,
  };
}

/** A POST signed the way a sender signs: timestamp + HMAC over `${timestamp}.${body}`. */
export function signedPost(
  source: string,
  rawBody: string | Buffer,
  secret: string,
  options: { timestamp?: number; extraHeaders?: Record<string, string> } = {},
): IngestRequest {
  const timestamp = String(options.timestamp ?? NOW_SECONDS);
  return {
    method: 'POST',
    source,
    headers: {
      'content-type': 'application/json',
      [GUARDRAIL_TIMESTAMP_HEADER]: timestamp,
      [GUARDRAIL_SIGNATURE_HEADER]: signRequestBody({ rawBody, secret, timestamp }),
      ...options.extraHeaders,
    },
    rawBody,
    receivedAt: NOW,
  };
}

/** The answer's JSON body. */
export function bodyOf(response: { body: string }): any {
  return JSON.parse(response.body);
}
