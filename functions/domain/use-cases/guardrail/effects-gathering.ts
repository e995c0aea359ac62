/**
 * The side effects of events taken together (an SQS batch), sent together.
 * Each event decides and writes on its own; when every event of the group
 * has either reached its side effects or finished without any, the waiting
 * ones go out at once (notifications in `PublishBatch` calls, decisions in
 * `PutEvents` calls of ten) and each is settled on its own lease.
 *
 * The group must hold distinct records: a second delivery of a record in the
 * same group would wait for the first's lease while the first waits for it.
 * `inRounds` splits a batch so that each round holds a record at most once.
 */
import { performEffectsTogether, type EffectsOutcome, type EffectsRunner, type RevisionEffectDeps, type RevisionEffectsJob } from './revision-effects';

/** One event's place in a gathering: its runner for the guardrail, and `leave` once it is finished either way. */
export interface GatheringMember {
  runEffects: EffectsRunner;
  leave(): void;
}

interface Waiting {
  deps: RevisionEffectDeps;
  job: RevisionEffectsJob;
  resolve: (outcome: EffectsOutcome) => void;
  reject: (error: unknown) => void;
}

export class EffectsGathering {
  private readonly waiting: Waiting[] = [];
  private arrived = 0;
  private members = 0;

  /** `size`: how many events will join; the effects go out once all of them have arrived or left. */
  constructor(private readonly size: number) {}

  member(): GatheringMember {
    if (this.members >= this.size) throw new Error(`an effects gathering for ${this.size} event(s) got one more member`);
    this.members++;
    let arrived = false;
    const arrive = () => {
      if (arrived) return false;
      arrived = true;
      this.arrived++;
      return true;
    };
    return {
      runEffects: (deps, job) =>
        new Promise<EffectsOutcome>((resolve, reject) => {
          if (!arrive()) {
            reject(new Error(`record ${job.record.recordId}: one delivery reached its side effects twice in a gathering`));
            return;
          }
          this.waiting.push({ deps, job, resolve, reject });
          this.sendWhenAllArrived();
        }),
      leave: () => {
        if (arrive()) this.sendWhenAllArrived();
      },
    };
  }

  private sendWhenAllArrived(): void {
    if (this.arrived < this.size || this.waiting.length === 0) return;
    const waiting = this.waiting.splice(0);
    // Every job of a gathering comes from the same handler: one service, one set of ports.
    performEffectsTogether(
      waiting[0].deps,
      waiting.map((w) => w.job),
    ).then(
      (outcomes) => waiting.forEach((w, i) => w.resolve(outcomes[i])),
      (error: unknown) => waiting.forEach((w) => w.reject(error)),
    );
  }
}

/**
 * Splits items into rounds in which each key appears at most once, keeping
 * their order: the first delivery of every record in round one, a second
 * delivery of any of them in round two, and so on.
 */
export function inRounds<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const rounds: T[][] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const key = keyOf(item);
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(item);
  }
  return rounds;
}
