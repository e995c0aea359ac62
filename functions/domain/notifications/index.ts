/**
 * Every message the product sends, to IT approvers and to requesters: what
 * each says, its subject, and its body per channel (email text, AWS Chatbot
 * custom notification, machine-readable JSON), with one escaping function
 * per channel (email.ts, chat.ts). Decision links reach only the approver
 * they were signed for, in their email body; every other body links to the
 * request page instead.
 *
 * Adding a message type (renewal reminders, …):
 * 1. add its name to MESSAGE_TYPES (message.ts) and the data doc (data.ts);
 * 2. write a renderer in its own file returning a MessageDraft (for IT: then
 *    `personal` / `broadcast` address it) or a RequesterMessage (through
 *    `requesterMessage`), describing the body as blocks of raw text;
 * 3. export it here. Channels, escaping and limits come with the blocks.
 */
export * from './message';
export type { MessageData } from './data';
export { DATA_SCHEMA } from './data';
export type { ChatbotCustomNotification } from './chat';
export { SUBJECT_MAX_CHARS, snsSubject } from './email';
export { decisionNotification } from './decision';
export { approverReminder, nobodyCoversNote, noSecondSignerNote, type ReminderKind, type ReminderInput } from './reminders';
export { digestMessage, type DigestItem, type DigestInput } from './digest';
export { requesterUpdate, requesterMessage, type RequesterUpdateInput, type RequesterContent } from './requester';
export { appReviewUpdate, type AppReviewUpdateInput } from './app-review';
export { amendmentMessages, amendmentLine, describeChanges, type AmendmentInput, type ChangeDescription } from './amended';
export { departmentOutreach, shadowItReport, alternativeLine, type DepartmentOutreachInput, type ShadowItReportInput } from './outreach';
export { renewalMessage, type RenewalMessageInput } from './renewals';
