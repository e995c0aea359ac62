/**
 * The ingest exchange as every part of the endpoint sees it: the request a
 * transport hands over, the dependencies, and the answer (status, JSON body,
 * counts for metrics), built and logged in one place (never the body).
 */
import type { IngestPublish, IngestSecretProvider } from '../../domain/ingest';
import type { Clock } from '../../domain/ports/clock';
import type { DeadLetterSink } from '../../domain/ports/dead-letter';
import type { SourceName, SourceOptions } from '../sources/source-names';

export type IngestHeaders = Readonly<Record<string, string | readonly string[] | null | undefined>>;

/** The request as any transport sees it. */
export interface IngestRequest {
  method: string;
  /** The `{source}` path parameter, as received (it is checked here). */
  source: string | undefined;
  headers: IngestHeaders;
  /** The body exactly as received: signatures cover these bytes. */
  rawBody: string | Buffer | null | undefined;
  /**
   * How many body bytes arrived, when the transport stopped keeping them
   * early (a streaming reader bounding its memory, keeping one byte past its
   * limit): more than `rawBody` holds means cut off, answered 413, never
   * verified as if it were whole.
   */
  receivedBytes?: number;
  /** When the request arrived (signature timestamps are checked against it); default: the clock. */
  receivedAt?: Date;
}

/** The structural part of a logger this module needs (Powertools' Logger fits). */
export interface IngestLogger {
  debug(message: string, ...extra: Array<Record<string, unknown>>): void;
  info(message: string, ...extra: Array<Record<string, unknown>>): void;
  warn(message: string, ...extra: Array<Record<string, unknown>>): void;
  error(message: string, error: Error): void;
  error(message: string, ...extra: Array<Record<string, unknown>>): void;
}

/** Logs a failure with its stack when it is an Error. */
export function logFailure(log: IngestLogger, message: string, error: unknown): void {
  if (error instanceof Error) log.error(message, error);
  else log.error(message, { error: String(error) });
}

export interface IngestDeps {
  secrets: IngestSecretProvider;
  /** Puts canonical entries on the guardrail bus (EventBridge, or the local router). */
  publish: IngestPublish;
  deadLetters: DeadLetterSink;
  /** Normaliser options per source (app names, a form's field mapping…). */
  sourceOptions?: Partial<SourceOptions>;
  /** Largest accepted body (default {@link DEFAULT_MAX_INGEST_BODY_BYTES}). */
  maxBodyBytes?: number;
  clock: Clock;
  logger?: IngestLogger;
}

/** What happened, for metrics and logs (the HTTP status alone folds several cases together). */
export type IngestOutcome =
  | 'unknown-source'
  | 'verification-challenge'
  | 'method-not-allowed'
  | 'too-large'
  | 'unauthenticated'
  | 'invalid-body'
  | 'malformed'
  | 'ignored'
  | 'accepted'
  | 'unavailable';

export interface IngestResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON text. */
  body: string;
  outcome: IngestOutcome;
  counts: { accepted: number; ignored: number; rejected: number; deadLettered: number };
}

const RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};

export const quietLogger: IngestLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** Builds the response and logs one line per request (never the body). */
export class Answer {
  source?: SourceName;
  bodyBytes?: number;
  readonly counts = { accepted: 0, ignored: 0, rejected: 0, deadLettered: 0 };

  constructor(private readonly log: IngestLogger) {}

  send(status: number, outcome: IngestOutcome, body: Record<string, unknown>, headers: Record<string, string> = {}): IngestResponse {
    this.log.debug('Ingest request answered', { source: this.source, status, outcome, bodyBytes: this.bodyBytes, ...this.counts });
    return {
      status,
      headers: { ...RESPONSE_HEADERS, ...headers },
      body: JSON.stringify(body),
      outcome,
      counts: { ...this.counts },
    };
  }
}
