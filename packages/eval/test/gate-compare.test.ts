import { describe, expect, it } from "vitest";

import { baselineOf, compare } from "../src/gate/index.js";
import { type CaseSpec, makeReport, seeded } from "./support/report.js";

const ids = (n: number) => Array.from({ length: n }, (_, i) => `case-${String(i).padStart(3, "0")}`);

describe("compare: paired by case", () => {
  it("passes a change within noise (±0.1 per-case jitter, mean drop about 2 %)", () => {
    const random = seeded(7);
    const base = ids(120).map((id) => ({ id, scores: { similarity: 0.6 + 0.3 * random() } }));
    const next = base.map((c) => ({ id: c.id, scores: { similarity: clamp(c.scores.similarity + (random() - 0.5) * 0.2 - 0.02) } }));
    const baseline = baselineOf(makeReport(base, { name: "support", version: "v1" }));
    const result = compare(makeReport(next), baseline, {});
    const d = result.dimensions[0];
    expect(d?.evaluator).toBe("similarity");
    expect(d?.relativeDrop).toBeGreaterThan(0.01);
    expect(d?.relativeDrop).toBeLessThan(0.035);
    expect(d?.verdict).toBe("pass");
    expect(result.verdict).toBe("pass");
  });

  it("passes a drop larger than maxDrop that the interval cannot tell from noise", () => {
    const before = [0.9, 0.2, 0.8, 0.4, 0.9, 0.5, 0.7, 0.6, 0.95, 0.65];
    const diffs = [-0.5, 0.4, -0.3, 0.2, -0.4, 0.3, -0.2, 0.1, -0.3, 0.2];
    const base = before.map((s, i) => ({ id: `c${i}`, scores: { judge: s } }));
    const next = before.map((s, i) => ({ id: `c${i}`, scores: { judge: s + (diffs[i] ?? 0) } }));
    const result = compare(makeReport(next), baselineOf(makeReport(base)), { maxDrop: 0.05 });
    const d = result.dimensions[0];
    expect(d?.relativeDrop).toBeGreaterThan(0.05);
    expect(d?.delta?.low).toBeLessThan(0);
    expect(d?.delta?.high).toBeGreaterThan(0);
    expect(d?.verdict).toBe("pass");
    expect(d?.reason).toContain("within the noise");
  });

  it("fails a real drop (15 % of cases go from 1 to 0) and lists those cases worst first", () => {
    const base = ids(100).map((id) => ({ id, scores: { facts: 1, exact: 1 } }));
    const lost = new Set(
      ids(100)
        .filter((_, i) => i % 6 === 0)
        .slice(0, 15),
    );
    expect(lost.size).toBe(15);
    const next: CaseSpec[] = base.map((c) => ({
      id: c.id,
      scores: { facts: lost.has(c.id) ? 0 : 1, exact: 1 },
      explanations: lost.has(c.id) ? { facts: "missing: 30-day refund window" } : undefined,
    }));
    const result = compare(makeReport(next), baselineOf(makeReport(base)), {});
    expect(result.verdict).toBe("fail");
    const facts = result.dimensions.find((d) => d.evaluator === "facts");
    expect(facts?.verdict).toBe("fail");
    expect(facts?.relativeDrop).toBeCloseTo(0.15, 10);
    expect(facts?.delta?.mean).toBeCloseTo(-0.15, 10);
    expect(facts?.delta?.high).toBeLessThan(0);
    expect(facts?.reason).toMatch(/dropped 15\.0 %.*beyond the noise/);
    expect(result.dimensions.find((d) => d.evaluator === "exact")?.verdict).toBe("pass");
    expect(result.worstCases).toHaveLength(10);
    for (const worst of result.worstCases) {
      expect(lost.has(worst.id)).toBe(true);
      expect(worst).toMatchObject({ evaluator: "facts", baseline: 1, current: 0, explanation: "missing: 30-day refund window" });
    }
  });

  it("fails a mean below its absolute minimum whatever the noise, with or without a baseline", () => {
    const specs = ids(40).map((id, i) => ({ id, scores: { tools: i % 4 === 0 ? 0 : 1 } })); // mean 0.75
    const report = makeReport(specs);
    const same = compare(report, baselineOf(report), { minimum: { tools: 0.8 } });
    expect(same.verdict).toBe("fail");
    expect(same.dimensions[0]?.reason).toContain("below the minimum 0.800");
    expect(same.dimensions[0]?.relativeDrop).toBe(0);

    const alone = compare(report, undefined, { minimum: { tools: 0.8 } });
    expect(alone.verdict).toBe("fail");
    expect(alone.unpaired).toBeUndefined();
    expect(alone.worstCases.map((w) => w.current)).toEqual(Array(10).fill(0));
    expect(compare(report, undefined, { minimum: { tools: 0.7 } }).verdict).toBe("pass");
  });

  it("ignores cases missing from either side, and reports them", () => {
    const base = ids(30).map((id) => ({ id, scores: { exact: 1 } }));
    // The new run lost 5 baseline cases and has 5 new ones that all score 0: they are not paired.
    const next = [...base.slice(5), ...["new-1", "new-2", "new-3", "new-4", "new-5"].map((id) => ({ id, scores: { exact: 0 } }))];
    const result = compare(makeReport(next), baselineOf(makeReport(base)), {});
    const d = result.dimensions[0];
    expect(d?.delta?.n).toBe(25);
    expect(d?.delta?.mean).toBe(0);
    expect(d?.baseline).toBe(1);
    expect(d?.verdict).toBe("pass");
    expect(result.unpaired).toEqual({ notInBaseline: ["new-1", "new-2", "new-3", "new-4", "new-5"], notInReport: ids(5) });
    expect(result.worstCases).toEqual([]);
  });

  it("fails an evaluator the baseline has and the run lacks (it stopped judging)", () => {
    const base = ids(10).map((id) => ({ id, scores: { exact: 1, judge: 0.5 } }));
    const next = ids(10).map((id) => ({ id, scores: { exact: 1 } }));
    const result = compare(makeReport(next), baselineOf(makeReport(base)), {});
    expect(result.verdict).toBe("fail");
    expect(result.dimensions.find((d) => d.evaluator === "judge")).toMatchObject({
      verdict: "fail",
      baseline: 0.5,
      reason: expect.stringContaining("this run has none"),
    });
  });

  it("a uniform shift of every case is certain: a 10 % drop on each case fails", () => {
    const base = ids(20).map((id) => ({ id, scores: { rouge: 0.8 } }));
    const next = ids(20).map((id) => ({ id, scores: { rouge: 0.72 } }));
    const d = compare(makeReport(next), baselineOf(makeReport(base)), {}).dimensions[0];
    expect(d?.delta).toMatchObject({ low: d?.delta?.mean, high: d?.delta?.mean });
    expect(d?.verdict).toBe("fail");
  });
});

function clamp(x: number): number {
  return Math.max(0, Math.min(1, x));
}
