/**
 * A value read from a slow source (a secret, a keyring), kept with the time it was read; concurrent
 * callers share one read in flight, so a cold burst costs one call, not one per request.
 */
export class CachedRead<T> {
  private held?: { value: T; at: number };
  private inflight?: Promise<T>;

  constructor(
    private readonly read: () => Promise<T>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value last read and its age in milliseconds, if any. */
  peek(): { value: T; ageMs: number } | undefined {
    return this.held && { value: this.held.value, ageMs: this.now() - this.held.at };
  }

  /** Reads again; a read already in flight is shared. */
  refresh(): Promise<T> {
    this.inflight ??= this.read()
      .then((value) => {
        this.held = { value, at: this.now() };
        return value;
      })
      .finally(() => {
        this.inflight = undefined;
      });
    return this.inflight;
  }

  /** Keeps the value but counts it as `ageMs` old (to try the source again later, not at once). */
  age(ageMs: number): void {
    if (this.held) this.held = { value: this.held.value, at: this.now() - ageMs };
  }
}
