import { diag } from "@opentelemetry/api";
import { Redis } from "ioredis";

import { MemoryStore, windowKey } from "./memory-store.js";
import type { SharedStore } from "./types.js";

/** Settings of {@link RedisStore}. */
export interface RedisStoreOptions {
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  url: string;
  /** Put before every key, so several apps can share one Redis. Default: "agentwatch:". */
  keyPrefix?: string;
  /**
   * A command not answered within this many ms fails and the store falls back. Default: 500. The
   * timeout is checked after the event loop has read the socket once more, so a busy process
   * (its loop stalled past the timeout) does not mistake a reply it has not read yet for a slow Redis.
   */
  commandTimeoutMs?: number;
  /** The longest wait between reconnect attempts while Redis is down, in ms. Default: 2000. */
  reconnectMaxMs?: number;
  /** Members kept per idle index (the oldest are dropped first). Default: 100,000. */
  maxIndexMembers?: number;
  /** Bound of the local MemoryStore used while Redis is down. Default: 100,000 entries. */
  maxFallbackEntries?: number;
}

/** What {@link RedisStore.onError} reports: the store operation that failed. */
export type StoreOperation = "incrementWindow" | "readWindow" | "getJson" | "setJson" | "delete" | "claim" | "touch" | "idle" | "forget";

/** After a command times out (Redis connected but slow), commands skip Redis this long before trying again. */
const SLOW_BACKOFF_MS = 1_000;

/**
 * The `SharedStore` in Redis (ioredis), shared by every replica and outliving restarts.
 *
 * Layout (all under `keyPrefix`): windows `w:<key>@<slot>` (INCRBYFLOAT, PEXPIRE to the window's
 * end plus one window); values and claims `v:<key>` (SET PX, SET NX PX); idle indexes `i:<index>`
 * (sorted sets scored by last activity, capped at `maxIndexMembers`).
 *
 * Redis down or slow never blocks or breaks a run: no offline queue (a command while disconnected
 * fails at once), a short command timeout, and a failed command is answered by a local
 * `MemoryStore` instead, counted through {@link onError} and warned about once per outage
 * (console.warn and OTel diag). When Redis is back (ioredis reconnects with backoff), commands go
 * to Redis again; what was written locally meanwhile stays local (it is not merged back).
 */
export class RedisStore implements SharedStore {
  readonly kind = "redis";
  /** The local store that answers while Redis is unreachable. */
  readonly fallback: MemoryStore;
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly maxIndexMembers: number;
  private readonly timeoutMs: number;
  private readonly listeners = new Set<(operation: StoreOperation, error: unknown) => void>();
  private down = false;
  private skipUntil = 0;
  private closed = false;

  constructor(options: RedisStoreOptions) {
    this.prefix = options.keyPrefix ?? "agentwatch:";
    this.maxIndexMembers = options.maxIndexMembers ?? 100_000;
    this.fallback = new MemoryStore({ maxEntries: options.maxFallbackEntries ?? 100_000 });
    const reconnectMaxMs = options.reconnectMaxMs ?? 2_000;
    this.timeoutMs = options.commandTimeoutMs ?? 500;
    this.client = new Redis(options.url, {
      // Our own timeout (timeoutAfter) answers first; ioredis's, ten times longer, frees commands of a hung connection.
      commandTimeout: 10 * this.timeoutMs,
      connectTimeout: 2_000,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), reconnectMaxMs),
    });
    // ioredis emits "error" for every failed connection attempt; the commands' failures are what we count.
    this.client.on("error", () => {});
    this.client.on("ready", () => {
      this.skipUntil = 0;
    });
  }

  /** Resolves once connected (at most `timeoutMs`); false if Redis did not answer in time. Commands never wait for it. */
  async ready(timeoutMs = 5_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.client.status !== "ready") {
      if (Date.now() >= deadline || this.closed) return false;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return true;
  }

  /** Calls `listener` for every command that failed and was answered locally. Returns the unsubscribe function. */
  onError(listener: (operation: StoreOperation, error: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether commands go to Redis now (false while it is down or slow). */
  get reachable(): boolean {
    return !this.closed && this.client.status === "ready" && Date.now() >= this.skipUntil;
  }

  incrementWindow(key: string, amount: number, windowMs: number, nowMs: number): Promise<number> {
    return this.run(
      "incrementWindow",
      async () => {
        const slot = this.key("w:", windowKey(key, windowMs, nowMs));
        const windowEnd = (Math.floor(nowMs / windowMs) + 1) * windowMs;
        const replies = await this.client
          .multi()
          .incrbyfloat(slot, amount)
          .pexpire(slot, Math.max(1, windowEnd - nowMs + windowMs))
          .exec();
        const [error, total] = replies?.[0] ?? [new Error("empty MULTI reply"), undefined];
        if (error) throw error;
        return Number(total);
      },
      () => this.fallback.incrementWindow(key, amount, windowMs, nowMs),
    );
  }

  readWindow(key: string, windowMs: number, nowMs: number): Promise<number> {
    return this.run(
      "readWindow",
      async () => Number((await this.client.get(this.key("w:", windowKey(key, windowMs, nowMs)))) ?? 0),
      () => this.fallback.readWindow(key, windowMs, nowMs),
    );
  }

  getJson<T>(key: string): Promise<T | undefined> {
    return this.run(
      "getJson",
      async () => {
        const raw = await this.client.get(this.key("v:", key));
        return raw === null ? undefined : (JSON.parse(raw) as T);
      },
      () => this.fallback.getJson<T>(key),
    );
  }

  setJson(key: string, value: unknown, ttlMs: number): Promise<void> {
    return this.run(
      "setJson",
      async () => {
        await this.client.set(this.key("v:", key), JSON.stringify(value), "PX", ttl(ttlMs));
      },
      () => this.fallback.setJson(key, value, ttlMs),
    );
  }

  delete(key: string): Promise<void> {
    return this.run(
      "delete",
      async () => {
        await this.client.del(this.key("v:", key));
      },
      () => this.fallback.delete(key),
    );
  }

  claim(key: string, ttlMs: number): Promise<boolean> {
    return this.run(
      "claim",
      async () => (await this.client.set(this.key("v:", key), "1", "PX", ttl(ttlMs), "NX")) === "OK",
      () => this.fallback.claim(key, ttlMs),
    );
  }

  touch(index: string, member: string, atMs: number): Promise<void> {
    return this.run(
      "touch",
      async () => {
        const zset = this.key("i:", index);
        const replies = await this.client
          .multi()
          .zadd(zset, atMs, member)
          // Lowest scores (least recently active) go first past the cap, as in MemoryStore.
          .zremrangebyrank(zset, 0, -(this.maxIndexMembers + 1))
          .exec();
        const failed = replies?.find(([error]) => error);
        if (failed) throw failed[0];
      },
      () => this.fallback.touch(index, member, atMs),
    );
  }

  idle(index: string, beforeMs: number, limit: number): Promise<string[]> {
    return this.run(
      "idle",
      () => this.client.zrangebyscore(this.key("i:", index), "-inf", `(${beforeMs}`, "LIMIT", 0, limit),
      () => this.fallback.idle(index, beforeMs, limit),
    );
  }

  forget(index: string, member: string): Promise<void> {
    return this.run(
      "forget",
      async () => {
        await this.client.zrem(this.key("i:", index), member);
      },
      () => this.fallback.forget(index, member),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  private key(kind: string, key: string): string {
    return `${this.prefix}${kind}${key}`;
  }

  /** Runs `command` on Redis when reachable; on failure (or while down) answers with `local`. Never rejects. */
  private async run<T>(operation: StoreOperation, command: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (!this.reachable) {
      if (!this.closed) {
        const status = this.client.status;
        this.failed(
          operation,
          new Error(status === "ready" ? "Redis was slow: a command timed out, retrying in a second" : `Redis is ${status}`),
        );
      }
      return local();
    }
    try {
      const result = await timeoutAfter(command(), this.timeoutMs);
      if (this.down) {
        this.down = false;
        diag.info("agentwatch: Redis is reachable again; shared state goes to Redis again");
      }
      return result;
    } catch (error) {
      if (isTimeout(error)) this.skipUntil = Date.now() + SLOW_BACKOFF_MS;
      this.failed(operation, error);
      return local();
    }
  }

  private failed(operation: StoreOperation, error: unknown): void {
    for (const listener of this.listeners) {
      try {
        listener(operation, error);
      } catch {
        // a listener's bug must not break the store
      }
    }
    if (this.down) return;
    this.down = true;
    const message =
      `agentwatch: Redis is unreachable (${error instanceof Error ? error.message : String(error)}); ` +
      "shared state (spend windows, conversations) is kept in this process until it is back, so replicas do not share it meanwhile. " +
      "Failed commands are counted in agentwatch_shared_store_errors_total.";
    console.warn(message);
    diag.warn(message);
  }
}

/** A TTL Redis accepts (PX needs a positive integer). */
function ttl(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

class CommandTimeout extends Error {}

function isTimeout(error: unknown): boolean {
  return error instanceof CommandTimeout || (error instanceof Error && /timed? ?out/i.test(error.message));
}

/**
 * `promise`, or a CommandTimeout after `ms`. When the timer fires, the rejection waits for
 * setImmediate, which runs after the loop's I/O poll: a reply that arrived while the loop was
 * stalled is read first and wins.
 */
function timeoutAfter<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => setImmediate(() => reject(new CommandTimeout(`Redis did not answer within ${ms} ms`))), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
