import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { demoAbandonAfterMs } from "../src/demo-handler.js";
import { sumSamples } from "../src/metrics-text.js";
import { type DemoServer, startDemo } from "./support/demo-server.js";

let demo: DemoServer;
beforeAll(async () => {
  demo = await startDemo();
});
afterAll(async () => {
  await demo.close();
});

describe("demo server: POST /outcome", () => {
  it("counts an answer's conversation once (202), escalates a ticket by itself, 404 for an unknown trace", async () => {
    const { body } = await demo.chat("Where is my order AB-1234?");
    await demo.handler.outcomesIdle();
    const first = await demo.post("/outcome", { trace_id: body.trace_id, outcome: "resolved" });
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ status: "counted" });
    const again = await demo.post("/outcome", { traceId: body.trace_id, outcome: "converted" });
    expect(await again.json()).toEqual({ status: "already-decided" });
    await demo.chat("Please open a ticket, I want a human");
    await demo.handler.outcomesIdle();
    const metrics = await demo.metrics();
    expect(sumSamples(metrics, "agentwatch_conversation_outcomes_total", { agent: "acme-support", outcome: "resolved" })).toBe(1);
    expect(sumSamples(metrics, "agentwatch_conversation_outcomes_total", { outcome: "converted" })).toBe(0);
    expect(sumSamples(metrics, "agentwatch_conversation_outcomes_total", { outcome: "escalated" })).toBe(1);
    const unknown = await demo.post("/outcome", { thread_id: "nobody", outcome: "resolved" });
    expect(unknown.status).toBe(404);
  });

  it.each([
    [[1, 2], "body"],
    [{ outcome: "resolved" }, "thread_id"],
    [{ thread_id: "t", trace_id: "a".repeat(32), outcome: "resolved" }, "thread_id"],
    [{ thread_id: "t" }, "outcome"],
    [{ thread_id: "t", outcome: "happy" }, "outcome"],
    [{ trace_id: "nothex", outcome: "resolved" }, "trace_id"],
    [{ thread_id: 7, outcome: "resolved" }, "thread_id"],
  ])("rejects %j with 400 naming the field %s", async (body, field) => {
    const res = await demo.post("/outcome", body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field });
  });
});

describe("the demo's abandonment time", () => {
  it("comes from DEMO_ABANDON_AFTER_MS, and a bad value names the variable", () => {
    expect(demoAbandonAfterMs({})).toBe(60_000);
    expect(demoAbandonAfterMs({ DEMO_ABANDON_AFTER_MS: "5000" })).toBe(5000);
    expect(() => demoAbandonAfterMs({ DEMO_ABANDON_AFTER_MS: "soon" })).toThrow(/DEMO_ABANDON_AFTER_MS must be a positive integer/);
  });
});
