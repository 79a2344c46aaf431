import { describe, expect, it } from "vitest";

import { componentOf, difference, profileReport, profileVariants } from "../src/overhead-profile.js";

/** The bench's `profile` section blames components by where their code lives: held here, with V8's real profiler. */

describe("componentOf", () => {
  it("names npm packages, agentwatch's folders, the bench, Node and V8", () => {
    expect(componentOf("file:///w/node_modules/@langchain/core/dist/callbacks/manager.js", "f")).toBe("@langchain/core");
    expect(componentOf("file:///w/node_modules/@opentelemetry/sdk-trace-base/build/src/Span.js", "f")).toBe("@opentelemetry/*");
    expect(componentOf("file:///w/node_modules/.pnpm/x/node_modules/p-queue/dist/index.js", "f")).toBe("p-queue");
    expect(componentOf("file:///w/packages/middleware/dist/runs/lifecycle.js", "open")).toBe("agentwatch runs/");
    expect(componentOf("file:///w/packages/middleware/dist/handler.js", "handleChainEnd")).toBe("agentwatch src");
    expect(componentOf("file:///w/packages/middleware/dist/guardrails/detectors/pii.js", "f")).toBe("agentwatch guardrails/");
    expect(componentOf("file:///w/packages/fixtures/dist/scripted-chat-model.js", "f")).toBe("@agentwatch/fixtures");
    expect(componentOf("file:///w/bench/dist/span-floor.js", "start")).toBe("bench");
    expect(componentOf("node:internal/async_hooks", "init")).toBe("node");
    expect(componentOf("", "(garbage collector)")).toBe("garbage collector");
    expect(componentOf("", "(program)")).toBe("V8 and natives");
  });
});

describe("profileVariants", () => {
  let sink = 0;
  /** `n` rounds of arithmetic in a function of its own name, so the profile can find it. */
  function spin(n: number): void {
    let x = sink;
    for (let i = 0; i < n; i++) x = (x * 1103515245 + 12345) % 2147483647;
    sink = x;
  }
  function idleBatch(): void {
    sink += 1;
  }

  it("puts a variant's extra work on its own functions, per invoke", async () => {
    const SPIN = 200_000;
    const start = performance.now();
    for (let i = 0; i < 20; i++) spin(SPIN);
    const spinUs = ((performance.now() - start) * 1000) / 20;
    const tallies = await profileVariants(
      ["idle", "busy"],
      async (name) => {
        const start = performance.now();
        for (let i = 0; i < 10; i++) (name === "busy" ? () => spin(SPIN) : idleBatch)();
        return { invokes: 10, ms: performance.now() - start };
      },
      3,
      100,
    );
    const idle = tallies.get("idle");
    const busy = tallies.get("busy");
    if (idle === undefined || busy === undefined) throw new Error("a variant has no tally");
    expect(busy.invokes).toBe(30);
    const [top, extra] = difference(busy.byFunction, idle.byFunction)[0] as [string, number];
    expect(top).toMatch(/overhead-profile\.test\.ts:\d+ spin$/);
    // The spin's own time per invoke, seen through 100 µs samples and the profiler's own slowdown.
    expect(extra).toBeGreaterThan(spinUs * 0.3);
    expect(extra).toBeLessThan(spinUs * 3);
  });

  it("reports agentwatch over the no-op handler and over the span floor, and its largest functions", () => {
    const tally = (components: Record<string, number>, functions: Record<string, number>) => ({
      invokes: 1,
      wallMs: 1,
      byComponent: new Map(Object.entries(components)),
      byFunction: new Map(Object.entries(functions)),
    });
    const lines = profileReport(
      new Map([
        ["noop", tally({ "@langchain/core": 100 }, { "@langchain/core manager.js:1 f": 100 })],
        ["floor", tally({ "@langchain/core": 100, "@opentelemetry/*": 30 }, { "@langchain/core manager.js:1 f": 100 })],
        [
          "aw",
          tally(
            { "@langchain/core": 110, "@opentelemetry/*": 30, "agentwatch runs/": 60 },
            {
              "@langchain/core manager.js:1 f": 110,
              "agentwatch runs/ lifecycle.js:43 open": 45,
              "agentwatch runs/ run-store.js:36 add": 15,
            },
          ),
        ],
      ]),
      "noop",
      "floor",
      "aw",
    );
    expect(lines).toContain("agentwatch over noop: +100 µs of CPU per invoke; by component (µs, ±5 and more):");
    expect(lines).toContain("  agentwatch runs/ +60, @opentelemetry/* +30, @langchain/core +10");
    expect(lines).toContain("  agentwatch runs/ +60, @langchain/core +10");
    expect(lines).toContain("    45.0  75.0 %  runs/ lifecycle.js:43 open");
  });
});
