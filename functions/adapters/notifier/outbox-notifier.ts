/**
 * The local stand-in for SNS: every notification is appended as one JSON line
 * to an outbox file (so a developer, a test or the local UI can read exactly
 * what IT would have received) and printed as a readable block.
 *
 * Both topics share the one outbox, each entry saying its `audience`: `it`
 * for the IT approvers' topic, `requester` for the requester-facing topic
 * (then `to` names the requester). One file in time order tells the whole
 * story of a request; `listFor(audience)` separates them.
 */
import { randomUUID } from 'node:crypto';
import type { Notification, Notifier, RequesterNotifier } from '../../domain/ports/notifier';
import type { RequesterMessage } from '../../domain/approvals';
import { appendJsonLine, readJsonLines } from '../json-lines';

export type OutboxAudience = 'it' | 'requester';

export interface OutboxEntry extends Notification {
  messageId: string;
  sentAt: string;
  /** Which topic it stands for; entries written before requester messages existed have none (they are `it`). */
  audience?: OutboxAudience;
}

/** A requester message as the outbox keeps it. */
export interface RequesterOutboxEntry extends Omit<RequesterMessage, 'attributes'> {
  audience: 'requester';
  messageId: string;
  sentAt: string;
  attributes: RequesterMessage['attributes'];
}

export class OutboxNotifier implements Notifier, RequesterNotifier {
  /**
   * @param filePath JSON-lines file; created (with its directory) on the first notification.
   * @param out where to print a readable copy (stdout by default; null prints nothing).
   */
  constructor(
    readonly filePath: string,
    private readonly out: NodeJS.WritableStream | null = process.stdout,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async notify(notification: Notification): Promise<{ messageId: string }> {
    const entry: OutboxEntry = { ...notification, audience: 'it', messageId: `outbox-${randomUUID()}`, sentAt: this.now().toISOString() };
    await this.append(entry, `Notification ${entry.messageId} (${entry.sentAt})`);
    return { messageId: entry.messageId };
  }

  async notifyRequester(message: RequesterMessage): Promise<{ messageId: string }> {
    const entry: RequesterOutboxEntry = { ...message, audience: 'requester', messageId: `outbox-${randomUUID()}`, sentAt: this.now().toISOString() };
    await this.append(entry, `Requester message ${entry.messageId} (${entry.sentAt}) to ${message.to ?? 'the requester'}`);
    return { messageId: entry.messageId };
  }

  /** Everything delivered so far, oldest first (empty before the first notification). */
  async list(): Promise<(OutboxEntry | RequesterOutboxEntry)[]> {
    return readJsonLines<OutboxEntry | RequesterOutboxEntry>(this.filePath);
  }

  /** Entries of one audience (`it` includes entries written before audiences existed). */
  async listFor(audience: OutboxAudience): Promise<(OutboxEntry | RequesterOutboxEntry)[]> {
    return (await this.list()).filter((e) => (e.audience ?? 'it') === audience);
  }

  private async append(entry: OutboxEntry | RequesterOutboxEntry, heading: string): Promise<void> {
    await appendJsonLine(this.filePath, entry);
    this.out?.write(readableBlock(entry, heading));
  }
}

function readableBlock(entry: { subject: string; text: string; attributes: object }, heading: string): string {
  const rule = '─'.repeat(72);
  const attributes = Object.entries(entry.attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return `\n${rule}\n${heading}\nSubject: ${entry.subject}\nAttributes: ${attributes}\n${rule}\n${entry.text}\n${rule}\n`;
}
