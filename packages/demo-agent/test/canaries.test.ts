/**
 * The demo's canaries (eval/canaries.jsonl) against the demo's own graph: they pass on the shipped
 * agent, every one fails under silent-model-update (answers cut to ten words lose the facts past
 * the tenth), /metrics serves agentwatch_canary_*, and a canary over HTTP is marked synthetic by
 * the x-agentwatch-synthetic header (span attribute, feedback refused).
 */
import { CanaryProber } from "@agentwatch/eval";
import { createOpenMetricsRegistry } from "@agentwatch/middleware";
import type { Express } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { loadDemoCanaries } from "../src/demo-canaries.js";
import { type DemoServer, globalTracing, startDemo } from "./support/demo-server.js";

const { exporter } = globalTracing();
let demo: DemoServer;
let prober: CanaryProber;

beforeAll(async () => {
  const cases = await loadDemoCanaries();
  // Rounds only when the test asks (runOnce): the schedule is the prober's own test.
  let app: Express | undefined;
  demo = await startDemo({ canaries: { cases, intervalMs: 3_600_000, firstDelayMs: 3_600_000 }, mount: (a) => (app = a) });
  const started = app?.locals.canaries as CanaryProber | undefined;
  if (started === undefined) throw new Error("createApp started no canaries (app.locals.canaries)");
  prober = started;
});
afterAll(async () => {
  await prober.stop();
  await demo.close();
});

describe("demo canaries", () => {
  it("pass on the shipped agent and all fail under silent-model-update, twice in a row", async () => {
    const normal = await prober.runOnce();
    expect(normal.map((r) => [r.canary, r.outcome, r.scores.find((s) => !s.pass)?.explanation])).toEqual(
      normal.map((r) => [r.canary, "pass", undefined]),
    );
    expect(normal.length).toBeGreaterThanOrEqual(3);
    demo.incidents.start("silent-model-update");
    try {
      await prober.runOnce();
      const second = await prober.runOnce();
      for (const r of second) expect(r.outcome, `${r.canary}: ${r.answer}`).toBe("fail");
    } finally {
      demo.incidents.stop("silent-model-update");
    }
    const text = await (await fetch(`${demo.base}/metrics`, { headers: { accept: "text/plain" } })).text();
    expect(text).toMatch(/^agentwatch_canary_consecutive_failures\{agent="acme-support",canary="canary-refund-policy"\} 2$/m);
    expect(text).toMatch(/^agentwatch_canary_checks_total\{agent="acme-support",canary="canary-order-status",outcome="pass"\} 1$/m);
    expect(text).toMatch(/^agentwatch_canary_last_success_timestamp_seconds\{agent="acme-support",canary="canary-password-reset"\} \d/m);
  });

  it("over HTTP: the header marks the run synthetic; feedback on it is refused", async () => {
    exporter.reset();
    const cases = await loadDemoCanaries();
    const http = new CanaryProber({
      cases: cases.slice(0, 1),
      agent: "acme-support",
      registry: createOpenMetricsRegistry(),
      target: { kind: "http", url: `${demo.base}/chat` },
    });
    const [result] = await http.runOnce();
    expect(result?.outcome, result?.error ?? result?.answer).toBe("pass");
    const root = exporter.getFinishedSpans().find((s) => s.name === "invoke_agent acme-support");
    expect(root?.attributes["agentwatch.synthetic"]).toBe(true);
    const feedback = await demo.post("/feedback", { trace_id: root?.spanContext().traceId, rating: "down" });
    expect(feedback.status).toBe(404);
    const user = await demo.chat("Where is my order AB-1234?");
    const userFeedback = await demo.post("/feedback", { trace_id: user.body.trace_id, rating: "down" });
    expect(userFeedback.status).toBe(202);
  });
});
