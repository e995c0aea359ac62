/**
 * "Notionly: admin consent granted; first use in Finance": what changed about
 * an app whose review is still open. Sent once per change to every approver
 * (no decision links: the review's own notification carried those), so the
 * people deciding hear of a new risk without a second review being opened.
 */
import type { InventoryEntry, ReviewChange } from '../inventory/app-inventory';
import type { MessageDraft, MessageSpec, PageLinks } from './message';
import { capitalise } from './text';

export interface AppReviewUpdateInput {
  entry: InventoryEntry;
  /** The open review's record id. */
  reviewId: string;
  changes: readonly ReviewChange[];
  /** People using the app now (estimated from the shards' tallies). */
  people: number;
  links?: PageLinks;
}

export function appReviewUpdate(input: AppReviewUpdateInput): MessageDraft {
  const { entry, changes } = input;
  const line = changes.map((c) => c.detail).join('; ');
  const spec: MessageSpec = {
    type: 'app-review-update',
    audience: 'it-approvers',
    recordId: input.reviewId,
    kind: 'app-connected',
    subject: `Review update: ${entry.name}: ${line}`,
    title: { emoji: ':mag:', label: 'Review update', text: `${entry.name}: ${line}` },
    summary: `${capitalise(line)}. The review of ${entry.name} is still open.`,
    blocks: [
      { type: 'text', lines: [`Since the review of ${entry.name} was opened: ${line}.`, 'No new review was opened; decide the open one with this in mind.'] },
      {
        type: 'facts',
        heading: 'The app now',
        rows: [
          ['Status', entry.status],
          ['People using it', String(input.people)],
          ['Departments', entry.departments.join(', ') || 'unknown'],
          ['Risky scopes', entry.riskyScopes.join(', ') || 'none'],
          ['Seen by', entry.sources.join(', ')],
        ],
      },
    ],
    nextSteps: ['Open the review and decide it with these changes in mind.'],
    links: input.links ?? {},
    footer: [`Review ${input.reviewId} · inventory entry ${entry.appKey}`],
    keywords: ['review-update', ...changes.map((c) => c.kind)],
    chatId: `${input.reviewId}:app-review-update:${changes.map((c) => `${c.kind}:${c.detail}`).join('|')}`.slice(0, 500),
    threadId: input.reviewId,
    eventType: 'App Review Update',
    context: { recordId: input.reviewId, app: entry.name },
    findings: [],
  };
  return {
    spec,
    attributes: {
      type: 'app-review-update',
      outcome: 'review',
      severity: entry.highestRisk,
      kind: 'app-connected',
      ...(entry.departments[0] ? { department: entry.departments[0] } : {}),
    },
  };
}
