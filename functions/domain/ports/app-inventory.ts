/**
 * The app inventory and the people directory, as the use cases see them.
 * Every write is a single-item conditional write, so a redelivered event
 * changes nothing it already changed (no transactions: dynalite has none).
 */
import type { AppReview, AppUser, EntryFacts, InventoryEntry, ReviewChange } from '../inventory/app-inventory';
import type { Person } from '../inventory/people';
import type { AssignmentsComplete, CompleteSeatCount } from '../inventory/seat-counts';

export interface AppInventoryStore {
  /** The entry, or undefined before the app was first seen. */
  get(appKey: string): Promise<InventoryEntry | undefined>;
  /** Creates the entry unless it exists; returns the stored one either way. */
  createIfAbsent(entry: InventoryEntry): Promise<{ created: boolean; entry: InventoryEntry }>;
  /** Adds facts (set additions, a higher risk, a later lastSeen); false when the entry already held them all. */
  addFacts(appKey: string, facts: EntryFacts): Promise<boolean>;
  /**
   * Records one person using the app: created once per person (a redelivery
   * or a second assignment of the same person adds nothing). `tally` is the
   * person's shard tally after a new person was counted in it.
   */
  recordUser(appKey: string, user: AppUser): Promise<{ newUser: boolean; tally?: number }>;
  /** People using the app, exactly: the usage items counted shard by shard. */
  countUsers(appKey: string): Promise<number>;
  /** A quick estimate of the count from the shards' tallies (for spike checks, never shown as the count). */
  estimateUsers(appKey: string): Promise<number>;
  /** The people using the app (up to `limit`), most recently seen first. */
  listUsers(appKey: string, limit?: number): Promise<AppUser[]>;
  /**
   * Points the app's review at `review.recordId` when the entry's review is
   * still `expected` (its record id, or undefined for none): two first
   * sightings racing open one review.
   */
  claimReview(appKey: string, review: AppReview, expected: string | undefined): Promise<boolean>;
  /** Appends changes to the open review `recordId` (each once) and, with `people`, its new user count; false when none was new. */
  noteReviewChanges(appKey: string, recordId: string, changes: ReviewChange[], people?: number): Promise<boolean>;
  /** Links a purchase request to the app it buys (creating a "requested" entry when the app was never seen). */
  linkRequest(seed: InventoryEntry, recordId: string): Promise<void>;
  /** Every entry, without counts (one Query; a company has hundreds of apps, not millions). */
  list(): Promise<InventoryEntry[]>;
  /**
   * Makes `users` the app's people (an import of its complete assignment
   * list): adds the new ones, removes the ones no longer assigned, and
   * resets the shard tallies to the exact counts.
   */
  replaceUsers(appKey: string, users: readonly AppUser[]): Promise<{ added: number; removed: number; kept: number }>;
  /** Marks the entry's assignments complete and, for a catalogue app, puts its seat count in the overlay. */
  markAssignmentsComplete(appKey: string, complete: AssignmentsComplete, vendorId?: string): Promise<void>;
  /** Seats used of every catalogue app whose assignments are complete: one Query and a BatchGet of tallies. */
  completeSeatCounts(): Promise<CompleteSeatCount[]>;
}

/** What the console, the outreach and the CLI read: entries with their exact user counts. */
export interface InventoryView {
  list(filter?: { department?: string }): Promise<(InventoryEntry & { users: number })[]>;
  app(appKey: string, options?: { usersLimit?: number }): Promise<(InventoryEntry & { users: number; people: AppUser[] }) | undefined>;
}

export interface PeopleDirectory {
  /** The person an email (or alias) belongs to. */
  find(emailOrAlias: string): Promise<Person | undefined>;
  /** Stores an imported person (replacing what an earlier import or an event said). */
  put(person: Person): Promise<void>;
  /** Stores what an event said about a person unless the directory already knows them. */
  learn(person: Person): Promise<boolean>;
  /** Which of `addresses` are someone's own address (a profile, not an alias): one BatchGet. */
  profilesAmong?(addresses: readonly string[]): Promise<Set<string>>;
}
