/**
 * Policy versions as an import sees them: the pointer to the current one,
 * any stored version, and an import that flips the pointer only from the
 * version the caller compared with (DynamoDbPolicyStore implements it).
 */
import type { Policy } from '../policy';

export interface PolicyImportResult {
  version: string;
  /** The version the pointer named before (undefined for the first import). */
  previousVersion?: string;
  /** False when this exact version was already stored: nothing was written for it. */
  written: boolean;
  /** Items written for the version (vendors + categories + meta). */
  itemsWritten: number;
  /** The pointer now names this version (false when `activate: false` or it already did). */
  activated: boolean;
  contentHash: string;
}

export interface PolicyVersionStore {
  currentPointer(): Promise<{ version: string } | undefined>;
  loadVersion(version: string): Promise<Policy>;
  importPolicy(policy: Policy, options: { expectedCurrentVersion: string | null }): Promise<PolicyImportResult>;
}
