/** The audit trail: append-only, one entry per state change of a request. */
import type { AuditEntry } from '../approvals';

export interface AuditLog {
  /** Appends once: an entry with the same id (see auditEntryId) is not written again. True when written now. */
  append(entry: AuditEntry): Promise<boolean>;
  /** A request's entries, oldest first. */
  list(recordId: string): Promise<AuditEntry[]>;
}
