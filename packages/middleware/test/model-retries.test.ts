import { ProviderError, ScriptedChatModel } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import type { Runnable } from "@langchain/core/runnables";
import { MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { SpanStatusCode } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { createAgent, modelFallbackMiddleware, modelRetryMiddleware } from "langchain";
import { describe, expect, it } from "vitest";

import { ATTR, METRIC } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition } from "./support/openmetrics.js";
import { parentId, spanId } from "./support/otel.js";

const make = handlerMaker();

/** A scripted model whose first `failures` calls fail with provider errors of `status`. */
function flaky(failures: number, status: 429 | 500, model = "acme-scripted-1") {
  let calls = 0;
  return new ScriptedChatModel({
    model,
    onCall: () => {
      if (calls++ < failures) throw new ProviderError(status);
    },
  });
}

/** A one-node graph ("answer") whose node invokes `step` with the messages. */
function graphOf(step: (input: { messages: unknown[] }, config: unknown) => Promise<unknown>) {
  return new StateGraph(MessagesAnnotation)
    .addNode("answer", async (state, config) => ({ messages: [(await step({ messages: state.messages }, config)) as never] }))
    .addEdge(START, "answer")
    .compile({ name: "retrying-agent" });
}

/** Runs `graph` once under a fresh handler: its spans, exposition and whether it threw. */
async function run(graph: ReturnType<typeof graphOf>) {
  const { handler, tracing } = make();
  let failed = false;
  try {
    await graph.invoke({ messages: [new HumanMessage("Where is my order AB-1234?")] }, { callbacks: [handler] });
  } catch {
    failed = true;
  }
  const spans = tracing.exporter.getFinishedSpans();
  const expo = parseExposition(await handler.registry.metrics());
  return { spans, expo, failed, handler };
}

const chats = (spans: readonly ReadableSpan[]) =>
  spans
    .filter((s) => s.attributes[ATTR.operationName] === "chat")
    .sort((a, b) => a.startTime[1] - b.startTime[1] + (a.startTime[0] - b.startTime[0]) * 1e9);
const total = (expo: ReturnType<typeof parseExposition>, name: string, match: Record<string, string> = {}) =>
  find(expo, name, match).reduce((sum, s) => sum + s.value, 0);
const runs = (expo: ReturnType<typeof parseExposition>, errorType: string) =>
  total(expo, `${METRIC.invokeAgentDuration}_count`, { error_type: errorType });
const failedRuns = (expo: ReturnType<typeof parseExposition>) =>
  find(expo, `${METRIC.invokeAgentDuration}_count`)
    .filter((s) => s.labels.error_type !== "")
    .reduce((sum, s) => sum + s.value, 0);

/** `p-retry` (inside `withRetry`) waits 1–2 s before the first retry and 2–4 s before the second. */
const RETRY_TIMEOUT_MS = 20_000;

describe("model retries and fallbacks", () => {
  it(
    "withRetry: two 429s then a success are two ERROR model spans under the node, the run succeeds, two retries are counted",
    async () => {
      const model = flaky(2, 429);
      const retrying = model.withRetry({ stopAfterAttempt: 3 });
      const { spans, expo, failed } = await run(graphOf((input, config) => retrying.invoke(input.messages as never, config as never)));
      expect(failed).toBe(false);
      const calls = chats(spans);
      expect(calls.map((s) => [s.status.code, s.attributes[ATTR.errorType]])).toEqual([
        [SpanStatusCode.ERROR, "429"],
        [SpanStatusCode.ERROR, "429"],
        [SpanStatusCode.UNSET, undefined],
      ]);
      // Every attempt is a child of the node span (RunnableRetry itself is plumbing, collapsed).
      const node = spans.find((s) => s.name === "answer") as ReadableSpan;
      expect(calls.map((s) => parentId(s))).toEqual([spanId(node), spanId(node), spanId(node)]);
      expect(node.status.code).not.toBe(SpanStatusCode.ERROR);
      expect(calls.map((s) => s.attributes[ATTR.retryErrorType])).toEqual([undefined, "429", "429"]);
      const provider = calls[0]?.attributes[ATTR.providerName] as string;
      expect(find(expo, METRIC.modelRetries)).toEqual([
        expect.objectContaining({
          labels: { agent: "retrying-agent", provider, model: "acme-scripted-1", error_type: "429" },
          value: 2,
        }),
      ]);
      expect(find(expo, METRIC.modelFallbacks)).toEqual([]);
      // The run succeeded: availability counts it as good; the failed calls stay in the model-call metrics.
      expect([runs(expo, ""), failedRuns(expo)]).toEqual([1, 0]);
      expect(total(expo, `${METRIC.operationDuration}_count`, { error_type: "429" })).toBe(2);
      expect(total(expo, `${METRIC.operationDuration}_count`, { error_type: "" })).toBe(1);
    },
    RETRY_TIMEOUT_MS,
  );

  it("withFallbacks: a 500 on the primary model and an answer from the fallback count one fallback, the run succeeds", async () => {
    const chain = flaky(1, 500).withFallbacks([flaky(0, 500, "acme-backup-1")]);
    const { spans, expo, failed } = await run(graphOf((input, config) => chain.invoke(input.messages as never, config as never)));
    expect(failed).toBe(false);
    const calls = chats(spans);
    expect(calls.map((s) => [s.attributes[ATTR.requestModel], s.status.code, s.attributes[ATTR.fallbackFromModel]])).toEqual([
      ["acme-scripted-1", SpanStatusCode.ERROR, undefined],
      ["acme-backup-1", SpanStatusCode.UNSET, "acme-scripted-1"],
    ]);
    expect(find(expo, METRIC.modelFallbacks)).toEqual([
      expect.objectContaining({
        labels: { agent: "retrying-agent", from_model: "acme-scripted-1", to_model: "acme-backup-1", error_type: "500" },
        value: 1,
      }),
    ]);
    expect(find(expo, METRIC.modelRetries)).toEqual([]);
    expect([runs(expo, ""), failedRuns(expo)]).toEqual([1, 0]);
  });

  it(
    "withRetry inside withFallbacks: the retry that gave up hands its failure to the fallback",
    async () => {
      const chain = flaky(9, 429)
        .withRetry({ stopAfterAttempt: 2 })
        .withFallbacks([flaky(0, 429, "acme-backup-1")]);
      const { spans, expo, failed } = await run(graphOf((input, config) => (chain as Runnable).invoke(input.messages, config as never)));
      expect(failed).toBe(false);
      expect(chats(spans).map((s) => s.attributes[ATTR.requestModel])).toEqual(["acme-scripted-1", "acme-scripted-1", "acme-backup-1"]);
      expect(total(expo, METRIC.modelRetries, { model: "acme-scripted-1", error_type: "429" })).toBe(1);
      expect(total(expo, METRIC.modelFallbacks, { from_model: "acme-scripted-1", to_model: "acme-backup-1", error_type: "429" })).toBe(1);
    },
    RETRY_TIMEOUT_MS,
  );

  it(
    "a retry that never succeeds: the retried attempt counts, the last failure fails the run (availability counts it)",
    async () => {
      const retrying = flaky(9, 429).withRetry({ stopAfterAttempt: 2 });
      const { expo, failed } = await run(graphOf((input, config) => retrying.invoke(input.messages as never, config as never)));
      expect(failed).toBe(true);
      expect(total(expo, METRIC.modelRetries)).toBe(1);
      expect([runs(expo, ""), runs(expo, "429")]).toEqual([0, 1]);
    },
    RETRY_TIMEOUT_MS,
  );

  it("a node that catches a model error and calls again (as createAgent's modelRetryMiddleware does): a retry for the same model, a fallback for another", async () => {
    const primary = flaky(2, 429);
    const backup = flaky(0, 429, "acme-backup-1");
    const { spans, expo, failed } = await run(
      graphOf(async (input, config) => {
        for (const model of [primary, primary, backup]) {
          try {
            return await model.invoke(input.messages as never, config as never);
          } catch {
            // the next model call replaces it
          }
        }
        throw new Error("unreachable");
      }),
    );
    expect(failed).toBe(false);
    expect(chats(spans).map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR, SpanStatusCode.UNSET]);
    expect(total(expo, METRIC.modelRetries, { error_type: "429" })).toBe(1);
    expect(total(expo, METRIC.modelFallbacks, { from_model: "acme-scripted-1", to_model: "acme-backup-1" })).toBe(1);
  });

  it("createAgent's modelRetryMiddleware and modelFallbackMiddleware: a retry of the same model, then a fallback to another", async () => {
    const { handler, tracing } = make();
    const agent = createAgent({
      model: flaky(2, 429),
      tools: [],
      name: "middleware-agent",
      middleware: [
        modelFallbackMiddleware(flaky(0, 429, "acme-backup-1")),
        modelRetryMiddleware({ maxRetries: 1, initialDelayMs: 0, jitter: false, retryOn: () => true, onFailure: "error" }),
      ],
    });
    await agent.invoke({ messages: [new HumanMessage("Where is my order AB-1234?")] }, { callbacks: [handler] });
    const expo = parseExposition(await handler.registry.metrics());
    expect(chats(tracing.exporter.getFinishedSpans()).map((s) => [s.attributes[ATTR.requestModel], s.status.code])).toEqual([
      ["acme-scripted-1", SpanStatusCode.ERROR],
      ["acme-scripted-1", SpanStatusCode.ERROR],
      ["acme-backup-1", SpanStatusCode.UNSET],
    ]);
    expect(total(expo, METRIC.modelRetries, { agent: "middleware-agent", model: "acme-scripted-1", error_type: "429" })).toBe(1);
    expect(
      total(expo, METRIC.modelFallbacks, {
        agent: "middleware-agent",
        from_model: "acme-scripted-1",
        to_model: "acme-backup-1",
        error_type: "429",
      }),
    ).toBe(1);
    expect(failedRuns(expo)).toBe(0);
  });

  it("two model calls that both succeed are neither retries nor fallbacks", async () => {
    const model = flaky(0, 429);
    const { expo } = await run(
      graphOf(async (input, config) => {
        await model.invoke(input.messages as never, config as never);
        return model.invoke(input.messages as never, config as never);
      }),
    );
    expect(find(expo, METRIC.modelRetries)).toEqual([]);
    expect(find(expo, METRIC.modelFallbacks)).toEqual([]);
  });
});
