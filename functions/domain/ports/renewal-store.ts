/**
 * What the renewal guard remembers per renewal (one agreement, one renewal
 * date): a marker per step sent, written with a conditional put so a step is
 * sent once however many sweeps run, and the owner's decision, recorded once.
 */
import type { ApprovedContract } from '../renewals/calendar';
import type { RenewalDecision, RenewalHistory, RenewalStep } from '../renewals/schedule';

export interface RenewalStore {
  history(key: string, renewalDate: string): Promise<RenewalHistory>;
  /** Claims a step before its message goes out: false when it was already claimed (sent). */
  claimStep(key: string, renewalDate: string, step: RenewalStep, at: Date): Promise<boolean>;
  /** Gives a claimed step back when its message could not be sent, so the next run tries again. */
  releaseStep(key: string, renewalDate: string, step: RenewalStep, at: Date): Promise<void>;
  /** Records the owner's decision: false when one was already recorded (the first stands). */
  recordDecision(key: string, renewalDate: string, decision: RenewalDecision): Promise<boolean>;
  /** Claims the day's renewal pass (the sweep runs every 15 minutes; renewals need a look once a day). */
  claimDailyPass(day: string, at: Date): Promise<boolean>;
  releaseDailyPass(day: string): Promise<void>;
}

/** Contracts approved through the guardrail that run for a term (read once a day, by the renewal pass). */
export interface ApprovedContractSource {
  approvedContracts(): Promise<ApprovedContract[]>;
}
