/**
 * How batch APIs are filled: PutEvents, SNS PublishBatch and the like take a
 * number of entries and a number of bytes per call, whichever comes first.
 */

/** Groups item indexes, in order, into calls of at most `maxEntries` items and `maxBytes` (an oversized item goes alone). */
export function* batchCalls(
  indexes: readonly number[],
  sizeOf: (index: number) => number,
  limits: { maxEntries: number; maxBytes: number },
): Generator<number[]> {
  let call: number[] = [];
  let bytes = 0;
  for (const index of indexes) {
    const size = sizeOf(index);
    if (call.length > 0 && (call.length === limits.maxEntries || bytes + size > limits.maxBytes)) {
      yield call;
      call = [];
      bytes = 0;
    }
    call.push(index);
    bytes += size;
  }
  if (call.length > 0) yield call;
}
