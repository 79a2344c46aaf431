import { createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { HumanMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { z } from "zod";

import { handlerMaker } from "./support/handlers.js";
import { endMs, parentId, spanId, startMs, traceId } from "./support/otel.js";

const TOOL_MS = 60;
const FIRST_TOKEN_MS = 40;
const PER_TOKEN_MS = 2;

/** A handler as slow as a network-bound tracer: each callback waits 5 ms on LangChain's shared queue. */
class SlowHandler extends BaseCallbackHandler {
  name = "slow";
  constructor() {
    super({ _awaitHandler: false });
  }
  override async handleChainStart() {
    await new Promise((r) => setTimeout(r, 5));
  }
  override async handleChainEnd() {
    await new Promise((r) => setTimeout(r, 5));
  }
  override async handleToolEnd() {
    await new Promise((r) => setTimeout(r, 5));
  }
}

const now = () => performance.timeOrigin + performance.now();
/** When each request's tool body really ran, measured inside the body, by user. */
type Truth = Map<string, { start: number; end: number }>;

/** The support graph's lookup_order tool, recording its own true start and end. */
function timedLookupOrder(truth: Truth) {
  return tool(
    async ({ orderId }: { orderId: string }) => {
      const start = now();
      await new Promise((r) => setTimeout(r, TOOL_MS));
      truth.set(`user-${Number(orderId.slice(3)) - 1000}`, { start, end: now() });
      return JSON.stringify({ orderId, status: "shipped" });
    },
    { name: "lookup_order", description: "Look up an order", schema: z.object({ orderId: z.string() }) },
  );
}

const make = handlerMaker();

async function runConcurrently(n: number, awaitCallbacks: boolean, extra: BaseCallbackHandler[] = []) {
  const { handler, tracing } = make({ awaitCallbacks });
  const truth: Truth = new Map();
  const graph = createSupportGraph({
    model: new ScriptedChatModel({ firstTokenDelayMs: FIRST_TOKEN_MS, perTokenDelayMs: PER_TOKEN_MS }),
    tools: [timedLookupOrder(truth)],
  });
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      graph.invoke(
        { messages: [new HumanMessage(`Where is my order AB-${1000 + i}?`)] },
        { callbacks: [handler, ...extra], metadata: { user_id: `user-${i}` } },
      ),
    ),
  );
  // Background mode: let LangChain's queue drain.
  const { awaitAllCallbacks } = await import("@langchain/core/callbacks/promises");
  await awaitAllCallbacks();
  return { spans: tracing.exporter.getFinishedSpans(), handler, truth };
}

function checkTraces(spans: readonly ReadableSpan[], n: number) {
  const roots = spans.filter((s) => s.name === "invoke_agent acme-support");
  expect(roots).toHaveLength(n);
  const byId = new Map(spans.map((s) => [spanId(s), s]));
  for (const root of roots) {
    const user = root.attributes["user.id"];
    const inTrace = spans.filter((s) => traceId(s) === traceId(root));
    // Every request's trace holds exactly its own 9 spans...
    expect(inTrace).toHaveLength(9);
    // ...and its tool call is the one for its own order.
    const toolSpan = inTrace.find((s) => s.name === "execute_tool lookup_order");
    expect(toolSpan).toBeDefined();
    for (const s of inTrace) {
      if (s === root) continue;
      let p = byId.get(parentId(s) as string);
      while (p !== undefined && p !== root) p = byId.get(parentId(p) as string);
      expect(p, `${s.name} of ${String(user)} not under its own root`).toBe(root);
    }
  }
}

/**
 * Tool spans start before and end after their body by a few ms: the 95th percentile of both gaps
 * under 10 ms and none over 50 ms. (Measured on an idle 2-core machine: every gap under 0.3 ms.
 * The bounds absorb a busy CI machine descheduling the process; the failure they catch, callbacks
 * read late off LangChain's queue, is tens to hundreds of ms: see the SlowHandler case.)
 */
function expectTrueTiming(spans: readonly ReadableSpan[], truth: Truth, n: number) {
  const roots = new Map(spans.filter((s) => s.name.startsWith("invoke_agent")).map((r) => [traceId(r), String(r.attributes["user.id"])]));
  const tools = spans.filter((s) => s.name === "execute_tool lookup_order");
  expect(tools).toHaveLength(n);
  const gaps: number[] = [];
  for (const t of tools) {
    const real = truth.get(roots.get(traceId(t)) ?? "");
    expect(real).toBeDefined();
    const early = (real?.start ?? 0) - startMs(t);
    const late = endMs(t) - (real?.end ?? 0);
    expect(early).toBeGreaterThanOrEqual(0);
    expect(late).toBeGreaterThanOrEqual(0);
    gaps.push(early, late);
  }
  gaps.sort((a, b) => a - b);
  return gaps;
}

/** With 50 requests, 95 % of the 100 start and end gaps are under 10 ms, and none reaches 50 ms. */
function expectTightGaps(gaps: number[]) {
  expect(gaps[Math.floor(gaps.length * 0.95)]).toBeLessThan(10);
  expect(gaps.at(-1)).toBeLessThan(50);
}

describe("50 concurrent requests", () => {
  for (const awaitCallbacks of [true, false]) {
    const mode = awaitCallbacks ? "awaited" : "background";
    it(`puts every span in its own request's trace (${mode} callbacks)`, async () => {
      const { spans, handler } = await runConcurrently(50, awaitCallbacks);
      checkTraces(spans, 50);
      expect(handler.openRuns).toBe(0);
    });

    it(`times every tool span within a few ms of when its body really ran (${mode} callbacks)`, async () => {
      const { spans, truth } = await runConcurrently(50, awaitCallbacks);
      expectTightGaps(expectTrueTiming(spans, truth, 50));
    });
  }

  it("keeps durations true in awaited mode even when another handler clogs LangChain's background queue", async () => {
    const { spans, truth } = await runConcurrently(8, true, [new SlowHandler()]);
    checkTraces(spans, 8);
    // 16 gaps: the median, not the 95th percentile (= the maximum here), so one moment a busy
    // machine takes the process off the CPU does not decide. Queued behind the clog (background
    // callbacks), the median gap was 630 ms.
    const gaps = expectTrueTiming(spans, truth, 8);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(10);
  });
});
