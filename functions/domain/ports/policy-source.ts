/**
 * The current policy, prepared for lookups (vendor index built once).
 * Implementations cache it: a warm decision reads nothing from storage.
 */
import type { PreparedPolicy } from '../prepared-policy';

export interface PolicySource {
  current(): Promise<PreparedPolicy>;
}
