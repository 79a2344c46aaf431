import type { SharedStore } from "./types.js";

/** Settings of the in-process store. */
export interface MemoryStoreOptions {
  /** Values, windows and index members kept at most (oldest dropped first). Default: 100,000. */
  maxEntries?: number;
  /** The clock for expiry, in ms. Default: Date.now. */
  now?: () => number;
}

interface Entry {
  value: unknown;
  expiresAt: number;
}

/**
 * The embedded default `SharedStore`: this process only, lost at restart, bounded. Right for one
 * replica; with several, configure Redis so every replica sees the same state.
 */
export class MemoryStore implements SharedStore {
  readonly kind = "memory";
  private readonly values = new Map<string, Entry>();
  private readonly windows = new Map<string, number>();
  private readonly indexes = new Map<string, Map<string, number>>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100_000;
    this.now = options.now ?? Date.now;
  }

  incrementWindow(key: string, amount: number, windowMs: number, nowMs: number): Promise<number> {
    const slot = windowKey(key, windowMs, nowMs);
    const total = (this.windows.get(slot) ?? 0) + amount;
    this.windows.delete(slot);
    this.windows.set(slot, total);
    trim(this.windows, this.maxEntries);
    return Promise.resolve(total);
  }

  readWindow(key: string, windowMs: number, nowMs: number): Promise<number> {
    return Promise.resolve(this.windows.get(windowKey(key, windowMs, nowMs)) ?? 0);
  }

  getJson<T>(key: string): Promise<T | undefined> {
    return Promise.resolve(this.live(key)?.value as T | undefined);
  }

  setJson(key: string, value: unknown, ttlMs: number): Promise<void> {
    this.values.delete(key);
    // A copy, as a shared store would hold: a caller's later edits do not leak in.
    this.values.set(key, { value: JSON.parse(JSON.stringify(value)) as unknown, expiresAt: this.now() + ttlMs });
    trim(this.values, this.maxEntries);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.values.delete(key);
    return Promise.resolve();
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.live(key) !== undefined) return Promise.resolve(false);
    this.values.set(key, { value: true, expiresAt: this.now() + ttlMs });
    trim(this.values, this.maxEntries);
    return Promise.resolve(true);
  }

  touch(index: string, member: string, atMs: number): Promise<void> {
    let members = this.indexes.get(index);
    if (members === undefined) this.indexes.set(index, (members = new Map()));
    members.delete(member);
    members.set(member, atMs);
    trim(members, this.maxEntries);
    return Promise.resolve();
  }

  idle(index: string, beforeMs: number, limit: number): Promise<string[]> {
    const members = [...(this.indexes.get(index) ?? new Map<string, number>())].filter(([, at]) => at < beforeMs);
    members.sort((a, b) => a[1] - b[1]);
    return Promise.resolve(members.slice(0, limit).map(([member]) => member));
  }

  forget(index: string, member: string): Promise<void> {
    this.indexes.get(index)?.delete(member);
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private live(key: string): Entry | undefined {
    const entry = this.values.get(key);
    if (entry !== undefined && entry.expiresAt <= this.now()) {
      this.values.delete(key);
      return undefined;
    }
    return entry;
  }
}

/** The key of the fixed window of `windowMs` holding `nowMs`. */
export function windowKey(key: string, windowMs: number, nowMs: number): string {
  return `${key}@${Math.floor(nowMs / windowMs)}`;
}

/** Drops the oldest entries (Map order is insertion order; writers re-insert) above `max`. */
function trim<K, V>(map: Map<K, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}
