/**
 * The shape of a policy diff and the small tools every section uses: a
 * structural comparison down to the fields that differ, and values written
 * the way a person reads them (yes/no, 25,000, "(none)").
 */
import { stableJson } from '../stable-json';

export const DIFF_SECTIONS = [
  { id: 'general', title: 'General' },
  { id: 'vendors', title: 'Vendors' },
  { id: 'categories', title: 'Categories' },
  { id: 'spend', title: 'Spend tiers and approvers' },
  { id: 'data-rules', title: 'Data rules' },
  { id: 'contracts', title: 'Contract rules' },
  { id: 'oauth', title: 'OAuth rules' },
  { id: 'identity-provider', title: 'Identity provider' },
  { id: 'approvals', title: 'Approvals' },
  { id: 'other', title: 'Other settings' },
] as const;
export type DiffSectionId = (typeof DIFF_SECTIONS)[number]['id'];

export interface PolicyChange {
  /** Stable, machine-readable: `vendors.dropbox.status`, `spend.tiers[1].approver`, `approvals.approvers.dana@example.com`. */
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** What the change is about, for people: "Dropbox", "tier 2", "confidential data". */
  subject: string;
  /** The property that changed, in words ("status", "agreement seats"); absent when a whole entry came or went. */
  field?: string;
  /** Values as stored in the policy (absent on the side where the entry does not exist). */
  before?: unknown;
  after?: unknown;
  /** The change as one phrase: "Dropbox: tolerated → prohibited". */
  text: string;
}

export interface PolicyDiffSection {
  id: DiffSectionId;
  title: string;
  changes: PolicyChange[];
}

export interface PolicySide {
  version: string;
  vendors: number;
  categories: number;
}

export interface PolicyDiff {
  from: PolicySide;
  to: PolicySide;
  /** Nothing differs but (possibly) the version. */
  identical: boolean;
  changeCount: number;
  /** Only sections with changes, always in the order of DIFF_SECTIONS. */
  sections: PolicyDiffSection[];
}

/** One field that differs between two values, found by walking both objects. */
export interface LeafDifference {
  keys: string[];
  before: unknown;
  after: unknown;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

/**
 * Every field that differs, walking objects key by key (the second value's
 * key order, then keys only the first has). Arrays and scalars are compared
 * whole: sections that know what an array holds match its entries themselves.
 */
export function leafDifferences(before: unknown, after: unknown, keys: string[] = []): LeafDifference[] {
  if (sameValue(before, after)) return [];
  // A settings block that appears or goes is read field by field too ("renewal days (none) → 90").
  const was = before === undefined && isPlainObject(after) ? {} : before;
  const now = after === undefined && isPlainObject(before) ? {} : after;
  if (isPlainObject(was) && isPlainObject(now)) {
    const names = [...Object.keys(now), ...Object.keys(was).filter((k) => !(k in now))];
    return names.flatMap((k) => leafDifferences(was[k], now[k], [...keys, k]));
  }
  return [{ keys, before, after }];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as a person reads it in one line. */
export function show(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 6 });
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(show).join(', ');
  return stableJson(value);
}

/** `camelCase` key → "camel case", for fields no section names itself (added by a later schema). */
export function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/**
 * The phrase for one changed field: lists of names as "added …; removed …",
 * everything else as "before → after".
 */
export function changePhrase(before: unknown, after: unknown): string {
  // Prose (notes, descriptions) does not fit on a line: say it changed; --json has both texts.
  if (isLongText(before) || isLongText(after)) return before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
  if (isScalarList(before ?? []) && isScalarList(after ?? [])) {
    const was = (before ?? []) as unknown[];
    const now = (after ?? []) as unknown[];
    const added = now.filter((v) => !was.some((w) => sameValue(v, w)));
    const removed = was.filter((v) => !now.some((w) => sameValue(v, w)));
    const parts = [added.length ? `added ${added.map(show).join(', ')}` : '', removed.length ? `removed ${removed.map(show).join(', ')}` : ''];
    const phrase = parts.filter(Boolean).join('; ');
    if (phrase) return phrase;
    return 'reordered';
  }
  return `${show(before)} → ${show(after)}`;
}

function isLongText(value: unknown): boolean {
  return typeof value === 'string' && (value.length > 60 || value.includes('\n'));
}

function isScalarList(value: unknown): value is unknown[] {
  return Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object');
}

/** A "changed" entry for one leaf difference, with the section's words for the field. */
export function fieldChange(pathPrefix: string, subject: string, leaf: LeafDifference, label: (keys: string[]) => string): PolicyChange {
  const field = label(leaf.keys);
  const change: PolicyChange = {
    path: [pathPrefix, ...leaf.keys].filter(Boolean).join('.'),
    change: 'changed',
    subject,
    text: `${subject}: ${field ? `${field} ` : ''}${changePhrase(leaf.before, leaf.after)}`,
  };
  if (field) change.field = field;
  if (leaf.before !== undefined) change.before = leaf.before;
  if (leaf.after !== undefined) change.after = leaf.after;
  return change;
}

/**
 * Entries of two lists matched by a key (ids, emails, scopes): what was
 * added, removed, and present in both, in the new list's order (removed ones
 * in the old list's order).
 */
export function matchByKey<T>(before: readonly T[], after: readonly T[], keyOf: (item: T) => string) {
  const old = new Map(before.map((item) => [keyOf(item), item] as const));
  const fresh = new Map(after.map((item) => [keyOf(item), item] as const));
  return {
    added: after.filter((item) => !old.has(keyOf(item))),
    removed: before.filter((item) => !fresh.has(keyOf(item))),
    kept: after.filter((item) => old.has(keyOf(item))).map((item) => ({ before: old.get(keyOf(item))!, after: item })),
  };
}

/** How a keyed entry is named and said in words when it comes or goes (vendors, scopes, approvers…). */
export interface EntryWords<T> {
  path: (entry: T) => string;
  subject: (entry: T) => string;
  added: (entry: T) => string;
  removed: (entry: T) => string;
}

/** One change for each entry that came and each that went, added first. */
export function addedAndRemoved<T>(match: { added: readonly T[]; removed: readonly T[] }, words: EntryWords<T>): PolicyChange[] {
  return [
    ...match.added.map((e): PolicyChange => ({ path: words.path(e), change: 'added', subject: words.subject(e), after: e, text: words.added(e) })),
    ...match.removed.map((e): PolicyChange => ({ path: words.path(e), change: 'removed', subject: words.subject(e), before: e, text: words.removed(e) })),
  ];
}
