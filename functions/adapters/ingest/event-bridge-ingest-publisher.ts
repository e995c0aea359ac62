/**
 * Puts ingested canonical events on the guardrail bus with the project's
 * PutEvents helper (batches of 10 and 256 KB, failed entries retried with
 * backoff). When entries still fail it says which of them did get through,
 * so the ingest answer can list exactly what is already on the bus.
 */
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { errorMessage } from '../../domain/errors';
import { IngestPublishError, type CanonicalEventEntry, type IngestPublish } from '../../domain/ingest';
import { PutEventsError, putEvents, type PutEventsOptions } from '../eventbridge/event-bus';

export function eventBridgeIngestPublisher(client: EventBridgeClient, eventBusName: string, options: PutEventsOptions = {}): IngestPublish {
  return async (entries: readonly CanonicalEventEntry[]) => {
    try {
      const { eventIds } = await putEvents(
        client,
        entries.map((entry) => ({ ...entry, EventBusName: eventBusName })),
        options,
      );
      return { eventIds };
    } catch (error) {
      if (error instanceof PutEventsError) {
        const failed = new Set(error.failed.map((f) => f.index));
        // Entries are only ever "accepted" after a call was answered; a size check failing before
        // any call (attempts 0) accepted none.
        const accepted = error.attempts === 0 ? [] : entries.map((_, i) => i).filter((i) => !failed.has(i));
        throw new IngestPublishError(error.message, accepted, error);
      }
      // The call itself failed (network, throttling, access): nothing is known to be accepted.
      throw new IngestPublishError(errorMessage(error), [], error);
    }
  };
}
