import { createResearchPipeline, createSupportGraph, ScriptedChatModel } from "@agentwatch/fixtures";
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { HumanMessage } from "@langchain/core/messages";
import { SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";

import { ATTR, EVENT, METRIC } from "../src/index.js";
import { until } from "./support/export-pipeline.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition } from "./support/openmetrics.js";
import { parentId } from "./support/otel.js";

const make = handlerMaker();
const ask = () => ({ messages: [new HumanMessage("Where is my order AB-1234?")] });
/** The support graph with a model slow enough (300 ms before answering) to be cancelled mid-call. */
const slowGraph = (fields: ConstructorParameters<typeof ScriptedChatModel>[0] = {}) =>
  createSupportGraph({ model: new ScriptedChatModel({ firstTokenDelayMs: 300, ...fields }) });

/** Runs `run` against a fresh handler; returns the finished spans (once the root ended) and the exposition. */
async function traced(run: (callbacks: unknown[]) => Promise<void>) {
  const { handler, tracing } = make();
  await run([handler]);
  const root = () => tracing.exporter.getFinishedSpans().find((s) => parentId(s) === undefined);
  await until("the root span to end", () => root() !== undefined);
  // Runs still in flight when the root ended (the model call) end right after it.
  await until("every run to end", async () => find(parseExposition(await handler.registry.metrics()), METRIC.openRuns)[0]?.value === 0);
  const spans = tracing.exporter.getFinishedSpans();
  return { spans, root: root() as ReadableSpan, expo: parseExposition(await handler.registry.metrics()) };
}

/** Samples of every duration histogram that carry a non-empty error_type. */
const errorSeries = (expo: ReturnType<typeof parseExposition>) =>
  expo.samples.filter((s) => s.name.endsWith("_count") && (s.labels.error_type ?? "") !== "");
const cancellations = (expo: ReturnType<typeof parseExposition>) =>
  find(expo, METRIC.cancellations, { gen_ai_operation_name: "invoke_agent", gen_ai_agent_name: "acme-support" })[0]?.value ?? 0;
const runCount = (expo: ReturnType<typeof parseExposition>) =>
  find(expo, `${METRIC.invokeAgentDuration}_count`).reduce((sum, s) => sum + s.value, 0);

function expectCancelled(spans: readonly ReadableSpan[], root: ReadableSpan, expo: ReturnType<typeof parseExposition>): void {
  expect(root.status.code).toBe(SpanStatusCode.UNSET);
  expect(root.attributes[ATTR.cancelled]).toBe(true);
  expect(root.attributes[ATTR.errorType]).toBeUndefined();
  expect(root.events.map((e) => e.name)).toContain(EVENT.cancelled);
  expect(root.events.map((e) => e.name)).not.toContain(EVENT.exception);
  // The node and model call it cancelled are treated the same: nothing in the trace is an error.
  expect(spans.filter((s) => s.status.code === SpanStatusCode.ERROR).map((s) => s.name)).toEqual([]);
  expect(spans.filter((s) => s.attributes[ATTR.cancelled] === true).length).toBeGreaterThan(1);
  expect(cancellations(expo)).toBe(1);
  expect(errorSeries(expo)).toEqual([]);
  // Counted apart: a cancelled run is in no duration histogram, so runs + cancellations never double count.
  expect(runCount(expo)).toBe(0);
}

describe("cancelled runs", () => {
  it("a consumer that breaks out of stream() cancels the run: not ERROR, counted apart", async () => {
    const { spans, root, expo } = await traced(async (callbacks) => {
      for await (const chunk of await slowGraph().stream(ask(), { callbacks: callbacks as never })) {
        void chunk; // the first update (retrieve) arrives; the caller stops reading while the model runs
        break;
      }
    });
    expectCancelled(spans, root, expo);
  });

  it("an aborted signal cancels the run and the model call in flight", async () => {
    const controller = new AbortController();
    const { spans, root, expo } = await traced(async (callbacks) => {
      setTimeout(() => controller.abort(), 100);
      await expect(slowGraph().invoke(ask(), { callbacks: callbacks as never, signal: controller.signal })).rejects.toThrow();
    });
    expectCancelled(spans, root, expo);
    const chat = spans.find((s) => s.name.startsWith("chat "));
    expect(chat?.attributes[ATTR.cancelled]).toBe(true);
    expect(chat?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("an abort reason named AbortError is a cancellation too, with its message on the event", async () => {
    const controller = new AbortController();
    const { spans, root, expo } = await traced(async (callbacks) => {
      setTimeout(() => controller.abort(new DOMException("client went away", "AbortError")), 100);
      await expect(slowGraph().invoke(ask(), { callbacks: callbacks as never, signal: controller.signal })).rejects.toThrow();
    });
    expectCancelled(spans, root, expo);
    const chat = spans.find((s) => s.name.startsWith("chat "));
    const event = chat?.events.find((e) => e.name === EVENT.cancelled);
    expect(event?.attributes?.[ATTR.cancellationReason]).toBe("client went away");
  });

  it("a run cancelled inside a subgraph agent: the nested invoke_agent span is cancelled too, and counted only at the root", async () => {
    const controller = new AbortController();
    // Aborts 20 ms into the first model call (the research subgraph's summarize node).
    class AbortOnFirstModelCall extends BaseCallbackHandler {
      name = "abort-on-first-model-call";
      override handleChatModelStart(): void {
        setTimeout(() => controller.abort(), 20);
      }
    }
    const { spans, root, expo } = await traced(async (callbacks) => {
      const pipeline = createResearchPipeline({ maxDelayMs: 2000, seed: 3 });
      await expect(
        pipeline.invoke(
          { topic: "coral reefs" },
          { callbacks: [...callbacks, new AbortOnFirstModelCall()] as never, signal: controller.signal },
        ),
      ).rejects.toThrow();
    });
    expect(root.status.code).toBe(SpanStatusCode.UNSET);
    expect(root.attributes[ATTR.cancelled]).toBe(true);
    const nested = spans.filter((s) => s !== root && s.attributes[ATTR.operationName] === "invoke_agent");
    expect(nested.length).toBeGreaterThan(0);
    expect(nested.every((s) => s.attributes[ATTR.cancelled] === true && s.status.code === SpanStatusCode.UNSET)).toBe(true);
    expect(spans.filter((s) => s.status.code === SpanStatusCode.ERROR).map((s) => s.name)).toEqual([]);
    expect(find(expo, METRIC.cancellations).map((s) => [s.labels.gen_ai_agent_name, s.value])).toEqual([
      [root.attributes[ATTR.agentName], 1],
    ]);
    expect(errorSeries(expo)).toEqual([]);
    expect(find(expo, `${METRIC.nestedAgentDuration}_count`)).toEqual([]);
  });

  it("a model called on its own and aborted is a cancelled chat call, counted once", async () => {
    const { handler, tracing } = make({ agentName: "solo" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const model = new ScriptedChatModel({ firstTokenDelayMs: 300 });
    await expect(model.invoke("hello", { callbacks: [handler], signal: controller.signal })).rejects.toThrow();
    await until("the chat span to end", () => tracing.exporter.getFinishedSpans().length === 1);
    const [chat] = tracing.exporter.getFinishedSpans();
    expect(chat?.status.code).toBe(SpanStatusCode.UNSET);
    expect(chat?.attributes[ATTR.cancelled]).toBe(true);
    const expo = parseExposition(await handler.registry.metrics());
    expect(find(expo, METRIC.cancellations, { gen_ai_operation_name: "chat", gen_ai_agent_name: "solo" })[0]?.value).toBe(1);
    expect(find(expo, `${METRIC.operationDuration}_count`)).toEqual([]);
  });

  it("a timeout is a failure, on the root too (LangGraph ends it with its own 'Abort')", async () => {
    const { root, expo } = await traced(async (callbacks) => {
      await expect(slowGraph().invoke(ask(), { callbacks: callbacks as never, signal: AbortSignal.timeout(100) })).rejects.toThrow();
    });
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes[ATTR.errorType]).toBe("TimeoutError");
    expect(root.attributes[ATTR.cancelled]).toBeUndefined();
    expect(cancellations(expo)).toBe(0);
    expect(find(expo, `${METRIC.invokeAgentDuration}_count`, { error_type: "TimeoutError" })[0]?.value).toBe(1);
  });

  it("an abort reason of another class is the error it is, on the root too", async () => {
    class ClientGone extends Error {
      override name = "ClientGone";
    }
    const controller = new AbortController();
    const { root, expo } = await traced(async (callbacks) => {
      setTimeout(() => controller.abort(new ClientGone("client disconnected")), 100);
      await expect(slowGraph().invoke(ask(), { callbacks: callbacks as never, signal: controller.signal })).rejects.toThrow();
    });
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes[ATTR.errorType]).toBe("ClientGone");
    expect(cancellations(expo)).toBe(0);
  });

  it("a real failure still is ERROR and an availability error", async () => {
    const { root, expo } = await traced(async (callbacks) => {
      const graph = slowGraph({ firstTokenDelayMs: 5, failWith: () => Object.assign(new Error("upstream overloaded"), { status: 503 }) });
      await expect(graph.invoke(ask(), { callbacks: callbacks as never })).rejects.toThrow();
    });
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes[ATTR.cancelled]).toBeUndefined();
    expect(cancellations(expo)).toBe(0);
    expect(find(expo, `${METRIC.invokeAgentDuration}_count`, { error_type: "503" })[0]?.value).toBe(1);
  });
});
