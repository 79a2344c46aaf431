import { describe, expect, it } from "vitest";

import { ksPValue, ksStatistic, ksTest } from "../../src/drift/ks.js";
import { mmdTest } from "../../src/drift/mmd.js";
import { seededRandom } from "../../src/drift/prng.js";
import { proportionTest } from "../../src/drift/proportions.js";
import { isRefusal } from "../../src/drift/refusal.js";
import { SlidingWindow } from "../../src/drift/window.js";

/** Box–Muller normal samples from a seeded PRNG. */
function normals(n: number, seed: number, mean = 0, sd = 1): number[] {
  const r = seededRandom(seed);
  return Array.from({ length: n }, () => mean + sd * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
}

function vectors(n: number, dims: number, seed: number, shift = 0): number[][] {
  const flat = normals(n * dims, seed);
  return Array.from({ length: n }, (_, i) => flat.slice(i * dims, (i + 1) * dims).map((v, d) => (d === 0 ? v + shift : v)));
}

const LEVEL = 0.01;

describe("two-sample Kolmogorov–Smirnov", () => {
  it("computes D as the largest distance between the empirical CDFs, ties included", () => {
    expect(ksStatistic([1, 2, 3, 4], [1, 2, 3, 4])).toBe(0);
    expect(ksStatistic([1, 2, 3], [4, 5, 6])).toBe(1);
    // ECDFs: at 2, a = 2/4, b = 0/2 → 0.5; at 3, a = 3/4, b = 1/2 → 0.25.
    expect(ksStatistic([1, 2, 2, 3], [3, 5])).toBeCloseTo(0.75, 12);
  });

  it("matches the asymptotic p-values of the Kolmogorov distribution", () => {
    // Q(1.36) ≈ 0.0495 and Q(1.63) ≈ 0.0098: the classic 5 % and 1 % critical values, with λ = √ne·D
    // for large samples (the correction terms vanish as ne grows).
    const ne = 1e8;
    expect(ksPValue(1.36 / Math.sqrt(ne), 2 * ne, 2 * ne)).toBeCloseTo(0.0495, 3);
    expect(ksPValue(1.63 / Math.sqrt(ne), 2 * ne, 2 * ne)).toBeCloseTo(0.0098, 3);
    // scipy 1.17 stats.ks_2samp(x, y, method="asymp") with n = m = 100 and D = 0.2: p = 0.031439.
    expect(ksPValue(0.2, 100, 100)).toBeCloseTo(0.03144, 3);
    expect(ksPValue(0, 100, 100)).toBe(1);
  });

  it("finds no drift between samples of one distribution, over several seeds", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = ksTest(normals(300, seed * 7919, 100, 20), normals(300, seed * 7919 + 1_234_567, 100, 20));
      expect(r.pValue, `seed ${seed}`).toBeGreaterThan(LEVEL);
    }
  });

  it("finds drift when the distribution shifts", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = ksTest(normals(300, seed, 130, 20), normals(300, seed + 100, 100, 20));
      expect(r.pValue, `seed ${seed}`).toBeLessThan(LEVEL);
      expect(r.d).toBeGreaterThan(0.3);
    }
  });
});

describe("MMD² with an RBF kernel", () => {
  const options = { permutations: 200, seed: 7 };

  it("finds no drift between vector samples of one distribution, over several seeds", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = mmdTest(vectors(60, 16, seed), vectors(60, 16, seed + 50), options);
      expect(r.pValue, `seed ${seed}`).toBeGreaterThan(LEVEL);
      expect(r.mmd2).toBeLessThan(0.02);
    }
  });

  it("finds drift when the vectors' distribution shifts", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = mmdTest(vectors(60, 16, seed, 1.5), vectors(60, 16, seed + 50), options);
      expect(r.pValue, `seed ${seed}`).toBeLessThan(LEVEL);
      expect(r.mmd2).toBeGreaterThan(0.02);
    }
  });

  it("gives the same p-value for the same data and seed, and the smallest p-value 1/(1+permutations)", () => {
    const a = vectors(40, 8, 1, 3);
    const b = vectors(40, 8, 2);
    expect(mmdTest(a, b, options)).toEqual(mmdTest(a, b, options));
    expect(mmdTest(a, b, options).pValue).toBeCloseTo(1 / 201, 12);
  });
});

describe("two-proportion z-test", () => {
  const flags = (n: number, ones: number) => Array.from({ length: n }, (_, i) => (i < ones ? 1 : 0));

  it("matches a textbook value", () => {
    // 60/200 vs 40/200: pooled 0.25, z = 0.1 / √(0.25·0.75·0.01) = 2.3094, two-sided p = 0.02092.
    const r = proportionTest(flags(200, 60), flags(200, 40));
    expect(r.difference).toBeCloseTo(0.1, 12);
    expect(r.pValue).toBeCloseTo(0.02092, 4);
  });

  it("sees no change in equal shares, and none when both are zero", () => {
    expect(proportionTest(flags(100, 5), flags(100, 5)).pValue).toBeCloseTo(1, 6);
    expect(proportionTest(flags(100, 0), flags(100, 0))).toEqual({ difference: 0, pValue: 1 });
  });
});

describe("sliding window", () => {
  it("keeps at most its capacity, newest last, and drops old observations", () => {
    const w = new SlidingWindow<number>(3, 1000);
    for (let i = 0; i < 10; i++) w.push(i, i * 100);
    expect(w.snapshot(1000)).toEqual([7, 8, 9]);
    expect(w.size).toBe(3);
    expect(w.snapshot(1850)).toEqual([9]);
  });
});

describe("refusal heuristic", () => {
  it("tells refusals from answers", () => {
    expect(isRefusal("I'm sorry, but I can't help with that request.")).toBe(true);
    expect(isRefusal("I cannot provide information about other customers.")).toBe(true);
    expect(isRefusal("Sorry, I am unable to answer that.")).toBe(true);
    expect(isRefusal("Refunds take 5 business days. I can't guarantee faster processing, though.")).toBe(false);
    expect(isRefusal("Your order ships tomorrow.")).toBe(false);
  });
});
