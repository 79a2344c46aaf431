import { bootstrapInterval, seededRandom } from "@agentwatch/eval";
import { describe, expect, it } from "vitest";

const bernoulli = (p: number, n: number, seed: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => (random() < p ? 1 : 0));
};

describe("bootstrapInterval", () => {
  it("on Bernoulli(0.7), n = 400: the 95 % interval holds 0.7 and is as wide as the normal theory says", () => {
    const values = bernoulli(0.7, 400, 42);
    const interval = bootstrapInterval(values, { resamples: 2000, confidence: 0.95, seed: 7 });
    const expectedWidth = 2 * 1.96 * Math.sqrt((0.7 * 0.3) / 400); // 0.0898
    expect(interval.n).toBe(400);
    expect(interval.low).toBeLessThan(0.7);
    expect(interval.high).toBeGreaterThan(0.7);
    expect(interval.low).toBeLessThan(interval.mean);
    expect(interval.high).toBeGreaterThan(interval.mean);
    expect(Math.abs(interval.high - interval.low - expectedWidth) / expectedWidth).toBeLessThan(0.12);
  });

  it("covers the true mean about 95 % of the time over many datasets", () => {
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const interval = bootstrapInterval(bernoulli(0.7, 100, 1000 + t), { resamples: 500, seed: t });
      if (interval.low <= 0.7 && 0.7 <= interval.high) covered++;
    }
    // 95 % nominal; the percentile bootstrap runs a little narrow at n = 100. Binomial sd at 200 trials is 1.5 %.
    expect(covered / trials).toBeGreaterThan(0.89);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it("is the same for the same seed and differs for another", () => {
    const random = seededRandom(3);
    const values = Array.from({ length: 50 }, () => random());
    expect(bootstrapInterval(values, { seed: 1 })).toEqual(bootstrapInterval(values, { seed: 1 }));
    expect(bootstrapInterval(values, { seed: 2 })).not.toEqual(bootstrapInterval(values, { seed: 1 }));
  });

  it("a 99 % interval is wider than a 90 % one", () => {
    const values = bernoulli(0.7, 200, 5);
    const wide = bootstrapInterval(values, { confidence: 0.99 });
    const narrow = bootstrapInterval(values, { confidence: 0.9 });
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
  });

  it("one value has a zero-width interval; none has NaN with n = 0; bad options throw", () => {
    expect(bootstrapInterval([0.4])).toEqual({ mean: 0.4, low: 0.4, high: 0.4, n: 1 });
    expect(bootstrapInterval([]).n).toBe(0);
    expect(Number.isNaN(bootstrapInterval([]).mean)).toBe(true);
    expect(() => bootstrapInterval([1, 0], { confidence: 1 })).toThrow(RangeError);
    expect(() => bootstrapInterval([1, 0], { resamples: 0 })).toThrow(RangeError);
  });
});
