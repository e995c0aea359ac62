/**
 * The local stand-in for SNS: every message is appended as one JSON line to
 * an outbox file (so a developer, a test or the local UI can read exactly
 * what each channel would have received) and printed as a readable block.
 * An entry keeps every body: `text` is what the email subscriber gets (with
 * that approver's decision links), `chat` the Chatbot payload and `data` the
 * machine-readable copy (neither with a decision link).
 *
 * Both topics share the one outbox, each entry saying its `audience`: `it`
 * for the IT approvers' topic, `requester` for the requester-facing topic
 * (then `to` names the requester), `department` for department outreach
 * (`to` names the department's contact). One file in time order tells the whole
 * story of a request; `listFor(audience)` separates them.
 */
import { randomUUID } from 'node:crypto';
import type { Notification, Notifier, RequesterNotifier } from '../../domain/ports/notifier';
import type { DepartmentNotifier } from '../../domain/ports/outreach';
import type { DepartmentMessage, Message, RequesterMessage } from '../../domain/notifications';
import { appendJsonLine, readJsonLines } from '../json-lines';

export const OUTBOX_AUDIENCES = ['it', 'requester', 'department'] as const;
export type OutboxAudience = (typeof OUTBOX_AUDIENCES)[number];

interface Delivery {
  messageId: string;
  sentAt: string;
}

export type OutboxEntry = Notification & Delivery & { audience: 'it' };
export type RequesterOutboxEntry = RequesterMessage & Delivery & { audience: 'requester' };
export type DepartmentOutboxEntry = DepartmentMessage & Delivery & { audience: 'department' };
export type AnyOutboxEntry = OutboxEntry | RequesterOutboxEntry | DepartmentOutboxEntry;

export class OutboxNotifier implements Notifier, RequesterNotifier, DepartmentNotifier {
  /**
   * @param filePath JSON-lines file; created (with its directory) on the first message.
   * @param out where to print a readable copy (stdout by default; null prints nothing).
   */
  constructor(
    readonly filePath: string,
    private readonly out: NodeJS.WritableStream | null = process.stdout,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async notify(notification: Notification): Promise<{ messageId: string }> {
    const entry: OutboxEntry = { ...notification, audience: 'it', ...this.delivery() };
    const to = notification.attributes.recipient ? ` to ${notification.attributes.recipient}` : '';
    await this.append(entry, `Notification ${entry.messageId} (${entry.sentAt})${to}`);
    return { messageId: entry.messageId };
  }

  async notifyRequester(message: RequesterMessage): Promise<{ messageId: string }> {
    const entry: RequesterOutboxEntry = { ...message, audience: 'requester', ...this.delivery() };
    await this.append(entry, `Requester message ${entry.messageId} (${entry.sentAt}) to ${message.to ?? 'the requester'}`);
    return { messageId: entry.messageId };
  }

  async notifyDepartment(message: DepartmentMessage): Promise<{ messageId: string }> {
    const entry: DepartmentOutboxEntry = { ...message, audience: 'department', ...this.delivery() };
    await this.append(entry, `Department outreach ${entry.messageId} (${entry.sentAt}) to ${message.attributes.department} <${message.to}>`);
    return { messageId: entry.messageId };
  }

  /** Everything delivered so far, oldest first (empty before the first message). */
  async list(): Promise<AnyOutboxEntry[]> {
    return readJsonLines<AnyOutboxEntry>(this.filePath);
  }

  /** Entries of one audience (`it` includes entries written before audiences existed). */
  async listFor(audience: OutboxAudience): Promise<AnyOutboxEntry[]> {
    return (await this.list()).filter((e) => ((e.audience as OutboxAudience | undefined) ?? 'it') === audience);
  }

  private delivery(): Delivery {
    return { messageId: `outbox-${randomUUID()}`, sentAt: this.now().toISOString() };
  }

  private async append(entry: Message<object> & Delivery, heading: string): Promise<void> {
    await appendJsonLine(this.filePath, entry);
    this.out?.write(readableBlock(entry, heading));
  }
}

function readableBlock(entry: Message<object>, heading: string): string {
  const rule = '─'.repeat(72);
  const attributes = Object.entries(entry.attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return `\n${rule}\n${heading}\nSubject: ${entry.subject}\nAttributes: ${attributes}\n${rule}\n${entry.text}\n${rule}\n`;
}
