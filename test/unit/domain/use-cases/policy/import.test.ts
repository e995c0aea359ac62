import { join } from 'node:path';
import { loadPolicyFile } from '../../../../../functions/adapters/policy-file';
import type { Policy } from '../../../../../functions/domain/policy';
import {
  importPolicyVersion,
  PolicyNotNewerError,
  type PolicyImportResult,
  type PolicyVersionStore,
} from '../../../../../functions/domain/use-cases/policy/import';

const DEFAULT = loadPolicyFile(join(__dirname, '..', '..', '..', '..', '..', 'policy', 'default.yaml'));

/** Versions by name and a pointer: enough of the store to see what the use case asks of it. */
class MemoryPolicyStore implements PolicyVersionStore {
  readonly versions = new Map<string, Policy>();
  current: string | undefined;
  readonly expectations: Array<string | null> = [];

  async currentPointer() {
    return this.current === undefined ? undefined : { version: this.current };
  }
  async loadVersion(version: string) {
    return this.versions.get(version)!;
  }
  async importPolicy(policy: Policy, options: { expectedCurrentVersion: string | null }): Promise<PolicyImportResult> {
    this.expectations.push(options.expectedCurrentVersion);
    const written = !this.versions.has(policy.version);
    this.versions.set(policy.version, policy);
    const previousVersion = this.current;
    const activated = this.current !== policy.version;
    this.current = policy.version;
    return { version: policy.version, written, itemsWritten: written ? 42 : 0, activated, contentHash: 'h', ...(previousVersion ? { previousVersion } : {}) };
  }
}

function version(v: string, edit: (p: Policy) => void = () => undefined): Policy {
  const policy = structuredClone(DEFAULT);
  policy.version = v;
  edit(policy);
  return policy;
}

describe('importPolicyVersion', () => {
  it('stores the first version and says so in words', async () => {
    const store = new MemoryPolicyStore();
    const report = await importPolicyVersion(store, DEFAULT, { where: 'the local store' });
    expect(report.message).toBe(`Stored policy ${DEFAULT.version} (27 vendors, 14 categories) in the local store; it is now current.`);
    expect(report.diff).toBeUndefined();
    expect(store.expectations).toEqual([null]);
  });

  it('stores a newer version with the changes it makes, flipping the pointer only from the version it compared with', async () => {
    const store = new MemoryPolicyStore();
    await importPolicyVersion(store, DEFAULT);
    const next = version('2026-12-01', (p) => (p.vendors.find((v) => v.id === 'dropbox')!.status = 'prohibited'));
    const report = await importPolicyVersion(store, next);
    expect(report).toMatchObject({ version: '2026-12-01', written: true, activated: true, order: 'newer', previousVersion: DEFAULT.version });
    expect(report.message).toBe(
      `Stored policy 2026-12-01 (27 vendors, 14 categories); it is now current (was ${DEFAULT.version}). Changes: Dropbox: tolerated → prohibited.`,
    );
    expect(store.expectations).toEqual([null, DEFAULT.version]);
  });

  it('refuses an older version, or one of another scheme, unless forced, naming the rule', async () => {
    const store = new MemoryPolicyStore();
    await importPolicyVersion(store, version('2026-12-01'));
    await expect(importPolicyVersion(store, version('2026-11-30'))).rejects.toThrow(
      /"2026-11-30" is older than the current "2026-12-01".*compared part by part.*import it anyway$/,
    );
    const incomparable = await importPolicyVersion(store, version('test-2')).catch((e: unknown) => e);
    expect(incomparable).toBeInstanceOf(PolicyNotNewerError);
    expect((incomparable as PolicyNotNewerError).order).toBe('incomparable');
    expect(store.current).toBe('2026-12-01');

    const forced = await importPolicyVersion(store, version('2026-11-30'), { force: true });
    expect(forced).toMatchObject({ activated: true, order: 'older' });
    expect(forced.message).toMatch(/it is now current \(was 2026-12-01\)\. Same content as 2026-12-01\.$/);
  });

  it('lets the current version be imported again (the store decides whether its content matches)', async () => {
    const store = new MemoryPolicyStore();
    await importPolicyVersion(store, DEFAULT);
    const again = await importPolicyVersion(store, DEFAULT);
    expect(again.message).toBe(`Policy ${DEFAULT.version} (27 vendors, 14 categories) is already stored and current; nothing changed.`);
  });
});
