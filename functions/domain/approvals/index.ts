/**
 * Approvals: who may decide a request, what a decision does, when to remind
 * and escalate, digests, audit entries and the texts around them. Pure; the
 * signer, store and pages live in adapters.
 */
export * from './config';
export * from './tiers';
export * from './identity';
export * from './types';
export * from './approver-directory';
export * from './audit';
export * from './escalation';
export * from './approval-rules';
export * from './request-summary';
export * from './approval-event';
export * from './digest';
export * from './inbox';
export * from './comments';
