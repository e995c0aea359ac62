/**
 * When a request waits for the daily digest. Floods of single notifications get
 * ignored or filtered ("too many messages"), so when IT switches digests on,
 * review outcomes whose every finding is low severity or less wait for one
 * message a day. Blocks and anything of medium severity or more are never
 * held back.
 */
import type { Decision } from '../decision';
import { SEVERITIES, type Severity } from '../policy';
import { DigestConfigSchema, type DigestConfig } from './config';

export const DEFAULT_DIGEST_CONFIG: DigestConfig = DigestConfigSchema.parse({});

const rank = (s: Severity) => SEVERITIES.indexOf(s);

/**
 * True when this decision's notification can wait for the digest: digests
 * are on, the outcome is `review` (allow sends nothing, block is never
 * delayed), and every finding is at most `maxSeverity`.
 */
export function shouldDigest(decision: Decision, config: DigestConfig = DEFAULT_DIGEST_CONFIG): boolean {
  if (!config.enabled || decision.outcome !== 'review') return false;
  const max = rank(config.maxSeverity);
  return rank(decision.severity) <= max && decision.findings.every((f) => rank(f.severity) <= max);
}

/** When the next digest is due after `now` (today's hour if still ahead, else tomorrow's). */
export function nextDigestAt(now: Date, config: DigestConfig = DEFAULT_DIGEST_CONFIG): Date {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), config.sendAtHourUtc));
  if (at.getTime() <= now.getTime()) at.setUTCDate(at.getUTCDate() + 1);
  return at;
}
