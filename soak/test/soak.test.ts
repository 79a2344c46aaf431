import { describe, expect, it } from "vitest";

import { soakChecks } from "../src/checks.js";
import { runSoak, type SoakReport } from "../src/run-soak.js";

/**
 * The soak of `npm run soak`, small enough for CI: 1,500 invocations (about 23,000 LangChain runs),
 * 10 % abandoned mid-stream (most of them hang for good), 5 % failing, through one handler with
 * every feature on and a 1 s run TTL. No heap check: at this size it would judge V8's noise.
 */
describe("soak", () => {
  let report: SoakReport;

  it("runs 1,500 invocations of the demo agent with every feature on", async () => {
    report = await runSoak({ invocations: 1500, concurrency: 12, ttlMs: 1000, seconds: 100, seed: 7, minRuns: 0, heap: false });
    expect(report.stoppedAtTimeBound).toBe(false);
    expect(report.invocations).toBe(1500);
    expect(report.outcomes.unexpected, report.unexpected.join("\n")).toBe(0);
    expect(report.outcomes.failed).toBeGreaterThan(30);
    expect(report.stalled).toBeGreaterThan(50);
  }, 120_000);

  it("passes every check of the soak's verdict", () => {
    const failed = soakChecks(report).filter((c) => !c.ok);
    expect(failed).toEqual([]);
  });

  it("never holds more runs than LangChain has open, and holds none at the end", () => {
    expect(report.openRuns.samples).toBeGreaterThan(50);
    expect(report.openRuns.violations, report.openRuns.firstViolation).toBe(0);
    expect(report.openRuns.atEnd).toBe(0);
  });

  it("evicts exactly the runs the hung invocations left open", () => {
    const { counted, neverEnded, endedPastTtl } = report.evictions;
    expect(neverEnded.abandoned).toBeGreaterThanOrEqual(report.stalled);
    expect(neverEnded.normal + neverEnded.failing).toBe(0);
    expect(counted).toBeGreaterThanOrEqual(neverEnded.abandoned);
    expect(counted).toBeLessThanOrEqual(neverEnded.abandoned + endedPastTtl);
  });

  it("leaves no span open past the TTL and sweep period", () => {
    expect(report.spans.openAtEnd).toBe(0);
    expect(report.spans.ended).toBe(report.spans.started);
    expect(report.spans.evicted).toBeGreaterThan(0);
    expect(report.spans.maxOpenMs).toBeLessThanOrEqual(report.limitMs + report.stallMs);
  });

  it("counts no handler self-error and keeps every label within its cap", () => {
    expect(report.metrics.handlerErrors).toEqual({});
    expect(report.metrics.labelOverflow).toBeGreaterThan(0);
    expect(report.console.other, report.console.otherSamples.join("\n")).toBe(0);
  });
});
