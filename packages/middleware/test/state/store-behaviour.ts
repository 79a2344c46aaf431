import { afterEach, describe, expect, it } from "vitest";

import type { SharedStore } from "../../src/index.js";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every SharedStore shares, run against MemoryStore and RedisStore alike. `make`
 * returns a fresh, empty store (closed after each case). Expiry runs on the real clock here.
 */
export function storeBehaviour(name: string, make: () => Promise<SharedStore>): void {
  describe(`${name}: the SharedStore behaviour`, () => {
    const made: SharedStore[] = [];
    const fresh = async () => {
      const store = await make();
      made.push(store);
      return store;
    };
    afterEach(async () => {
      for (const store of made.splice(0)) await store.close();
    });

    it("adds into fixed windows: a new window starts at a multiple of its length", async () => {
      const store = await fresh();
      const hour = 3_600_000;
      const now = Math.floor(Date.now() / hour) * hour;
      expect(await store.incrementWindow("spend:u1", 0.5, hour, now + 1)).toBe(0.5);
      expect(await store.incrementWindow("spend:u1", 0.25, hour, now + hour - 1)).toBe(0.75);
      expect(await store.readWindow("spend:u1", hour, now)).toBe(0.75);
      expect(await store.readWindow("spend:u1", hour, now + hour)).toBe(0);
      expect(await store.incrementWindow("spend:u1", 1, hour, now + hour)).toBe(1);
      expect(await store.readWindow("spend:u2", hour, now)).toBe(0);
    });

    it("sums concurrent increments exactly", async () => {
      const store = await fresh();
      const now = Date.now();
      const totals = await Promise.all(Array.from({ length: 50 }, () => store.incrementWindow("spend:c", 0.125, 60_000, now)));
      expect(Math.max(...totals)).toBe(6.25);
      expect(new Set(totals).size).toBe(50);
      expect(await store.readWindow("spend:c", 60_000, now)).toBe(6.25);
    });

    it("keeps JSON values until they expire, as copies", async () => {
      const store = await fresh();
      const value = { turns: 2, tags: ["a"] };
      await store.setJson("conv:a", value, 300);
      value.turns = 99;
      expect(await store.getJson("conv:a")).toEqual({ turns: 2, tags: ["a"] });
      await store.setJson("conv:long", "kept", 60_000);
      await sleep(450);
      expect(await store.getJson("conv:a")).toBeUndefined();
      expect(await store.getJson("conv:long")).toBe("kept");
      await store.delete("conv:long");
      expect(await store.getJson("conv:long")).toBeUndefined();
      expect(await store.getJson("never-set")).toBeUndefined();
    });

    it("lets one caller claim a key until it expires", async () => {
      const store = await fresh();
      const claims = await Promise.all(Array.from({ length: 10 }, () => store.claim("abandoned:a", 300)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.claim("abandoned:a", 300)).toBe(false);
      await sleep(450);
      expect(await store.claim("abandoned:a", 300)).toBe(true);
    });

    it("lists idle members oldest first, moves a touched member, forgets one", async () => {
      const store = await fresh();
      await store.touch("conversations", "a", 10);
      await store.touch("conversations", "b", 20);
      await store.touch("conversations", "c", 30);
      await store.touch("conversations", "a", 40);
      expect(await store.idle("conversations", 35, 10)).toEqual(["b", "c"]);
      expect(await store.idle("conversations", 30, 10)).toEqual(["b"]);
      expect(await store.idle("conversations", 100, 2)).toEqual(["b", "c"]);
      await store.forget("conversations", "b");
      expect(await store.idle("conversations", 100, 10)).toEqual(["c", "a"]);
      expect(await store.idle("other", 100, 10)).toEqual([]);
    });
  });
}
