import { seededRandom } from "@agentwatch/fixtures";
import { describe, expect, it } from "vitest";

import { captureStructured, truncationMarker } from "../../src/content/structured.js";

const same = (t: string) => t;
/** A UTF-16 surrogate without its other half. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A captured value's JSON, parsed. */
function capture(value: unknown, max: number, shape: "messages" | "json" = "json", redact: (t: string) => string | undefined = same) {
  const out = captureStructured(value, shape, max, redact);
  if (out === undefined) throw new Error("nothing captured");
  return { ...out, parsed: JSON.parse(out.json) as unknown };
}

describe("captureStructured", () => {
  it("leaves a value that fits as JSON.stringify writes it", () => {
    const value = { a: "x", b: [1, true, null, 'é\n"q"'], c: { d: 2.5 } };
    const out = capture(value, 1000);
    expect(out.json).toBe(JSON.stringify(value));
    expect(out.truncated).toBe(false);
  });

  it("cuts the long texts to one common length, keeps short ones whole, and fits the limit plus one marker", () => {
    const value = { short: "kept", long1: "a".repeat(500), long2: "b".repeat(300) };
    const out = capture(value, 200);
    const parsed = out.parsed as Record<string, string>;
    expect(parsed.short).toBe("kept");
    expect(parsed.long1).toMatch(/^a+…\[truncated \d+ chars\]$/);
    expect(parsed.long2).toMatch(/^b+…\[truncated \d+ chars\]$/);
    expect(parsed.long1?.indexOf("…")).toBe(parsed.long2?.indexOf("…"));
    expect(out.json.length).toBeLessThanOrEqual(200 + truncationMarker(500).length);
    expect(out.truncated).toBe(true);
  });

  it("counts JSON escapes and never splits a surrogate pair", () => {
    const value = ['"\\\n'.repeat(200), "😀".repeat(200), "\u0001".repeat(100)];
    for (const max of [30, 61, 100, 333]) {
      const out = capture(value, max);
      expect(out.json.length, `max ${max}`).toBeLessThanOrEqual(max + truncationMarker(400).length);
      for (const s of out.parsed as string[]) expect(s, `max ${max}`).not.toMatch(LONE_SURROGATE);
    }
  });

  it("never cuts or redacts message identifiers, and redacts every text after its cut", () => {
    const messages = [
      { role: "assistant", parts: [{ type: "tool_call", id: "call_1", name: "lookup", arguments: { query: "q".repeat(300), type: "t" } }] },
      { role: "user", parts: [{ type: "text", content: "c".repeat(300) }] },
    ];
    const seen: string[] = [];
    const out = capture(messages, 260, "messages", (t) => {
      seen.push(t);
      return t.toUpperCase();
    });
    const [call, user] = out.parsed as { role: string; parts: Record<string, unknown>[] }[];
    expect(call?.role).toBe("assistant");
    expect(call?.parts[0]).toMatchObject({ type: "tool_call", id: "call_1", name: "LOOKUP", arguments: { type: "T" } });
    expect(String((call?.parts[0]?.arguments as Record<string, string>).query)).toMatch(/^Q+…\[TRUNCATED \d+ CHARS\]$/);
    expect(user).toMatchObject({ role: "user", parts: [{ type: "text" }] });
    expect(seen.every((t) => t.length <= 260 + 30)).toBe(true);
    expect(seen).not.toContain("assistant");
    expect(seen).not.toContain("tool_call");
  });

  it("leaves out the last entries of the longest list of plain JSON", () => {
    const out = capture({ ids: Array.from({ length: 500 }, (_, i) => i) }, 100);
    const ids = (out.parsed as { ids: number[] }).ids;
    expect(ids[0]).toBe(0);
    expect(ids.length).toBeLessThan(500);
    expect(out.json.length).toBeLessThanOrEqual(100);
  });

  it("drops the whole value when the hook fails on any text", () => {
    expect(captureStructured(["fine", "bad"], "json", 100, (t) => (t === "bad" ? undefined : t))).toBeUndefined();
  });

  it("leaves out the oldest messages when even empty texts do not fit", () => {
    const messages = Array.from({ length: 200 }, (_, i) => ({ role: "user", parts: [{ type: "text", content: `message ${i}` }] }));
    const out = capture(messages, 300, "messages");
    const parsed = out.parsed as { role: string; parts: unknown[] }[];
    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed.length).toBeLessThan(200);
    for (const m of parsed) expect(m).toMatchObject({ role: "user", parts: expect.any(Array) });
    expect(JSON.stringify(parsed.at(-1))).toContain("message 199");
    expect(out.json.length).toBeLessThanOrEqual(300 + truncationMarker(20).length);
    expect(out.truncated).toBe(true);
  });

  it("survives cycles, BigInts, throwing getters and toJSON, and bounds deep or huge values", () => {
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const hostile = {
      get boom() {
        throw new Error("getter");
      },
    };
    let deep: unknown = "bottom";
    for (let i = 0; i < 100; i++) deep = [deep];
    const value = { cyclic, big: 10n, hostile, date: new Date(0), deep, wide: Array.from({ length: 100_000 }, (_, i) => i) };
    const out = capture(value, 4096);
    const parsed = out.parsed as Record<string, unknown>;
    expect(parsed.cyclic).toEqual({ name: "loop", self: "[Circular]" });
    expect(parsed.big).toBe("10");
    expect(parsed.hostile).toEqual({ boom: "[unserializable]" });
    expect(parsed.date).toBe(new Date(0).toJSON());
    expect(out.json.length).toBeLessThanOrEqual(4096 + 30);
    expect(out.truncated).toBe(true);
  });

  it("random JSON under random limits: always JSON, always within the limit plus one marker", () => {
    const random = seededRandom(0x7e57);
    const word = () => 'lorem ipsum "dolor" \n sit 😀 amet '.slice(0, Math.floor(random() * 40)).repeat(Math.floor(random() * 30));
    const gen = (depth: number): unknown => {
      const r = random();
      if (depth > 3 || r < 0.3) return word();
      if (r < 0.4) return Math.floor(random() * 1000);
      if (r < 0.7) return Array.from({ length: Math.floor(random() * 6) }, () => gen(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, (_, i) => [`k${i}`, gen(depth + 1)]));
    };
    for (let i = 0; i < 300; i++) {
      const value = gen(0);
      const max = 1 + Math.floor(random() * 400);
      const out = captureStructured(value, "json", max, same);
      expect(out).toBeDefined();
      const json = out?.json ?? "";
      expect(() => JSON.parse(json) as unknown).not.toThrow();
      // "[]" / "{}" are the least a list or an object can shrink to.
      expect(json.length, `case ${i}, max ${max}`).toBeLessThanOrEqual(Math.max(max + truncationMarker(99_999).length, 2));
      if (out?.truncated === false) expect(json).toBe(JSON.stringify(value));
    }
  });
});
