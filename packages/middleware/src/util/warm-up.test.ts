import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

import { describe, expect, it } from "vitest";

import { keepWarm, warmUp } from "./warm-up.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

describe("warm-up", () => {
  it("runs a detector on one-byte and two-byte samples, some past 1000 characters", () => {
    const seen: string[] = [];
    warmUp((text) => seen.push(text));
    const twoByte = (t: string) => [...t].some((c) => (c.codePointAt(0) as number) > 0xff);
    expect(seen.some((t) => t.length >= 1000 && !twoByte(t))).toBe(true);
    expect(seen.some((t) => t.length >= 1000 && twoByte(t))).toBe(true);
  });

  it("re-runs a kept-warm detector after a major GC (V8 drops regex code unused across two), and a throwing one harms nothing", async () => {
    let runs = 0;
    const check = keepWarm(() => {
      runs++;
      throw new Error("ignored");
    });
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(runs).toBeGreaterThan(0);
    expect(typeof check).toBe("function");
  });
});
