import { createSupportGraph } from "@agentwatch/fixtures";
import { HumanMessage } from "@langchain/core/messages";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { describe, expect, it } from "vitest";

import { denylistGuardrail, groundednessEvaluator, guardrailRunnable, llmJudgeEvaluator } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition, value } from "./support/openmetrics.js";
import { only, parentId, spanId } from "./support/otel.js";

const make = handlerMaker();

describe("denylistGuardrail", () => {
  it("blocks whole-word matches by default and names itself", async () => {
    const { handler } = make();
    const guard = denylistGuardrail(["Project Falcon", "competitorco"], { name: "internal_terms" });
    const chain = guardrailRunnable({ stage: "output", guardrails: [guard], onBlock: { replaceWith: "[withheld]" } });
    expect(await chain.invoke("Ask about PROJECT   falcon today", { callbacks: [handler] })).toBe("[withheld]");
    expect(await chain.invoke("competitorcoffee is fine", { callbacks: [handler] })).toBe("competitorcoffee is fine");
    const m = parseExposition(await handler.registry.metrics());
    expect(value(m, "agentwatch_guardrail_checks_total", { guardrail: "internal_terms", outcome: "block" })).toBe(1);
    expect(value(m, "agentwatch_guardrail_checks_total", { guardrail: "internal_terms", outcome: "pass" })).toBe(1);
    expect(() => denylistGuardrail(["ok", ""])).toThrow(/terms\[1\]/);
  });
});

describe("built-in evaluators", () => {
  const ask = { messages: [new HumanMessage("How do I reset my password?")] };

  it("groundedness heuristic scores an answer built from the retrieved documents high", async () => {
    const { handler } = make({ evaluation: { evaluators: [groundednessEvaluator()], sampleRate: 1 } });
    await createSupportGraph().invoke(ask, { callbacks: [handler] });
    await handler.evaluationsIdle();
    const m = parseExposition(await handler.registry.metrics());
    const sum = value(m, "agentwatch_eval_score_sum", { evaluator: "groundedness_heuristic" });
    expect(value(m, "agentwatch_eval_score_count", { evaluator: "groundedness_heuristic" })).toBe(1);
    expect(sum).toBeGreaterThan(0.5);
  });

  it("LLM judge: reads a well-formed verdict, traces the judge call under the evaluation span, counts its cost apart", async () => {
    const judge = new FakeListChatModel({ responses: ['```json\n{"score": 4, "explanation": "answers the question"}\n```'] });
    const { handler, tracing } = make({
      evaluation: { evaluators: [llmJudgeEvaluator({ model: judge, rubric: "relevance" })], sampleRate: 1 },
    });
    await createSupportGraph().invoke(ask, { callbacks: [handler] });
    await handler.evaluationsIdle();
    const m = parseExposition(await handler.registry.metrics());
    expect(value(m, "agentwatch_eval_score_sum", { evaluator: "llm_judge_relevance" })).toBeCloseTo(0.75);
    const spans = tracing.exporter.getFinishedSpans();
    const judged = spans.find((s) => s.name.startsWith("chat ") && parentId(s) === spanId(only(spans, "evaluate llm_judge_relevance")));
    expect(judged).toBeDefined();
    expect(find(m, "gen_ai_client_operation_duration_seconds_count", { gen_ai_agent_name: "agentwatch-evaluator" })).toHaveLength(1);
  });

  it("LLM judge: garbage output records no score and counts an error", async () => {
    const judge = new FakeListChatModel({ responses: ["I think it is pretty good overall!! ✨"] });
    const { handler } = make({ evaluation: { evaluators: [llmJudgeEvaluator({ model: judge, rubric: "coherence" })], sampleRate: 1 } });
    await createSupportGraph().invoke(ask, { callbacks: [handler] });
    await handler.evaluationsIdle();
    const m = parseExposition(await handler.registry.metrics());
    expect(value(m, "agentwatch_eval_errors_total", { evaluator: "llm_judge_coherence" })).toBe(1);
    expect(find(m, "agentwatch_eval_score_count")).toEqual([]);
  });
});
