/**
 * The glue the local runtime (`npm start`) needs to serve `/ingest/:source`
 * from node:http with the very same {@link handleIngestRequest} the Lambda
 * uses: the request read as raw bytes (the signature covers them, so no JSON
 * parsing or re-serialising before the check), and a publisher that hands
 * each canonical entry to the local bus and returns what its rules answered.
 */
import type { IncomingMessage } from 'node:http';
import type { CanonicalEventEntry, IngestPublish } from '../../domain/ingest';
import { DEFAULT_MAX_INGEST_BODY_BYTES, type IngestRequest } from './ingest-request';

/**
 * Reads a node:http request as an {@link IngestRequest}. Stops buffering one
 * byte past `maxBodyBytes` but keeps counting (`receivedBytes`), so the core
 * answers 413 whatever limit it has; drains the rest, bounded, so the client
 * receives that answer instead of a reset connection.
 */
export async function readNodeIngestRequest(
  req: IncomingMessage,
  source: string | undefined,
  options: { maxBodyBytes?: number; receivedAt?: Date } = {},
): Promise<IngestRequest> {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_INGEST_BODY_BYTES;
  const chunks: Buffer[] = [];
  let kept = 0;
  let seen = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    seen += chunk.length;
    if (kept <= limit) {
      const room = limit + 1 - kept;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(part);
      kept += part.length;
    }
    if (seen > limit * 16) {
      req.destroy();
      break;
    }
  }
  return {
    method: req.method ?? 'GET',
    source,
    headers: req.headers,
    rawBody: Buffer.concat(chunks),
    receivedBytes: seen,
    receivedAt: options.receivedAt,
  };
}

/**
 * An {@link IngestPublish} over the local bus: `submit` is the runtime's way
 * of putting one PutEvents-shaped entry on its bus (its `/events` intake
 * reads exactly this shape) and returns what the rules answered; those
 * answers come back to the sender as `deliveries`.
 */
export function localIngestPublisher(submit: (entry: CanonicalEventEntry) => Promise<unknown>): IngestPublish {
  return async (entries) => {
    const deliveries: unknown[] = [];
    // One after another, like the runtime's own intake: ordered output reads better.
    for (const entry of entries) deliveries.push(await submit(entry));
    return { deliveries };
  };
}
