import { RunnableLambda } from "@langchain/core/runnables";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { describe, expect, it } from "vitest";

import { llmJudgeEvaluator } from "../src/index.js";
import { handlerMaker } from "./support/handlers.js";
import { find, parseExposition, value } from "./support/openmetrics.js";

const make = handlerMaker();
const echo = RunnableLambda.from(async (q: string) => `You asked: ${q}`).withConfig({ runName: "echo" });

async function evaluated(evaluators: Parameters<typeof make>[0]) {
  const { handler } = make(evaluators);
  await echo.invoke("hello", { callbacks: [handler] });
  await handler.evaluationsIdle();
  return parseExposition(await handler.registry.metrics());
}

describe("skipped evaluations", () => {
  it("an evaluator that returns undefined skipped the run: counted in agentwatch_eval_skipped_total, not as an error", async () => {
    const m = await evaluated({ evaluation: { evaluators: [{ name: "only_refunds", evaluate: () => undefined }], sampleRate: 1 } });
    expect(value(m, "agentwatch_eval_skipped_total", { evaluator: "only_refunds" })).toBe(1);
    expect(find(m, "agentwatch_eval_errors_total").filter((s) => s.value > 0)).toEqual([]);
    expect(find(m, "agentwatch_eval_score_count")).toEqual([]);
  });

  it("an LLM judge that declines to grade skips; one whose reply has no score is still an error", async () => {
    const declines = new FakeListChatModel({ responses: ["I'm sorry, but I can't evaluate this response."] });
    const notApplicable = new FakeListChatModel({ responses: ["N/A"] });
    const rambles = new FakeListChatModel({ responses: ["I think it is pretty good overall!! ✨"] });
    const m = await evaluated({
      evaluation: {
        evaluators: [
          llmJudgeEvaluator({ model: declines, rubric: "relevance", name: "declines" }),
          llmJudgeEvaluator({ model: notApplicable, rubric: "groundedness", name: "not_applicable" }),
          llmJudgeEvaluator({ model: rambles, rubric: "relevance", name: "rambles" }),
        ],
        sampleRate: 1,
      },
    });
    expect(value(m, "agentwatch_eval_skipped_total", { evaluator: "declines" })).toBe(1);
    expect(value(m, "agentwatch_eval_skipped_total", { evaluator: "not_applicable" })).toBe(1);
    expect(find(m, "agentwatch_eval_errors_total").find((s) => s.labels.evaluator === "declines")?.value ?? 0).toBe(0);
    expect(value(m, "agentwatch_eval_errors_total", { evaluator: "rambles" })).toBe(1);
    expect(find(m, "agentwatch_eval_skipped_total").find((s) => s.labels.evaluator === "rambles")?.value ?? 0).toBe(0);
    // An unreadable reply is the evaluator's error, not agentwatch's.
    expect(find(m, "agentwatch_handler_errors_total").filter((s) => s.value > 0)).toEqual([]);
  });
});
