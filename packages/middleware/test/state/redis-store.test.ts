import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { type RedisServer, startRedis } from "../../../../test-support/redis.js";
import { createSharedStore, MemoryStore, RedisStore, type StoreOperation } from "../../src/index.js";
import { storeBehaviour } from "./store-behaviour.js";

let redis: RedisServer;
let prefixes = 0;
const prefix = () => `t${process.pid}-${prefixes++}:`;

beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

async function connected(options: Partial<ConstructorParameters<typeof RedisStore>[0]> = {}): Promise<RedisStore> {
  const store = new RedisStore({ url: redis.url, keyPrefix: prefix(), reconnectMaxMs: 200, ...options });
  expect(await store.ready()).toBe(true);
  return store;
}

storeBehaviour("RedisStore", () => connected());

describe("RedisStore", () => {
  it("keeps stores with different key prefixes apart, and two stores with one prefix together", async () => {
    const shared = prefix();
    const [a, b, other] = [await connected({ keyPrefix: shared }), await connected({ keyPrefix: shared }), await connected()];
    const now = Date.now();
    await a.incrementWindow("spend:u", 2, 60_000, now);
    expect(await b.incrementWindow("spend:u", 1, 60_000, now)).toBe(3);
    expect(await other.readWindow("spend:u", 60_000, now)).toBe(0);
    await a.setJson("k", { v: 1 }, 10_000);
    expect(await b.getJson("k")).toEqual({ v: 1 });
    expect(await other.getJson("k")).toBeUndefined();
    expect(await b.claim("once", 10_000)).toBe(true);
    expect(await a.claim("once", 10_000)).toBe(false);
    await Promise.all([a.close(), b.close(), other.close()]);
  });

  it("caps an idle index, dropping the least recently active members", async () => {
    const store = await connected({ maxIndexMembers: 3 });
    for (let i = 0; i < 5; i++) await store.touch("idx", `m${i}`, i);
    expect(await store.idle("idx", 100, 10)).toEqual(["m2", "m3", "m4"]);
    await store.close();
  });

  it("createSharedStore: Redis when REDIS_URL (or url) is set, else the in-process store; a bad URL names the fix", async () => {
    expect(createSharedStore({ env: {} })).toBeInstanceOf(MemoryStore);
    expect(createSharedStore({ env: { REDIS_URL: "" } })).toBeInstanceOf(MemoryStore);
    const fromEnv = createSharedStore({ env: { REDIS_URL: redis.url }, keyPrefix: prefix() });
    expect(fromEnv).toBeInstanceOf(RedisStore);
    expect(fromEnv.kind).toBe("redis");
    expect(await (fromEnv as RedisStore).ready()).toBe(true);
    expect(await fromEnv.incrementWindow("w", 1, 1000, Date.now())).toBe(1);
    await fromEnv.close();
    expect(() => createSharedStore({ env: { REDIS_URL: "127.0.0.1:6379" } })).toThrow(/REDIS_URL.*redis:\/\/127\.0\.0\.1:6379/);
  });

  it("Redis down: answers from the local fallback at once, counts each failure, warns once; Redis back: writes go to Redis again", async () => {
    const keyPrefix = prefix();
    const store = await connected({ keyPrefix });
    const errors: StoreOperation[] = [];
    store.onError((operation) => errors.push(operation));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const now = Date.now();
      expect(await store.incrementWindow("spend:u", 1, 3_600_000, now)).toBe(1);
      await redis.kill();
      const started = Date.now();
      // While down, every operation resolves (from the fallback) and none rejects.
      expect(await store.incrementWindow("spend:u", 0.5, 3_600_000, now)).toBe(0.5);
      await store.setJson("conv", { turns: 1 }, 60_000);
      expect(await store.getJson("conv")).toEqual({ turns: 1 });
      expect(await store.claim("c", 60_000)).toBe(true);
      for (let i = 0; i < 20; i++) await store.readWindow("spend:u", 3_600_000, now);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(errors.length).toBeGreaterThanOrEqual(24);
      expect(new Set(errors)).toEqual(new Set(["incrementWindow", "setJson", "getJson", "claim", "readWindow"]));
      const warnings = warn.mock.calls.filter(([message]) => String(message).includes("Redis is unreachable"));
      expect(warnings).toHaveLength(1);

      await redis.restart();
      expect(await store.ready(10_000)).toBe(true);
      const failedBefore = errors.length;
      // The restarted Redis is empty (no persistence): the increment lands there, not in the fallback.
      expect(await store.incrementWindow("spend:u", 2, 3_600_000, now)).toBe(2);
      expect(errors.length).toBe(failedBefore);
      const reader = await connected({ keyPrefix });
      expect(await reader.readWindow("spend:u", 3_600_000, now)).toBe(2);
      await reader.close();
    } finally {
      warn.mockRestore();
      await store.close();
    }
  }, 30_000);

  it("Redis slow: a command that times out is answered locally instead of waiting", async () => {
    const store = await connected({ commandTimeoutMs: 100 });
    const blocker = await connected();
    const errors: StoreOperation[] = [];
    store.onError((operation) => errors.push(operation));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      // DEBUG SLEEP would need debug commands enabled; a CLIENT PAUSE stalls every other client's commands.
      await (blocker as unknown as { client: { call: (...args: unknown[]) => Promise<unknown> } }).client.call(
        "CLIENT",
        "PAUSE",
        "1500",
        "ALL",
      );
      const started = Date.now();
      expect(await store.incrementWindow("spend:slow", 1, 60_000, Date.now())).toBe(1);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(errors).toEqual(["incrementWindow"]);
    } finally {
      warn.mockRestore();
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      await store.close();
      await blocker.close();
    }
  }, 15_000);
});
