/**
 * Everything the approvals side is built with: what the approvals web app,
 * the escalation sweep and the digest receive. Each use case asks only for
 * its own part (DecideDeps, SweepDeps, DigestDeps).
 */
import type { DecideDeps } from './decide';
import type { DigestDeps } from './digest';
import type { SweepDeps } from './sweep';
import type { RenewalDeps } from '../renewals/guard';

export type ApprovalDeps = DecideDeps & SweepDeps & DigestDeps & RenewalDeps;
