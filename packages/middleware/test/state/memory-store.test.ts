import { describe, expect, it } from "vitest";

import { MemoryStore } from "../../src/index.js";
import { storeBehaviour } from "./store-behaviour.js";

storeBehaviour("MemoryStore", () => Promise.resolve(new MemoryStore()));

describe("MemoryStore (the in-process SharedStore)", () => {
  it("adds into fixed windows: a new window starts at a multiple of its length", async () => {
    const store = new MemoryStore();
    const hour = 3_600_000;
    expect(await store.incrementWindow("spend:u1", 0.5, hour, 10 * hour + 1)).toBe(0.5);
    expect(await store.incrementWindow("spend:u1", 0.25, hour, 11 * hour - 1)).toBe(0.75);
    expect(await store.readWindow("spend:u1", hour, 10 * hour)).toBe(0.75);
    expect(await store.readWindow("spend:u1", hour, 11 * hour)).toBe(0);
    expect(await store.incrementWindow("spend:u1", 1, hour, 11 * hour)).toBe(1);
    expect(await store.readWindow("spend:u2", hour, 10 * hour)).toBe(0);
  });

  it("keeps JSON values until they expire, as copies", async () => {
    let now = 1_000;
    const store = new MemoryStore({ now: () => now });
    const value = { turns: 2 };
    await store.setJson("conv:a", value, 500);
    value.turns = 99;
    expect(await store.getJson("conv:a")).toEqual({ turns: 2 });
    now = 1_499;
    expect(await store.getJson("conv:a")).toEqual({ turns: 2 });
    now = 1_500;
    expect(await store.getJson("conv:a")).toBeUndefined();
    await store.setJson("conv:b", 1, 500);
    await store.delete("conv:b");
    expect(await store.getJson("conv:b")).toBeUndefined();
  });

  it("lets one caller claim a key until it expires", async () => {
    let now = 0;
    const store = new MemoryStore({ now: () => now });
    expect(await store.claim("abandoned:a", 100)).toBe(true);
    expect(await store.claim("abandoned:a", 100)).toBe(false);
    now = 100;
    expect(await store.claim("abandoned:a", 100)).toBe(true);
  });

  it("lists idle members oldest first, moves a touched member, forgets one", async () => {
    const store = new MemoryStore();
    await store.touch("conversations", "a", 10);
    await store.touch("conversations", "b", 20);
    await store.touch("conversations", "c", 30);
    await store.touch("conversations", "a", 40);
    expect(await store.idle("conversations", 35, 10)).toEqual(["b", "c"]);
    expect(await store.idle("conversations", 100, 2)).toEqual(["b", "c"]);
    await store.forget("conversations", "b");
    expect(await store.idle("conversations", 100, 10)).toEqual(["c", "a"]);
    expect(await store.idle("other", 100, 10)).toEqual([]);
  });

  it("stays bounded: the oldest entries go first", async () => {
    const store = new MemoryStore({ maxEntries: 3 });
    for (const key of ["a", "b", "c", "d"]) await store.setJson(key, key, 60_000);
    expect(await store.getJson("a")).toBeUndefined();
    expect(await store.getJson("d")).toBe("d");
    for (let i = 0; i < 5; i++) await store.touch("idx", `m${i}`, i);
    expect(await store.idle("idx", 100, 10)).toEqual(["m2", "m3", "m4"]);
    for (let i = 0; i < 5; i++) await store.incrementWindow(`w${i}`, 1, 1000, 0);
    expect(await store.readWindow("w0", 1000, 0)).toBe(0);
    expect(await store.readWindow("w4", 1000, 0)).toBe(1);
  });
});
