/**
 * State that every replica of an app shares and that outlives a restart: conversation state for
 * outcomes and abandonment, per-user and per-tenant spend windows, drift reference windows.
 * In process by default (`MemoryStore`: one replica, lost at restart), in Redis when configured.
 *
 * Every method may be slow or fail (Redis down): callers on a run's path never await it unbounded
 * and never let it throw into the host agent; an implementation that cannot reach its backend
 * falls back, counts and warns once.
 */
export interface SharedStore {
  /** "memory" (this process only) or "redis" (shared). */
  readonly kind: "memory" | "redis";
  /**
   * Adds `amount` to the fixed window of `windowMs` that holds `nowMs` (windows start at multiples
   * of `windowMs` since the epoch) and returns the window's total after adding.
   */
  incrementWindow(key: string, amount: number, windowMs: number, nowMs: number): Promise<number>;
  /** The total of the window of `windowMs` that holds `nowMs` (0 if nothing was added). */
  readWindow(key: string, windowMs: number, nowMs: number): Promise<number>;
  /** A JSON value, or undefined when absent or expired. */
  getJson<T>(key: string): Promise<T | undefined>;
  /** Stores a JSON value for `ttlMs`. */
  setJson(key: string, value: unknown, ttlMs: number): Promise<void>;
  /** Removes a value. */
  delete(key: string): Promise<void>;
  /**
   * Sets `key` for `ttlMs` only if it is absent: true for the one caller (of all replicas) that set
   * it. For work that must happen once across replicas (counting a conversation as abandoned).
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Records `member`'s last activity at `atMs` in the index `index` (a conversation's last turn). */
  touch(index: string, member: string, atMs: number): Promise<void>;
  /** Members of `index` whose last activity is before `beforeMs`, oldest first, at most `limit`. */
  idle(index: string, beforeMs: number, limit: number): Promise<string[]>;
  /** Removes `member` from `index`. */
  forget(index: string, member: string): Promise<void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}
